"""The routing timers: at most one live timer per waiting chat, and none while paused.

A chat's next fallback step fires from here. While the queue is (re)joining its rooms it
knows nobody is monitoring anything, and a step taken then would pass over every target: so
a reconnect pauses the timers (cancelling them all), and the restore after the rooms are
joined schedules each waiting chat again, once.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


class RoutingTimers:
    def __init__(self, fire: Callable[[str], None],
                 clock: Callable[[], float] = time.time) -> None:
        self._fire, self._clock = fire, clock
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self.paused = True
        """Until the queue is in its rooms: no step may be taken."""

    def schedule(self, chat_id: str, due: float) -> None:
        """Fire chat_id's step at `due` (wall clock), replacing any timer it had."""
        self.cancel(chat_id)
        if self.paused:
            return
        delay = max(0.0, due - self._clock())
        self._timers[chat_id] = asyncio.get_running_loop().call_later(
            delay, self._due, chat_id)

    def cancel(self, chat_id: str) -> None:
        timer = self._timers.pop(chat_id, None)
        if timer is not None:
            timer.cancel()

    def pause(self) -> None:
        self.paused = True
        for chat_id in list(self._timers):
            self.cancel(chat_id)

    def resume(self) -> None:
        self.paused = False

    def __len__(self) -> int:
        return len(self._timers)

    def _due(self, chat_id: str) -> None:
        self._timers.pop(chat_id, None)
        if not self.paused:
            self._fire(chat_id)
