"""The queue's own presence in department and co-op rooms, and what it sees there.

The queue joins every room it routes chats to: to post offers there, and to see from the
occupants' presence who is monitoring. Staff rooms are members-only and non-anonymous
(components.staffrooms), so occupants' real JIDs come with their presence.

Only presence from the rooms the queue is joining or in is kept: anything else is forged or
stale. Whether an occupant is entitled to the room is Monitoring's question when it counts,
since a co-op's registry may change it while they sit there.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from slixmpp import JID, ComponentXMPP, Presence
from slixmpp.xmlstream import ET

from components.errors import error_condition
from components.queue.monitoring import Monitoring

log = logging.getLogger(__name__)

MUC = "http://jabber.org/protocol/muc"
MUC_USER = "http://jabber.org/protocol/muc#user"
SELF_PRESENCE = "110"
LEAVE_ID = "leave-before-join:"
"""Marks the leave sent before a join; the room's error to it (we were not in) is expected."""
FIRST_RETRY_S = 1.0
MAX_RETRY_S = 30.0
"""A room we cannot enter yet (its host not up, or not yet made us a member) is tried again."""

class Rooms:
    """Joins rooms as `<queue JID>/queue` and keeps Monitoring up to date."""

    def __init__(self, xmpp: ComponentXMPP, own_jid: str, nick: str, monitoring: Monitoring,
                 on_change: Callable[[str], None]) -> None:
        self._xmpp = xmpp
        self.occupant_jid = JID(f"{own_jid}/queue")
        self.nick = nick
        self.monitoring = monitoring
        self._on_change = on_change
        self.joined: set[str] = set()
        self.watched: set[str] = set()
        """Rooms the queue means to be in: presence from any other room is not kept."""
        self._retries: dict[str, tuple[float, asyncio.TimerHandle]] = {}

    def watch(self, rooms: list[str]) -> None:
        """Enter these rooms (again, after a reconnect), forgetting what was known of any."""
        self.cancel_retries()
        self.joined.clear()
        self.watched = set(rooms)
        for room in rooms:
            self.join(room)

    def follow(self, rooms: list[str]) -> None:
        """Enter rooms new to the list and leave those no longer on it; what is known of the
        others stays."""
        for room in sorted(self.watched - set(rooms)):
            self.leave(room)
        for room in rooms:
            if room not in self.watched:
                self.watched.add(room)
                self.join(room)

    def leave(self, room: str) -> None:
        retry = self._retries.pop(room, None)
        if retry is not None:
            retry[1].cancel()
        self.watched.discard(room)
        self.joined.discard(room)
        self.monitoring.room_lost(room)
        self._xmpp.make_presence(
            pto=f"{room}/{self.nick}", pfrom=self.occupant_jid, ptype="unavailable").send()
        log.info("the queue left %s", room)
        self._on_change(room)

    def cancel_retries(self) -> None:
        for _, timer in self._retries.values():
            timer.cancel()
        self._retries.clear()

    def join(self, room: str) -> None:
        """Enter (or create: the lab's rooms are unlocked and persistent) one room.

        Leaves it first: after a crash the room may still hold our old occupant, and a
        join from an occupant is a mere presence update that lists nobody else."""
        leave = self._xmpp.make_presence(
            pto=f"{room}/{self.nick}", pfrom=self.occupant_jid, ptype="unavailable")
        leave["id"] = f"{LEAVE_ID}{room}"
        leave.send()
        presence = self._xmpp.make_presence(
            pto=f"{room}/{self.nick}", pfrom=self.occupant_jid
        )
        muc = ET.SubElement(presence.xml, f"{{{MUC}}}x")
        ET.SubElement(muc, f"{{{MUC}}}history", {"maxstanzas": "0"})
        presence.send()

    def leave_all(self) -> None:
        self.cancel_retries()
        for room in self.joined:
            self._xmpp.make_presence(
                pto=f"{room}/{self.nick}", pfrom=self.occupant_jid, ptype="unavailable"
            ).send()
        self.joined.clear()

    def handle_presence(self, presence: Presence) -> bool:
        """Take a presence from a room; False when it is not from a room we are in."""
        room, nick = presence["from"].bare, presence["from"].resource
        x = presence.xml.find(f"{{{MUC_USER}}}x")
        if x is None or not nick or room not in self.watched:
            return False
        statuses = {status.get("code") for status in x.findall(f"{{{MUC_USER}}}status")}
        if SELF_PRESENCE in statuses:
            self._own_presence(room, presence["type"])
            return True
        item = x.find(f"{{{MUC_USER}}}item")
        real = JID(item.get("jid")).bare if item is not None and item.get("jid") else None
        if real is None or "@" not in real:
            return True  # a service: another library's queue, the co-op's registry
        if presence["type"] in ("unavailable", "error"):
            self.monitoring.occupant_left(room, nick)
        else:
            self.monitoring.occupant_present(room, nick, real, presence["show"] or "")
        self._on_change(room)
        return True

    def _own_presence(self, room: str, kind: str) -> None:
        if kind in ("unavailable", "error"):
            log.warning("the queue is no longer in %s", room)
            self.joined.discard(room)
            self.monitoring.room_lost(room)
        else:
            log.info("the queue joined %s", room)
            self.joined.add(room)
            self._retries.pop(room, None)
        self._on_change(room)

    def handle_error(self, presence: Presence) -> None:
        room = presence["from"].bare
        if presence["id"].startswith(LEAVE_ID) or room not in self.watched:
            return
        self.monitoring.room_lost(room)
        self.joined.discard(room)
        delay = min(self._retries[room][0] * 2, MAX_RETRY_S) if room in self._retries \
            else FIRST_RETRY_S
        log.warning("cannot join %s (%s); trying again in %.0f s",
                    room, error_condition(presence), delay)
        timer = asyncio.get_running_loop().call_later(delay, self.join, room)
        self._retries[room] = (delay, timer)
