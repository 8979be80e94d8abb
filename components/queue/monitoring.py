"""Who is monitoring: operators present in department and co-op rooms, and operators online.

Pure bookkeeping fed with presence. Monitoring a room means being in it with availability
"available" or "chat" (DESIGN.md); away, xa and dnd stay in the room without monitoring.
Occupants whose real JID has no local part are services (every library's queue sits in the
co-op rooms it routes to) and never count.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

MONITORING_SHOWS = frozenset({"", "chat"})


@dataclass(frozen=True)
class Occupant:
    nick: str
    jid: str | None
    """Real bare JID; co-op and department rooms are non-anonymous so the queue sees it."""
    show: str

    @property
    def is_operator(self) -> bool:
        return self.jid is not None and "@" in self.jid

    @property
    def monitoring(self) -> bool:
        return self.is_operator and self.show in MONITORING_SHOWS


class Monitoring:
    """Rooms the queue watches, with their occupants, and operators' own presence."""

    def __init__(self) -> None:
        self.entitled: Callable[[str, str], bool] = lambda room, jid: True
        """(room, operator) -> whether their presence there counts. Asked when counting, not
        when presence arrives: who is entitled follows the co-ops' registries live, and an
        occupant may gain or lose the right while in the room."""
        self._rooms: dict[str, dict[str, Occupant]] = {}
        self._online: dict[str, dict[str, str]] = {}
        """Operator bare JID -> resource -> show, from presence subscriptions."""

    def reset(self) -> None:
        """Forget everything: a new stream to the server starts from nobody."""
        self._rooms.clear()
        self._online.clear()

    def occupant_present(self, room: str, nick: str, jid: str | None, show: str) -> None:
        self._rooms.setdefault(room, {})[nick] = Occupant(nick, jid, show)

    def occupant_left(self, room: str, nick: str) -> None:
        self._rooms.get(room, {}).pop(nick, None)

    def room_lost(self, room: str) -> None:
        """The queue itself left or lost the room: nothing is known about it any more."""
        self._rooms.pop(room, None)

    def keep_only(self, entitled: Callable[[str, str], bool]) -> None:
        """Forget operators no longer entitled to a room they are in: (room, jid) -> bool."""
        for room, occupants in self._rooms.items():
            for nick, occupant in list(occupants.items()):
                if occupant.is_operator and not entitled(room, occupant.jid or ""):
                    del occupants[nick]

    def operator_presence(self, jid: str, resource: str, show: str | None) -> None:
        """show None means that resource went offline."""
        resources = self._online.setdefault(jid, {})
        if show is None:
            resources.pop(resource, None)
        else:
            resources[resource] = show

    def room_monitored(self, room: str) -> bool:
        return bool(self.monitors(room))

    def operator_monitoring(self, jid: str) -> bool:
        online = self._online.get(jid, {})
        in_rooms = any(o.jid == jid for room in self._rooms for o in self.monitors(room))
        return any(show in MONITORING_SHOWS for show in online.values()) or in_rooms

    def monitors(self, room: str) -> list[Occupant]:
        """Occupants monitoring the room who are entitled to it."""
        return [o for o in self._rooms.get(room, {}).values()
                if o.monitoring and o.jid is not None and self.entitled(room, o.jid)]

    def occupant(self, room: str, jid: str) -> Occupant | None:
        """The operator's occupancy of room, if they are in it at all."""
        return next((o for o in self._rooms.get(room, {}).values() if o.jid == jid), None)

    def rooms_of(self, jid: str) -> list[str]:
        return [room for room, occupants in self._rooms.items()
                if any(o.jid == jid for o in occupants.values())]
