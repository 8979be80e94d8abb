"""Searches per asker: a burst, then the rate; each asker counted apart; bounded memory."""

from __future__ import annotations

import pytest

from components.faq import throttle
from components.faq.throttle import Throttle, TooFast


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_then_the_rate_and_each_asker_apart() -> None:
    clock = Clock()
    limit = Throttle(rate=5, burst=10, clock=clock)
    for _ in range(10):
        limit.take("ben@beta.test")

    with pytest.raises(TooFast):
        limit.take("ben@beta.test")
    limit.take("bea@beta.test")
    clock.now = 0.2
    limit.take("ben@beta.test")
    with pytest.raises(TooFast):
        limit.take("ben@beta.test")


def test_patrons_logging_in_afresh_share_their_guest_hosts_allowance() -> None:
    clock = Clock()
    limit = Throttle(rate=5, burst=10, clock=clock)
    for number in range(int(throttle.GUESTS_BURST)):
        limit.take(f"p{number}@guest.alpha.test")  # a new JID each time: each bucket full

    with pytest.raises(TooFast):
        limit.take("fresh@guest.alpha.test")
    limit.take("patron@guest.beta.test")  # another library's patrons are counted apart
    limit.take("ben@beta.test")  # and librarians only by their own JID
    clock.now = 1 / throttle.GUESTS_RATE_PER_S
    limit.take("fresh@guest.alpha.test")


def test_the_longest_idle_askers_are_forgotten(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(throttle, "REMEMBERED", 3)
    limit = Throttle(burst=1, clock=Clock())
    for number in range(5):
        limit.take(f"p{number}@guest.alpha.test")

    limit.take("p0@guest.alpha.test")  # forgotten, so full again
    with pytest.raises(TooFast):
        limit.take("p4@guest.alpha.test")
