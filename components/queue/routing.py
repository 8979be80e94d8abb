"""Which routing targets hear of a waiting chat, and when: the co-op timed fallback rules.

Pure logic, no XMPP and no clock of its own: the queue calls `advance` when a chat arrives
and again at `Progress.next_due()`, with the time and who is monitoring now. The rules
(DESIGN.md, Routing semantics; the LibChat co-op guide):

- Department and operator targets are alternatives: the first one somebody monitors is
  notified at once; the others are passed over.
- Each co-op target is notified one fallback period after the previous notification, in
  order. A target nobody monitors is passed over at once, so a patron never waits a period
  on an empty room; earlier targets keep their notice until the claim.
- A global (24/7) co-op's own staff are notified `staff_delay_s` after that co-op was.
- Fallback 0 disables timed fallback: once anything was notified, local co-ops are passed
  over for good, and global co-ops still take the chat `staff_delay_s` after it arrived.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

STAFF_DELAY_S = 40.0


@dataclass(frozen=True)
class Target:
    """One step of a widget's routing list."""

    kind: str
    """department, operator or coop."""
    ref: str
    """The department's room JID, the operator's JID, or the co-op's id."""
    global_coop: bool = False

    @property
    def is_coop(self) -> bool:
        return self.kind == "coop"


@dataclass(frozen=True)
class Notify:
    """Offer the chat to a target (a room, or an operator directly)."""

    target: Target


@dataclass(frozen=True)
class NotifyStaff:
    """Offer the chat to a global co-op's own staff."""

    coop: str


@dataclass(frozen=True)
class Progress:
    """How far a chat has gone down its routing list; stored with the chat, so a restarted
    queue neither loses nor repeats a step."""

    started_at: float
    next_index: int = 0
    next_at: float | None = None
    """When the target at next_index is due; None means at once."""
    notified_any: bool = False
    staff_due: dict[str, float] = field(default_factory=dict)
    """Global co-op id -> when its staff are due."""
    fair_due: dict[str, float] = field(default_factory=dict)
    """Co-op id -> when the monitors fair offering made wait are due (fairoffer.py)."""

    def next_due(self, route_length: int) -> float | None:
        """The next time `advance` has work to do, or None when routing is complete."""
        times = [*self.staff_due.values(), *self.fair_due.values()]
        if self.next_index < route_length:
            times.append(self.started_at if self.next_at is None else self.next_at)
        return min(times, default=None)

    def to_json(self) -> dict[str, Any]:
        return {"started_at": self.started_at, "next_index": self.next_index,
                "next_at": self.next_at, "notified_any": self.notified_any,
                "staff_due": dict(self.staff_due), "fair_due": dict(self.fair_due)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Progress:
        return cls(data["started_at"], data["next_index"], data["next_at"],
                   data["notified_any"], dict(data["staff_due"]),
                   dict(data.get("fair_due", {})))


@dataclass(frozen=True)
class Route:
    """A widget's routing list with its fallback period."""

    targets: tuple[Target, ...]
    fallback_s: float
    staff_delay_s: float = STAFF_DELAY_S

    def start(self, now: float) -> Progress:
        return Progress(started_at=now)

    def advance(self, progress: Progress, now: float, monitored: Callable[[Target], bool]
                ) -> tuple[list[Notify | NotifyStaff], Progress]:
        """The notifications due by `now`, and the progress after sending them."""
        due_staff = sorted(coop for coop, at in progress.staff_due.items() if at <= now)
        sends: list[Notify | NotifyStaff] = [NotifyStaff(coop) for coop in due_staff]
        progress = replace(progress, staff_due={
            coop: at for coop, at in progress.staff_due.items() if coop not in due_staff
        })
        while progress.next_index < len(self.targets):
            if progress.next_at is not None and now < progress.next_at:
                break
            target = self.targets[progress.next_index]
            # Steps keep their schedule, even when a restarted queue catches up late.
            scheduled = now if progress.next_at is None else progress.next_at
            progress = replace(progress, next_index=progress.next_index + 1)
            if self._passed_over(target, progress) or not monitored(target):
                continue
            sends.append(Notify(target))
            progress = self._after_notifying(target, progress, scheduled)
        return sends, progress

    def _passed_over(self, target: Target, progress: Progress) -> bool:
        if not progress.notified_any:
            return False
        if not target.is_coop:
            return True  # a later department or operator is only an alternative
        return self.fallback_s == 0 and not target.global_coop

    def _after_notifying(self, target: Target, progress: Progress, at: float) -> Progress:
        staff_due = dict(progress.staff_due)
        if target.global_coop:
            staff_due[target.ref] = at + self.staff_delay_s
        if self.fallback_s > 0:
            next_at: float | None = at + self.fallback_s
        else:
            next_at = max(at, progress.started_at + self.staff_delay_s)
        return replace(progress, next_at=next_at, notified_any=True, staff_due=staff_due)

    def online(self, monitored: Callable[[Target], bool]) -> bool:
        """A widget is online while any target of its routing list is monitored."""
        return any(monitored(target) for target in self.targets)
