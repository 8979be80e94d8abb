"""Per-IP limits: a burst then a steady rate, a session cap per address (an IPv6 /64 as one) and
in total, and the address behind a proxy."""

from __future__ import annotations

from typing import Any

import pytest

from gateway import refusals
from gateway.limits import PRUNE_EVERY, IpLimiter, address_key, client_ip, parse_networks


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_flood_from_one_address_is_cut_off_after_the_burst_while_others_pass() -> None:
    clock = FakeClock()
    limiter = IpLimiter(max_sessions=5, requests_per_minute=60, clock=clock)

    allowed = sum(limiter.allow_request("192.0.2.1") for _ in range(100))

    assert allowed == 15  # a quarter of the minute's allowance at once
    assert limiter.allow_request("192.0.2.2")


def test_the_allowance_refills_at_the_per_minute_rate() -> None:
    clock = FakeClock()
    limiter = IpLimiter(max_sessions=5, requests_per_minute=60, clock=clock)
    while limiter.allow_request("192.0.2.1"):
        pass

    clock.now += 2.0

    assert [limiter.allow_request("192.0.2.1") for _ in range(3)] == [True, True, False]


def test_sessions_per_address_are_capped_and_freed_on_close() -> None:
    limiter = IpLimiter(max_sessions=2, requests_per_minute=60)

    assert [limiter.open_session("192.0.2.1") for _ in range(3)] == [
        None, None, refusals.SESSIONS_PER_ADDRESS]
    assert limiter.open_session("192.0.2.2") is None
    limiter.close_session("192.0.2.1")
    assert limiter.open_session("192.0.2.1") is None


def test_an_ipv6_client_cannot_escape_the_session_cap_by_rotating_addresses_in_its_64() -> None:
    limiter = IpLimiter(max_sessions=2, requests_per_minute=60)

    opened = [limiter.open_session(f"2001:db8:1:2::{n:x}") for n in range(1, 4)]

    assert opened == [None, None, refusals.SESSIONS_PER_ADDRESS]
    assert limiter.open_session("2001:db8:1:3::1") is None  # the next /64 is someone else
    limiter.close_session("2001:db8:1:2::1")
    assert limiter.open_session("2001:db8:1:2:ffff::9") is None


def test_an_ipv6_flood_from_rotating_addresses_spends_one_allowance() -> None:
    limiter = IpLimiter(max_sessions=5, requests_per_minute=60, clock=FakeClock())

    allowed = sum(limiter.allow_request(f"2001:db8:0:7:{n:x}::1") for n in range(100))

    assert allowed == 15


def test_sessions_in_total_are_capped_whatever_the_addresses() -> None:
    limiter = IpLimiter(max_sessions=5, requests_per_minute=60, max_sessions_total=3)

    opened = [limiter.open_session(f"192.0.2.{n}") for n in range(1, 5)]

    assert opened == [None, None, None, refusals.SESSIONS]
    assert limiter.sessions() == 3
    limiter.close_session("192.0.2.2")
    assert limiter.open_session("192.0.2.4") is None


@pytest.mark.parametrize(("address", "prefix", "key"), [
    ("192.0.2.7", 64, "192.0.2.7"),
    ("::ffff:192.0.2.7", 64, "192.0.2.7"),
    ("2001:DB8:1:2:3:4:5:6", 64, "2001:db8:1:2::/64"),
    ("2001:db8:1:2:3:4:5:6", 48, "2001:db8:1::/48"),
    ("2001:db8:1:2:3:4:5:6", 128, "2001:db8:1:2:3:4:5:6"),
    ("", 64, ""),
])
def test_limits_count_ipv4_addresses_and_ipv6_networks(address: str, prefix: int,
                                                       key: str) -> None:
    assert address_key(address, prefix) == key


def test_forgotten_addresses_are_pruned() -> None:
    clock = FakeClock()
    limiter = IpLimiter(max_sessions=2, requests_per_minute=60, clock=clock)
    for n in range(PRUNE_EVERY + 100):
        limiter.allow_request(f"10.{n // 65536}.{n // 256 % 256}.{n % 256}")
        clock.now += 1.0

    # Only the addresses seen in the last 15 s (the time to refill a burst) survived the sweep.
    assert limiter.tracked() < 200


class FakeRequest:
    def __init__(self, remote: str, forwarded: str | None = None) -> None:
        self.remote = remote
        self.headers: Any = _Headers(forwarded)


class _Headers:
    def __init__(self, forwarded: str | None) -> None:
        self._forwarded = forwarded

    def getall(self, name: str, default: tuple[str, ...]) -> tuple[str, ...]:
        return (self._forwarded,) if self._forwarded else default


def test_client_address_is_the_peer_unless_it_is_a_trusted_proxy() -> None:
    proxies = parse_networks(["10.0.0.0/8"])

    assert client_ip(FakeRequest("192.0.2.7", "203.0.113.9"), proxies) == "192.0.2.7"  # type: ignore[arg-type]
    assert client_ip(FakeRequest("10.1.1.1", "203.0.113.9"), proxies) == "203.0.113.9"  # type: ignore[arg-type]


def test_forged_hops_before_the_proxy_chain_are_ignored() -> None:
    proxies = parse_networks(["10.0.0.0/8"])
    request = FakeRequest("10.1.1.1", "1.2.3.4, 203.0.113.9, 10.2.2.2")

    assert client_ip(request, proxies) == "203.0.113.9"  # type: ignore[arg-type]
