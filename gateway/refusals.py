"""Why the gateway turns a client away, and the log of it: one line per cause and period.

A flood is thousands of refusals a second; a line for each would bury everything else in the
log and cost more than the refusal itself. So the first refusal of a cause is logged at once
and the rest of its period are counted into one summary line.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

log = logging.getLogger(__name__)

PERIOD_S: Final = 60.0
Clock = Callable[[], float]


@dataclass(frozen=True)
class Refusal:
    """A limit a client ran into: what the log, a browser (the HTTP status) and an XMPP library
    (the stream error) are told. Totals are the operator's concern, so they are warnings."""

    cause: str
    status: int
    condition: str
    text: str
    level: int = logging.INFO


CONNECTIONS_PER_ADDRESS: Final = Refusal(
    "connections per address", 429, "policy-violation", "too many connections from your address")
CONNECTIONS: Final = Refusal(
    "connections in total", 503, "resource-constraint",
    "the chat service is busy; please try again in a minute", logging.WARNING)
REQUESTS_PER_ADDRESS: Final = Refusal(
    "requests per address", 429, "policy-violation", "too many requests from your address")
SESSIONS_PER_ADDRESS: Final = Refusal(
    "sessions per address", 429, "policy-violation", "too many chat sessions from your address")
SESSIONS: Final = Refusal(
    "sessions in total", 503, "resource-constraint",
    "the chat service is full; please try again in a minute", logging.WARNING)
BLOCKED: Final = Refusal(
    "blocked address", 403, "policy-violation",
    "a chat cannot be started from your address at the moment")
SLOW_BODY: Final = Refusal(
    "request body too slow", 408, "policy-violation", "the request took too long to arrive")


@dataclass
class _Tally:
    since: float
    more: int = 0
    last: str = ""
    flush: asyncio.TimerHandle | None = None


class RefusalLog:
    """Logs refusals: each cause's first at once, the others of its period in one line."""

    def __init__(self, period_s: float = PERIOD_S, clock: Clock = time.monotonic) -> None:
        self._period_s, self._clock = period_s, clock
        self._tallies: dict[str, _Tally] = {}

    def refused(self, why: Refusal | str, address: str) -> None:
        """Note one refusal of `address`, for a Refusal or any other one-line reason."""
        name, level = (why.cause, why.level) if isinstance(why, Refusal) else (why, logging.INFO)
        now = self._clock()
        tally = self._tallies.get(name)
        if tally is None or now - tally.since >= self._period_s:
            if tally is not None:
                self._summarize(name, level, tally)
            self._tallies[name] = _Tally(now)
            log.log(level, "refused %s: %s", address, name)
            return
        tally.more, tally.last = tally.more + 1, address
        if tally.flush is None:
            tally.flush = _later(tally.since + self._period_s - now,
                                 lambda: self._expire(name, level))

    def flush(self) -> None:
        """Log what is still counted (at shutdown)."""
        for name, tally in list(self._tallies.items()):
            self._summarize(name, logging.INFO, tally)
        self._tallies.clear()

    def _expire(self, name: str, level: int) -> None:
        tally = self._tallies.pop(name, None)
        if tally is not None:
            tally.flush = None
            self._summarize(name, level, tally)

    def _summarize(self, name: str, level: int, tally: _Tally) -> None:
        if tally.flush is not None:
            tally.flush.cancel()
        if tally.more:
            log.log(level, "refused %d more (%s) in %.0f s, the last from %s",
                    tally.more, name, self._period_s, tally.last)


def _later(delay: float, callback: Callable[[], None]) -> asyncio.TimerHandle | None:
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # no loop: the next refusal or flush() logs the rest
        return None
    return loop.call_later(max(delay, 0.0), callback)
