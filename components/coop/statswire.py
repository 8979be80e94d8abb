"""The Contribution Percentage, the dashboard and fair offering on the wire
(urn:refdesk:stats:0, schemas/stats.xsd): the requests the registry reads and the answers it
writes. The reports and monitoring activity of the same namespace have their own modules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from slixmpp import Iq
from slixmpp.xmlstream import ET, ElementBase, register_stanza_plugin

from refdesk.db.stores.contribution import Figures
from refdesk.errors import InvalidInput

NS = "urn:refdesk:stats:0"
BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


class ContributionPayload(ElementBase):
    name = "contribution"
    namespace = NS
    plugin_attrib = "refdesk_contribution"
    interfaces: ClassVar[set[str]] = {"coop", "from", "to", "zone"}


class DashboardPayload(ElementBase):
    name = "dashboard"
    namespace = NS
    plugin_attrib = "refdesk_dashboard"
    interfaces: ClassVar[set[str]] = {"zone"}


class FairnessPayload(ElementBase):
    name = "fairness"
    namespace = NS
    plugin_attrib = "refdesk_fairness"
    interfaces: ClassVar[set[str]] = {"coop", "enabled", "delay", "target"}


def register() -> None:
    for payload in (ContributionPayload, DashboardPayload, FairnessPayload):
        register_stanza_plugin(Iq, payload)


@dataclass(frozen=True)
class MemberRow:
    domain: str
    name: str
    contributing: bool
    figures: Figures
    target: int


@dataclass(frozen=True)
class DashboardCoop:
    id: str
    name: str
    level: str
    institution: str
    answered: int
    hours: float
    percent: float | None
    coop_chats: int
    members: int


@dataclass(frozen=True)
class FairnessChange:
    enabled: bool | None
    delay_s: int | None
    target: int | None


def write_figures(element: ET.Element, figures: Figures) -> None:
    element.set("requested", str(figures.requested))
    element.set("accepted", str(figures.accepted))
    if figures.percent is not None:
        element.set("percent", _decimal(figures.percent))


def write_member(payload: ET.Element, row: MemberRow) -> None:
    member = ET.SubElement(payload, f"{{{NS}}}member", {
        "domain": row.domain, "name": row.name, "contributing": _flag(row.contributing)})
    write_figures(member, row.figures)
    member.set("target", str(row.target))


def write_dashboard_coop(payload: ET.Element, coop: DashboardCoop) -> None:
    element = ET.SubElement(payload, f"{{{NS}}}coop", {
        "id": coop.id, "name": coop.name, "level": coop.level, "institution": coop.institution,
        "answered": str(coop.answered), "hours": f"{coop.hours:.4f}",
        "coop-chats": str(coop.coop_chats), "members": str(coop.members)})
    if coop.percent is not None:
        element.set("percent", _decimal(coop.percent))


def read_fairness_change(payload: FairnessPayload) -> FairnessChange:
    """What a Co-Op Admin asks to change; InvalidInput with a sentence for nonsense."""
    enabled = payload["enabled"] or None
    if enabled is not None and enabled not in BOOLEANS:
        raise InvalidInput("enabled is true or false.")
    delay = _whole(payload["delay"], 1, 20, "The delay is a whole number of seconds, 1 to 20.")
    target = _whole(payload["target"], 0, 1000,
                    "The target is a whole percentage from 0 to 1000.")
    return FairnessChange(BOOLEANS[enabled] if enabled else None, delay, target)


def write_fairness(payload: FairnessPayload, coop: str, enabled: bool, delay_s: int,
                   target: int) -> None:
    payload["coop"], payload["enabled"] = coop, _flag(enabled)
    if delay_s:
        payload["delay"] = str(delay_s)
    payload["target"] = str(target)


def _whole(text: str, low: int, high: int, sentence: str) -> int | None:
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        raise InvalidInput(sentence) from None
    if not low <= value <= high:
        raise InvalidInput(sentence)
    return value


def _decimal(value: float) -> str:
    return f"{value:.1f}"


def _flag(value: bool) -> str:
    return "true" if value else "false"
