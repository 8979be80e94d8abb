"""Queue positions: each waiting patron's place and estimated wait, sent only when changed.

Pure bookkeeping: fed the queue in order and the recent mean wait, it says whom to tell
what. A burst of changes is coalesced by the caller into one pass, and a pass tells only
the patrons whose place or estimate changed, so a change costs messages to those behind it,
not to the whole queue again.
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
    def __init__(self) -> None:
        self._told: dict[str, tuple[int, int]] = {}

    def changes(self, waiting: list[tuple[str, str]],
                mean_wait_s: float | None) -> list[Position]:
        """The positions to send, given (chat id, patron) in queue order."""
        per_place = DEFAULT_WAIT_S if mean_wait_s is None else max(mean_wait_s, MIN_WAIT_S)
        changed = []
        still_waiting = set()
        for place, (chat_id, patron) in enumerate(waiting, start=1):
            still_waiting.add(chat_id)
            status = (place, math.ceil(per_place * place))
            if self._told.get(chat_id) != status:
                self._told[chat_id] = status
                changed.append(Position(chat_id, patron, *status))
        for gone in set(self._told) - still_waiting:
            del self._told[gone]
        return changed

    def forget(self, chat_id: str) -> None:
        """Tell this patron again on the next pass (they reconnected)."""
        self._told.pop(chat_id, None)
