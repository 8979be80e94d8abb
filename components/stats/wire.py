"""The report request and result of urn:refdesk:stats:0 (schemas/stats.xsd), read and made
here for stats.<library> and coop.<host> alike."""

from __future__ import annotations

from dataclasses import dataclass

from slixmpp import Iq
from slixmpp.xmlstream import ET

from refdesk.errors import InvalidInput
from refdesk.reports.engine import check_kind
from refdesk.reports.facts import Filters, Scope
from refdesk.reports.figures import Figures, Report
from refdesk.reports.period import Period, period

NS = "urn:refdesk:stats:0"
MAX_FILTER = 3071
"""The longest filter stats.xsd allows (a JID); a slug is at most 64."""


@dataclass(frozen=True)
class ReportRequest:
    kind: str
    period: Period
    filters: Filters


def payload(iq: Iq, name: str = "report") -> ET.Element:
    """The request's <name xmlns=NS/> (the handler's matcher found it)."""
    found = iq.xml.find(f"{{{NS}}}{name}")
    assert found is not None
    return found


def read_report(element: ET.Element) -> ReportRequest:
    """The request in a <report/>; a clear bad-request for anything out of shape."""
    return ReportRequest(check_kind(element.get("kind")),
                         period(element.get("from"), element.get("to"), element.get("zone")),
                         Filters(coop=_filter(element, "coop", 64),
                                 widget=_filter(element, "widget", 64),
                                 institution=_filter(element, "institution", MAX_FILTER)))


def _filter(element: ET.Element, name: str, longest: int) -> str | None:
    value = element.get(name)
    if value is not None and not 0 < len(value) <= longest:
        raise InvalidInput(f"The {name} filter is 1 to {longest} characters long.")
    return value


def report_element(request: ReportRequest, report: Report, scope: Scope) -> ET.Element:
    """The <report/> answering `request`."""
    asked = request.period
    attributes = {"kind": report.kind, "from": asked.first.isoformat(),
                  "to": asked.last.isoformat(), "zone": asked.zone.key, "scope": scope.name,
                  "chats": str(report.chats)}
    for name in ("coop", "widget", "institution"):
        value = getattr(request.filters, name)
        if value is not None:
            attributes[name] = value
    answer = ET.Element(f"{{{NS}}}report", attributes)
    for table in report.tables:
        shown = ET.SubElement(answer, f"{{{NS}}}table", {"name": table.name})
        for row in table.rows:
            ET.SubElement(shown, f"{{{NS}}}row", row_attributes(row.key, row.label, row.figures))
    return answer


def row_attributes(key: str, label: str | None, figures: Figures) -> dict[str, str]:
    found = {"key": key, "chats": str(figures.chats), "answered": str(figures.answered),
             "ratings": str(figures.ratings)}
    if label:
        found["label"] = label
    for name, value in (("wait", figures.wait), ("duration", figures.duration),
                        ("rating", figures.rating)):
        if value is not None:
            found[name] = f"{max(value, 0):.2f}" if name != "rating" else f"{value:.2f}"
    return found
