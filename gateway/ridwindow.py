"""XEP-0124 request ids (section 14): executed in order, at most a window ahead, and a repeated
request answered again from what was answered, never executed twice.

Pure bookkeeping, generic over what a request and an answer are, so that it can be tested
without HTTP or XMPP.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Generic, TypeVar

Request = TypeVar("Request")
Answer = TypeVar("Answer")


class RidRejected(Exception):
    """A rid outside the window: XEP-0124 says item-not-found, and the session ends."""

    def __init__(self, rid: int, reason: str) -> None:
        super().__init__(f"rid {rid} {reason}")
        self.rid = rid


@dataclass
class _Waiting(Generic[Request, Answer]):
    request: Request
    answer: Answer


class RidWindow(Generic[Request, Answer]):
    """The rids of one session. `size` is how far ahead of the next expected rid a client may
    be (XEP-0124's 'requests'); the answers to the last `size` executed rids are kept."""

    def __init__(self, last_rid: int, size: int) -> None:
        self.next_rid = last_rid + 1
        self.size = size
        self._waiting: dict[int, _Waiting[Request, Answer]] = {}
        self._answers: OrderedDict[int, Answer] = OrderedDict()

    def known(self, rid: int) -> Answer | None:
        """The answer, pending or given, of a rid already received: a retransmission."""
        waiting = self._waiting.get(rid)
        return waiting.answer if waiting else self._answers.get(rid)

    def admit(self, rid: int, request: Request, answer: Answer) -> None:
        """Accept a new rid to execute in its turn; RidRejected if outside the window."""
        if rid < self.next_rid:
            raise RidRejected(rid, f"is older than the window (next is {self.next_rid})")
        if rid >= self.next_rid + self.size:
            raise RidRejected(rid, f"is beyond the window ({self.next_rid}..."
                                   f"{self.next_rid + self.size - 1})")
        self._waiting[rid] = _Waiting(request, answer)

    def take_ready(self) -> list[tuple[int, Request, Answer]]:
        """The requests whose turn has come, in rid order, now counted as executed."""
        ready = []
        while (waiting := self._waiting.pop(self.next_rid, None)) is not None:
            ready.append((self.next_rid, waiting.request, waiting.answer))
            self._answers[self.next_rid] = waiting.answer
            self.next_rid += 1
        while len(self._answers) > self.size:
            self._answers.popitem(last=False)
        return ready

    def drop_waiting(self) -> list[Answer]:
        """Give up the requests still waiting for their turn (the session is over)."""
        answers = [waiting.answer for waiting in self._waiting.values()]
        self._waiting.clear()
        return answers

    def pending(self) -> int:
        """Requests received ahead of their turn."""
        return len(self._waiting)
