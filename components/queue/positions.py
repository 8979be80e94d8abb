"""Queue positions: each waiting patron's place and estimated wait, sent only when changed.

Pure bookkeeping: fed the queue in order and the recent mean wait, it says whom to tell
what. A burst of changes is coalesced by the caller into one pass; a pass tells only the
patrons whose place or estimate changed; and a patron is told at most once per
min_interval_s (their first place at once), so a queue that churns (one patron's requests
and cancels, a run of claims) costs each waiting patron a message every few seconds at most,
not one per change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

DEFAULT_WAIT_S = 60.0
"""Estimated wait per place in the queue until there is a history of claims."""
MIN_WAIT_S = 10.0
"""Never promise less per place: a librarian still has to read the question."""


@dataclass(frozen=True)
class Position:
    chat_id: str
    patron: str
    place: int
    wait_s: int


class QueuePositions:
    def __init__(self, min_interval_s: float = 0.0) -> None:
        self._min_interval_s = min_interval_s
        self._told: dict[str, tuple[tuple[int, int], float]] = {}
        """Chat id -> (place, wait) last told, and when."""
        self.next_pass: float | None = None
        """When a pass is due for changes held back by the interval, if any."""

    def changes(self, waiting: list[tuple[str, str]], mean_wait_s: float | None,
                now: float = 0.0) -> list[Position]:
        """The positions to send now, given (chat id, patron) in queue order."""
        per_place = DEFAULT_WAIT_S if mean_wait_s is None else max(mean_wait_s, MIN_WAIT_S)
        changed = []
        self.next_pass = None
        for place, (chat_id, patron) in enumerate(waiting, start=1):
            status = (place, math.ceil(per_place * place))
            told = self._told.get(chat_id)
            if told is not None and told[0] == status:
                continue
            due = told[1] + self._min_interval_s if told is not None else now
            if due <= now:
                self._told[chat_id] = (status, now)
                changed.append(Position(chat_id, patron, *status))
            else:
                self.next_pass = due if self.next_pass is None else min(self.next_pass, due)
        for gone in set(self._told) - {chat_id for chat_id, _ in waiting}:
            del self._told[gone]
        return changed

    def forget(self, chat_id: str) -> None:
        """Tell this patron again on the next pass (they reconnected)."""
        self._told.pop(chat_id, None)
