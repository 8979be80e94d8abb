"""Connections counted as they are accepted: per address (an IPv6 /64 as one), in total, and
reverse proxies uncapped per address; the open-files limit they must fit in."""

from __future__ import annotations

import logging
import resource

import pytest

from gateway import descriptors, refusals
from gateway.connections import ConnectionCounter
from gateway.limits import parse_networks
from refdesk.settings import GatewaySettings


def test_one_address_gets_its_share_and_the_next_address_its_own() -> None:
    counter = ConnectionCounter(per_address=3, total=100)

    admitted = [counter.admit("192.0.2.1") for _ in range(5)]

    assert admitted == [None] * 3 + [refusals.CONNECTIONS_PER_ADDRESS] * 2
    assert counter.admit("192.0.2.2") is None
    assert (counter.open, counter.from_address("192.0.2.1")) == (4, 3)


def test_a_closed_connection_gives_its_slot_back() -> None:
    counter = ConnectionCounter(per_address=1, total=100)
    assert counter.admit("192.0.2.1") is None

    counter.release("192.0.2.1")

    assert counter.admit("192.0.2.1") is None
    assert counter.open == 1


def test_an_ipv6_client_rotating_addresses_in_its_64_gets_one_share() -> None:
    counter = ConnectionCounter(per_address=2, total=100)

    admitted = [counter.admit(f"2001:db8:5:6::{n:x}") for n in range(1, 5)]

    assert admitted == [None, None] + [refusals.CONNECTIONS_PER_ADDRESS] * 2


def test_the_total_is_capped_whatever_the_addresses() -> None:
    counter = ConnectionCounter(per_address=10, total=3)

    admitted = [counter.admit(f"192.0.2.{n}") for n in range(1, 6)]

    assert admitted == [None] * 3 + [refusals.CONNECTIONS] * 2


def test_a_trusted_proxy_is_not_capped_per_address_but_counts_in_the_total() -> None:
    counter = ConnectionCounter(per_address=2, total=5, uncapped=parse_networks(["10.0.0.0/8"]))

    admitted = [counter.admit("10.1.1.1") for _ in range(6)]

    assert admitted == [None] * 5 + [refusals.CONNECTIONS]


def test_limits_past_the_open_files_limit_are_lowered_in_proportion_and_said(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(resource, "getrlimit", lambda kind: (1024, 1024))
    settings = GatewaySettings(max_connections=4000, max_sessions=2000)

    fitted = descriptors.fit_open_files(settings)

    assert (fitted.max_connections, fitted.max_sessions) == (512, 256)  # 768 free, 2:1
    assert caplog.records[-1].levelno == logging.WARNING
    assert "serving at most 512 connections and 256 sessions" in caplog.records[-1].getMessage()


def test_the_soft_open_files_limit_is_raised_as_far_as_needed(
        monkeypatch: pytest.MonkeyPatch) -> None:
    raised: list[tuple[int, int]] = []
    monkeypatch.setattr(resource, "getrlimit", lambda kind: (1024, 524288))
    monkeypatch.setattr(resource, "setrlimit", lambda kind, limits: raised.append(limits))
    settings = GatewaySettings()

    assert descriptors.fit_open_files(settings) == settings
    assert raised == [(4000 + 2000 + descriptors.SPARE, 524288)]
