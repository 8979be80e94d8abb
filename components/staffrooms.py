"""Staff rooms kept by refdesk: members-only, hidden, with the member list refdesk's data says.

A department room holds its library's operators with chat access; a co-op room holds the
users given access to the co-op and the queues of its member libraries. Nobody else joins,
reads the history or queries the archive (Prosody's MUC and muc_mam enforce members-only
for all three). The component owning the room (an admin of its MUC service, see the Prosody
template) applies the configuration and brings the member list in line, adding who is
missing and removing who is no longer entitled; owners and admins are left alone.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Literal

from slixmpp import JID, ComponentXMPP, Iq
from slixmpp.exceptions import IqError, IqTimeout
from slixmpp.xmlstream import ET

from components.errors import error_condition

log = logging.getLogger(__name__)

MUC_OWNER = "http://jabber.org/protocol/muc#owner"
MUC_ADMIN = "http://jabber.org/protocol/muc#admin"
DATA_FORMS = "jabber:x:data"
ROOM_CONFIG = "http://jabber.org/protocol/muc#roomconfig"
TIMEOUT_S = 10.0


def _config(name: str) -> dict[str, str]:
    return {
        "FORM_TYPE": ROOM_CONFIG,
        "muc#roomconfig_roomname": name,
        "muc#roomconfig_membersonly": "1",
        "muc#roomconfig_publicroom": "0",
        "muc#roomconfig_persistentroom": "1",
        # Members see each other's real JIDs (the queue needs them); outsiders never get in.
        "muc#roomconfig_whois": "anyone",
        # An invitation from a member would make the invitee a member: only refdesk adds them.
        "muc#roomconfig_allowinvites": "0",
        "muc#roomconfig_passwordprotectedroom": "0",
    }


async def keep_staff_room(xmpp: ComponentXMPP, room: str, name: str,
                          members: Iterable[str]) -> bool:
    """Configure `room` as a staff room with exactly `members`; False if the server refused."""
    try:
        await _configure(xmpp, room, name)
        await _sync_members(xmpp, room, {JID(member).bare for member in members})
    except (IqError, IqTimeout) as refused:
        log.error("cannot keep %s members-only: %s", room, _why(refused))
        return False
    return True


async def _configure(xmpp: ComponentXMPP, room: str, name: str) -> None:
    iq, query = _iq(xmpp, room, "set", MUC_OWNER)
    form = ET.SubElement(query, f"{{{DATA_FORMS}}}x", {"type": "submit"})
    for var, value in _config(name).items():
        field = ET.SubElement(form, f"{{{DATA_FORMS}}}field", {"var": var})
        ET.SubElement(field, f"{{{DATA_FORMS}}}value").text = value
    await iq.send(timeout=TIMEOUT_S)


async def _sync_members(xmpp: ComponentXMPP, room: str, wanted: set[str]) -> None:
    current = await members_of(xmpp, room)
    # Owners and admins are in already, and making one a member would demote them.
    wanted = wanted - await members_of(xmpp, room, "owner") - await members_of(xmpp, room,
                                                                                "admin")
    changes = [(jid, "member") for jid in sorted(wanted - current)]
    changes += [(jid, "none") for jid in sorted(current - wanted)]
    # One item per request: Prosody applies only the first item of a muc#admin set.
    results = await asyncio.gather(*(_affiliate(xmpp, room, jid, affiliation)
                                     for jid, affiliation in changes), return_exceptions=True)
    for (jid, affiliation), result in zip(changes, results, strict=True):
        if isinstance(result, IqError | IqTimeout):
            log.warning("%s: cannot make %s %s: %s", room, jid, affiliation, _why(result))
        elif isinstance(result, BaseException):
            raise result
    if changes:
        log.info("%s: %d members added, %d removed", room,
                 len(wanted - current), len(current - wanted))


async def _affiliate(xmpp: ComponentXMPP, room: str, jid: str, affiliation: str) -> None:
    iq, query = _iq(xmpp, room, "set", MUC_ADMIN)
    ET.SubElement(query, f"{{{MUC_ADMIN}}}item", {"jid": jid, "affiliation": affiliation})
    await iq.send(timeout=TIMEOUT_S)


async def members_of(xmpp: ComponentXMPP, room: str, affiliation: str = "member") -> set[str]:
    """The bare JIDs with this affiliation in the room (member: owners and admins are
    listed apart)."""
    iq, query = _iq(xmpp, room, "get", MUC_ADMIN)
    ET.SubElement(query, f"{{{MUC_ADMIN}}}item", {"affiliation": affiliation})
    result = await iq.send(timeout=TIMEOUT_S)
    items = result.xml.iterfind(f"{{{MUC_ADMIN}}}query/{{{MUC_ADMIN}}}item")
    return {JID(item.get("jid")).bare for item in items if item.get("jid")}


def _iq(xmpp: ComponentXMPP, room: str, kind: Literal["get", "set"],
        namespace: str) -> tuple[Iq, ET.Element]:
    iq = xmpp.make_iq(ito=room, ifrom=xmpp.boundjid.bare, itype=kind)
    return iq, ET.SubElement(iq.xml, f"{{{namespace}}}query")


def _why(refused: IqError | IqTimeout) -> str:
    if isinstance(refused, IqTimeout):
        return "no answer"
    return error_condition(refused.iq)
