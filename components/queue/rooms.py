"""The queue's own presence in department and co-op rooms, and what it sees there.

The queue joins every room it routes chats to: to post offers there, and to see from the
occupants' presence who is monitoring. Rooms are non-anonymous (Prosody's
muc_room_default_public_jids), so occupants' real JIDs come with their presence.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slixmpp import JID, ComponentXMPP, Presence
from slixmpp.xmlstream import ET

from components.queue.monitoring import Monitoring

log = logging.getLogger(__name__)

MUC = "http://jabber.org/protocol/muc"
MUC_USER = "http://jabber.org/protocol/muc#user"
SELF_PRESENCE = "110"
LEAVE_ID = "leave-before-join:"
"""Marks the leave sent before a join; the room's error to it (we were not in) is expected."""


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
        for room in self.joined:
            self._xmpp.make_presence(
                pto=f"{room}/{self.nick}", pfrom=self.occupant_jid, ptype="unavailable"
            ).send()
        self.joined.clear()

    def handle_presence(self, presence: Presence) -> bool:
        """Take a presence from a room; False when it is not from a room we are in."""
        room, nick = presence["from"].bare, presence["from"].resource
        x = presence.xml.find(f"{{{MUC_USER}}}x")
        if x is None or not nick:
            return False
        statuses = {status.get("code") for status in x.findall(f"{{{MUC_USER}}}status")}
        if SELF_PRESENCE in statuses:
            self._own_presence(room, presence["type"])
            return True
        item = x.find(f"{{{MUC_USER}}}item")
        real = JID(item.get("jid")).bare if item is not None and item.get("jid") else None
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
        self._on_change(room)

    def handle_error(self, presence: Presence) -> None:
        if presence["id"].startswith(LEAVE_ID):
            return
        room = presence["from"].bare
        log.error("cannot join %s: %s", room, presence["error"]["condition"])
        self.monitoring.room_lost(room)
