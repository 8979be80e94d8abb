"""The registry's published item: one co-op as `<coop xmlns='urn:refdesk:coop:0'/>`, and the
chat-access report member libraries send it (schemas/coop.xsd).

Both ends use this module, so that what the registry publishes is what the members read.
"""

from __future__ import annotations

from slixmpp.xmlstream import ET

from refdesk.db.models import CoopAudience, CoopKind, CoopLevel, InstitutionKind
from refdesk.db.stores.registry import CoopMember, CoopRecord, CoopUser

NS = "urn:refdesk:coop:0"
PUBSUB = "http://jabber.org/protocol/pubsub"
PUBSUB_EVENT = "http://jabber.org/protocol/pubsub#event"
DEFAULT_MAX_AGE_DAYS = 180
MAX_FAIR_DELAY_S = 20
ITEM_ID = "current"
"""The one item of a co-op's node: the co-op as it stands now."""


class BadSnapshot(ValueError):
    """A published item that is no co-op this version of refdesk can read."""


def coop_element(coop: CoopRecord) -> ET.Element:
    element = ET.Element(f"{{{NS}}}coop", {
        "id": coop.id, "name": coop.name, "kind": coop.kind.value,
        "audience": coop.audience.value, "host": coop.host, "room": coop.room,
        "policy-max-age-days": str(coop.policy_max_age_days)})
    if coop.fair_delay_s:
        element.set("fair-delay", str(coop.fair_delay_s))
    for member in coop.members:
        attributes = {"domain": member.domain, "name": member.name, "kind": member.kind.value,
                      "contributing": _flag(member.contributing)}
        if member.below_target:
            attributes["below-target"] = "true"
        ET.SubElement(element, f"{{{NS}}}member", attributes)
    for user in coop.users:
        attributes = {"jid": user.jid, "nick": user.nick, "institution": user.institution,
                      "level": user.level.value, "chat": _flag(user.chat_enabled)}
        if user.quality:
            attributes["quality"] = "true"
        ET.SubElement(element, f"{{{NS}}}user", attributes)
    return element


def read_coop(element: ET.Element, component: str) -> CoopRecord:
    """The co-op published by the registry `component`; BadSnapshot if it is not one."""
    try:
        return CoopRecord(
            element.attrib["id"], element.attrib["name"], CoopKind(element.attrib["kind"]),
            CoopAudience(element.attrib["audience"]), element.attrib["host"],
            element.attrib["room"], component,
            members=tuple(
                CoopMember(m.attrib["domain"], m.attrib["name"],
                           InstitutionKind(m.attrib["kind"]), _read_flag(m, "contributing"),
                           "below-target" in m.attrib and _read_flag(m, "below-target"))
                for m in element.iterfind(f"{{{NS}}}member")),
            users=tuple(
                CoopUser(u.attrib["jid"], u.attrib["nick"], u.attrib["institution"],
                         CoopLevel(u.attrib["level"]), _read_flag(u, "chat"),
                         quality="quality" in u.attrib and _read_flag(u, "quality"))
                for u in element.iterfind(f"{{{NS}}}user")),
            policy_max_age_days=_max_age(element),
            fair_delay_s=_fair_delay(element),
        )
    except (KeyError, ValueError) as error:
        raise BadSnapshot(f"not a co-op: {error}") from None


def _max_age(element: ET.Element) -> int:
    # A registry older than the attribute publishes none: the schema's default holds.
    days = int(element.get("policy-max-age-days", DEFAULT_MAX_AGE_DAYS))
    if not 1 <= days <= 3650:
        raise ValueError(f"policy-max-age-days={days}")
    return days


def _fair_delay(element: ET.Element) -> int:
    delay = int(element.get("fair-delay", "0"))
    if not 0 <= delay <= MAX_FAIR_DELAY_S:
        raise ValueError(f"fair-delay={delay}")
    return delay


def access_element(enabled: dict[str, bool]) -> ET.Element:
    """A library's word on which of its users have chat access."""
    element = ET.Element(f"{{{NS}}}access")
    for jid, chat in sorted(enabled.items()):
        ET.SubElement(element, f"{{{NS}}}user", {"jid": jid, "chat": _flag(chat)})
    return element


def read_access(element: ET.Element) -> dict[str, bool]:
    try:
        return {user.attrib["jid"]: _read_flag(user, "chat")
                for user in element.iterfind(f"{{{NS}}}user")}
    except (KeyError, ValueError) as error:
        raise BadSnapshot(f"not an access report: {error}") from None


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _read_flag(element: ET.Element, name: str) -> bool:
    value = element.attrib[name]
    if value not in ("true", "false", "1", "0"):
        raise ValueError(f"{name}={value!r}")
    return value in ("true", "1")
