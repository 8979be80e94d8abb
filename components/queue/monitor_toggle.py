"""Starting and stopping monitoring from the `monitoring` command.

Monitoring is presence in a room, which only the operator's client can make: starting is
an XEP-0249 invitation the client follows; stopping removes the occupant from the room
where the queue is a moderator (its own department rooms), and otherwise says where to
leave by hand.
"""

from __future__ import annotations

import logging

from slixmpp import JID, ComponentXMPP
from slixmpp.exceptions import IqError, IqTimeout
from slixmpp.xmlstream import ET

from components.queue.desk import Desk

log = logging.getLogger(__name__)

CONFERENCE = "jabber:x:conference"
MUC_ADMIN = "http://jabber.org/protocol/muc#admin"


def monitorable(desk: Desk, operator: str) -> dict[str, str]:
    """Room JID -> name, for the rooms this operator may monitor here."""
    rooms = {}
    if operator in desk.directory.operators:
        rooms.update(desk.directory.departments)
    for coop in desk.directory.coops.values():
        if desk.entitlement.may_monitor(coop.room, operator):
            rooms[coop.room] = coop.name
    return rooms


def state(desk: Desk, room: str, operator: str) -> str:
    occupant = desk.monitoring.occupant(room, operator)
    if occupant is None:
        return "not monitoring"
    return "monitoring" if occupant.monitoring else f"present but {occupant.show}"


async def toggle(xmpp: ComponentXMPP, desk: Desk, operator: str, wanted: set[str]) -> list[str]:
    """Invite to the rooms newly wanted, remove from the rooms no longer wanted."""
    notes = []
    for room, label in monitorable(desk, operator).items():
        occupant = desk.monitoring.occupant(room, operator)
        if room in wanted and occupant is None:
            _invite(xmpp, room, label, operator)
            notes.append(f"{label}: invitation sent; accept it to start monitoring.")
        elif room not in wanted and occupant is not None:
            if await _remove(xmpp, room, occupant.nick):
                notes.append(f"{label}: you stopped monitoring.")
            else:
                notes.append(f"{label}: leave the room {room} in your client to stop.")
    return notes


def _invite(xmpp: ComponentXMPP, room: str, label: str, operator: str) -> None:
    message = xmpp.make_message(operator, f"Monitor {label}: join {room}", mtype="normal",
                                mfrom=xmpp.boundjid.bare)
    ET.SubElement(message.xml, f"{{{CONFERENCE}}}x",
                  {"jid": room, "reason": f"Monitor {label} for refdesk chats"})
    message.send()


async def _remove(xmpp: ComponentXMPP, room: str, nick: str) -> bool:
    """Set the occupant's role to none, as a moderator; False where the queue may not."""
    iq = xmpp.make_iq_set(ito=room, ifrom=JID(f"{xmpp.boundjid.bare}/queue"))
    query = ET.SubElement(iq.xml, f"{{{MUC_ADMIN}}}query")
    item = ET.SubElement(query, f"{{{MUC_ADMIN}}}item", {"nick": nick, "role": "none"})
    ET.SubElement(item, f"{{{MUC_ADMIN}}}reason").text = "Stopped monitoring"
    try:
        await iq.send(timeout=10)
    except (IqError, IqTimeout) as refused:
        log.info("cannot remove %s from %s: %s", nick, room, refused)
        return False
    return True
