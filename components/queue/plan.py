"""A waiting chat's routing plan as stored with it: the route it follows, how far it has got,
and where it was offered (so the offers can be told when it is taken)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from components.queue.routing import Progress, Route, Target
from refdesk.db.models import TargetKind
from refdesk.db.stores.directory import Directory, WidgetInfo


@dataclass(frozen=True)
class Offer:
    to: str
    """A room JID, or an operator's bare JID."""
    room: bool
    coop: str | None = None
    """The co-op id when the offer went through a co-op (room or staff)."""
    posted: bool = True
    """For a co-op room: whether the offer was posted in the room. It is not when someone
    who may be in the room does not answer this library's chats (a non-contributing
    member's staff): its monitors who do are offered it directly instead."""
    for_room: str | None = None
    """For a direct offer made instead of posting in a co-op room: that room."""


@dataclass(frozen=True)
class Plan:
    route: Route
    progress: Progress
    offers: tuple[Offer, ...] = field(default=())
    transfer: str | None = None
    """For a transferred chat: who handed it on, and their note for staff."""

    def offered(self, offer: Offer) -> Plan:
        return replace(self, offers=(*self.offers, offer))

    def to_json(self) -> dict[str, Any]:
        return {
            "targets": [[t.kind, t.ref, t.global_coop] for t in self.route.targets],
            "fallback_s": self.route.fallback_s,
            "staff_delay_s": self.route.staff_delay_s,
            "progress": self.progress.to_json(),
            "offers": [[o.to, o.room, o.coop, o.posted, o.for_room] for o in self.offers],
            "transfer": self.transfer,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Plan:
        route = Route(tuple(Target(k, r, g) for k, r, g in data["targets"]),
                      data["fallback_s"], data["staff_delay_s"])
        offers = tuple(Offer(*offer) for offer in data["offers"])
        return cls(route, Progress.from_json(data["progress"]), offers, data.get("transfer"))


def widget_route(widget: WidgetInfo, directory: Directory, staff_delay_s: float) -> Route:
    """The route a new chat from `widget` follows."""
    targets = tuple(
        Target(step.kind.value, step.ref,
               step.kind == TargetKind.COOP and directory.coops[step.ref].is_global)
        for step in widget.routing
    )
    return Route(targets, widget.fallback_s, staff_delay_s)
