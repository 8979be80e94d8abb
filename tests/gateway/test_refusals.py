"""The log of refusals: a flood of them is one line per cause and period, not one per client."""

from __future__ import annotations

import asyncio
import logging

import pytest

from gateway import refusals
from gateway.refusals import RefusalLog


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == refusals.__name__]


def test_a_flood_of_refusals_is_one_line_then_one_summary(
        caplog: pytest.LogCaptureFixture) -> None:
    clock = FakeClock()
    log = RefusalLog(period_s=60.0, clock=clock)
    caplog.set_level(logging.INFO, refusals.__name__)

    for n in range(20_000):
        log.refused(refusals.CONNECTIONS_PER_ADDRESS, f"192.0.2.{n % 200}")
    clock.now += 61.0
    log.refused(refusals.CONNECTIONS_PER_ADDRESS, "192.0.2.1")

    assert lines(caplog) == [
        "refused 192.0.2.0: connections per address",
        "refused 19999 more (connections per address) in 60 s, the last from 192.0.2.199",
        "refused 192.0.2.1: connections per address",
    ]


def test_each_cause_has_its_own_line_and_totals_are_warnings(
        caplog: pytest.LogCaptureFixture) -> None:
    log = RefusalLog(clock=FakeClock())
    caplog.set_level(logging.INFO, refusals.__name__)

    for _ in range(3):
        log.refused(refusals.SESSIONS, "192.0.2.1")
        log.refused("BOSH bad-request (HTTP 400)", "192.0.2.2")

    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [
        (logging.WARNING, "refused 192.0.2.1: sessions in total"),
        (logging.INFO, "refused 192.0.2.2: BOSH bad-request (HTTP 400)"),
    ]


async def test_the_summary_comes_when_the_period_ends_even_if_the_flood_stopped(
        caplog: pytest.LogCaptureFixture) -> None:
    log = RefusalLog(period_s=0.05)
    caplog.set_level(logging.INFO, refusals.__name__)

    for _ in range(5):
        log.refused(refusals.REQUESTS_PER_ADDRESS, "192.0.2.1")
    async with asyncio.timeout(2):
        while len(lines(caplog)) < 2:
            await asyncio.sleep(0.01)

    assert lines(caplog)[1].startswith("refused 4 more (requests per address)")
