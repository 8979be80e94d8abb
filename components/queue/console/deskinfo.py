"""A librarian's desk: who they are at their library, its all-staff room and departments,
and the co-ops they have access to with those co-ops' members (schemas/console.xsd, desk).

Only the library's own operators have a desk here; the co-ops are those the library's
queue follows, as their registries last published them (the one authority on who belongs).
"""

from __future__ import annotations

from collections.abc import Mapping

from slixmpp.xmlstream import ET

from components.queue.console.stanzas import boolean, child, element
from refdesk.db.models import CoopLevel
from refdesk.db.stores.directory import Directory
from refdesk.db.stores.registry import CoopRecord
from refdesk.errors import NotPermitted

ADMIN_LEVELS = frozenset({CoopLevel.INSTITUTION_ADMIN, CoopLevel.COOP_ADMIN})
NOT_STAFF = "The desk is for this library's staff."


def staff_room(domain: str) -> str:
    """The library's all-staff room: every operator of the library, nobody else."""
    return f"staff@conference.{domain}"


def staff_room_name(directory: Directory) -> str:
    return f"{directory.name} staff"


def is_admin(directory: Directory, coops: Mapping[str, CoopRecord], operator: str) -> bool:
    """A local admin, or an institution or co-op admin at this library in a co-op it
    follows."""
    local = directory.operators.get(operator)
    if local is None:
        return False
    return local.local_admin or any(
        user is not None and user.institution == directory.domain and user.level in ADMIN_LEVELS
        for user in (coop.user(operator) for coop in coops.values()))


def desk_element(directory: Directory, coops: Mapping[str, CoopRecord],
                 operator: str) -> ET.Element:
    """The operator's desk; NotPermitted for anyone not an operator of this library."""
    local = directory.operators.get(operator)
    if local is None:
        raise NotPermitted(NOT_STAFF)
    desk = element("desk", {"library": directory.domain, "name": directory.name})
    child(desk, "me", {"jid": operator, "nick": local.nick,
                       "admin": boolean(is_admin(directory, coops, operator)),
                       "local-admin": boolean(local.local_admin)})
    child(desk, "staff-room", {"jid": staff_room(directory.domain),
                               "name": staff_room_name(directory)})
    for room, name in sorted(directory.departments.items(), key=lambda item: item[1]):
        child(desk, "department", {"jid": room, "name": name})
    for coop_id in sorted(directory.coops):
        coop = coops.get(coop_id)
        user = coop.user(operator) if coop is not None else None
        if coop is not None and user is not None:
            desk.append(_coop(directory, coop, user.level.value))
    return desk


def _coop(directory: Directory, coop: CoopRecord, level: str) -> ET.Element:
    host_name = directory.institutions.get(coop.host) or next(
        (member.name for member in coop.members if member.domain == coop.host), None)
    made = element("coop", {"id": coop.id, "name": coop.name, "room": coop.room,
                            "host": coop.host, "host-name": host_name, "level": level})
    for member in sorted(coop.members, key=lambda m: m.name):
        child(made, "member", {"domain": member.domain, "name": member.name,
                               "queue": f"queue.{member.domain}"})
    return made
