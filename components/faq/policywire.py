"""The policy page on the wire (schemas/faq.xsd): <policy/> with its fields and stale flags,
and <policy-status/>, a library's word to a co-op's registry on when its page last changed.
The faq component and the registry both use this module, so both ends read the same."""

from __future__ import annotations

from datetime import UTC, datetime

from slixmpp.xmlstream import ET

from components.faq.stanzas import NS
from refdesk.db.stores.policies import PolicyRecord
from refdesk.errors import InvalidInput


def stamp(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat().replace("+00:00", "Z")


def read_stamp(text: str) -> datetime:
    try:
        instant = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"Not a date and time: {text[:40]!r}.") from None
    if instant.tzinfo is None:
        raise InvalidInput(f"A date and time needs its time zone: {text[:40]!r}.")
    return instant.astimezone(UTC)


def policy_element(page: PolicyRecord, stale: dict[str, int]) -> ET.Element:
    """The page as answered, with a stale flag per co-op id -> its age limit in days."""
    element = ET.Element(f"{{{NS}}}policy")
    if page.updated is not None:
        element.set("updated", stamp(page.updated))
    if page.updated_by:
        element.set("updated-by", page.updated_by)
    for name, text in page.fields.items():
        ET.SubElement(element, f"{{{NS}}}field", {"name": name.value}).text = text
    for coop, days in sorted(stale.items()):
        ET.SubElement(element, f"{{{NS}}}stale", {"coop": coop, "max-age-days": str(days)})
    return element


def read_fields(element: ET.Element) -> dict[str, str]:
    """The fields of a <policy/> to save; a field named twice is refused."""
    fields: dict[str, str] = {}
    for field in element.iterfind(f"{{{NS}}}field"):
        name = field.get("name", "")
        if name in fields:
            raise InvalidInput(f"The {name} field is given twice.")
        fields[name] = field.text or ""
    return fields


def status_element(coop: str, updated: datetime | None) -> ET.Element:
    element = ET.Element(f"{{{NS}}}policy-status", {"coop": coop})
    if updated is not None:
        element.set("updated", stamp(updated))
    return element
