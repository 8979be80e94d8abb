"""Fair offering (stats.xsd fairness; coop.xsd below-target and fair-delay): a co-op may ask
that a new chat reach the monitors of members below their contribution target, and of the
patron's own library, first, and everyone else in its room `fair-delay` seconds later,
unless it was claimed before.

Pure rules, no XMPP: which monitors go first, and when the rest are due. The rest's time is
kept in the chat's routing progress (Progress.fair_due), so a restarted queue keeps it, and
it never comes after the co-op's next fallback step nor its staff's: the delay never
postpones what the seed's fallback times promise. With nobody to offer first, or nobody to
make wait, everyone is offered at once: a delay would then serve nobody.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from components.queue.plan import Plan
from components.queue.routing import Progress
from refdesk.db.stores.registry import CoopRecord


@dataclass(frozen=True)
class NotifyRest:
    """Offer a co-op's chat to the monitors fair offering made wait."""

    coop: str
    first: frozenset[str]
    """Those offered it at once, who are not offered it again."""


def first_wave(coop: CoopRecord | None, home: str, monitors: list[str]
               ) -> frozenset[str] | None:
    """The monitors offered a new chat at once, or None when everyone is."""
    if coop is None or not coop.fair_delay_s:
        return None
    first_institutions = {m.domain for m in coop.members if m.below_target} | {home}
    first = frozenset(jid for jid in monitors if _institution(coop, jid) in first_institutions)
    if not first or first == set(monitors):
        return None
    return first


def rest_due(plan: Plan, coop: str, now: float, delay_s: float) -> Progress:
    """The plan's progress with the rest of `coop`'s monitors due after the delay, or sooner
    if a fallback step comes first (the route's next target, the co-op's staff)."""
    progress = plan.progress
    next_step = progress.next_at if progress.next_index < len(plan.route.targets) else None
    due = min(t for t in (now + delay_s, next_step, progress.staff_due.get(coop))
              if t is not None)
    return replace(progress, fair_due={**progress.fair_due, coop: max(due, now)})


def due_rest(plan: Plan, now: float) -> tuple[list[NotifyRest], Progress]:
    """The co-ops whose waiting monitors are due by `now`, and the progress without them."""
    progress = plan.progress
    due = sorted(coop for coop, at in progress.fair_due.items() if at <= now)
    sends = [NotifyRest(coop, frozenset(o.to for o in plan.offers
                                        if o.coop == coop and o.for_room is not None))
             for coop in due]
    return sends, replace(progress, fair_due={
        coop: at for coop, at in progress.fair_due.items() if coop not in due})


def _institution(coop: CoopRecord, jid: str) -> str:
    user = coop.user(jid)
    return user.institution if user is not None else jid.partition("@")[2]
