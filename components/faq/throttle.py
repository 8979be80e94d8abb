"""How many searches one JID may run: a token bucket per bare JID, so a widget that searches
as its patron types is served, while a script hammering faq.<library> is slowed down. Every
anonymous patron of a guest host also draws on one bucket of that host's: logging in afresh
gives a new JID, not more searches."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import ClassVar

from slixmpp.types import ErrorConditions, ErrorTypes

from refdesk.errors import RefdeskError

RATE_PER_S = 5.0
BURST = 10.0
GUESTS_RATE_PER_S = 50.0
GUESTS_BURST = 100.0
"""All of a guest host's patrons together: many widgets at once, far below what the
database can rank."""
REMEMBERED = 10_000
"""Askers tracked at most; the longest idle are forgotten first (they would be full)."""


class TooFast(RefdeskError):
    condition: ClassVar[ErrorConditions] = "resource-constraint"
    etype: ClassVar[ErrorTypes] = "wait"


class Throttle:
    def __init__(self, rate: float = RATE_PER_S, burst: float = BURST,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.burst, self.clock = rate, burst, clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        """Bare JID, or a guest host -> (tokens left, when counted)."""

    def take(self, jid: str) -> None:
        """Count one search by `jid`, or refuse it with TooFast."""
        self._take(jid, self.rate, self.burst)
        host = jid.partition("@")[2]
        if host.startswith("guest."):
            self._take(host, GUESTS_RATE_PER_S, GUESTS_BURST)

    def _take(self, key: str, rate: float, burst: float) -> None:
        now = self.clock()
        tokens, then = self._buckets.pop(key, (burst, now))
        tokens = min(burst, tokens + (now - then) * rate)
        if tokens < 1:
            self._buckets[key] = (tokens, now)
            raise TooFast("Too many searches at once; please wait a moment.")
        self._buckets[key] = (tokens - 1, now)
        while len(self._buckets) > REMEMBERED:
            self._buckets.popitem(last=False)
