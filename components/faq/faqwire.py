"""FAQs and groups to and from their urn:refdesk:faq:0 elements, every value checked against
schemas/faq.xsd's limits before it reaches the store."""

from __future__ import annotations

from datetime import UTC, datetime

from slixmpp.xmlstream import ET

from components.faq.access import Standing
from components.faq.stanzas import NS
from refdesk.db.models import Availability
from refdesk.db.stores.faqs import FaqDraft, FaqRecord, GroupRecord
from refdesk.errors import InvalidInput

RSM = "http://jabber.org/protocol/rsm"
DEFAULT_RESULTS, MAX_RESULTS = 10, 50
LIMITS = {"name": 255, "question": 1000, "answer": 20_000, "keywords": 1000}


def tag(name: str) -> str:
    return f"{{{NS}}}{name}"


def _when(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def faq_element(faq: FaqRecord, standing: Standing) -> ET.Element:
    """An FAQ as every answer carries it; staff-only marks the 24/7 Staffing group's. Who
    last changed it is for staff only: a patron never learns a librarian's address."""
    element = ET.Element(tag("faq"), {
        "id": str(faq.id), "group": str(faq.group_id), "group-name": faq.group_name,
        "availability": faq.availability.value,
        "staff-only": str(faq.availability == Availability.STAFFING).lower(),
        "updated": _when(faq.updated_at)})
    if faq.updated_by and standing > Standing.ANYONE:
        element.set("updated-by", faq.updated_by)
    for name, value in (("question", faq.question), ("answer", faq.answer),
                        ("keywords", faq.keywords)):
        if value or name != "keywords":
            ET.SubElement(element, tag(name)).text = value
    return element


def group_element(group: GroupRecord) -> ET.Element:
    return ET.Element(tag("group"), {"id": str(group.id), "name": group.name,
                                     "availability": group.availability.value,
                                     "count": str(group.count)})


def identifier(element: ET.Element, attribute: str = "id") -> int:
    """A positive integer attribute, required."""
    value = element.get(attribute, "")
    if not value.isascii() or not value.isdigit() or int(value) < 1 or len(value) > 18:
        raise InvalidInput(f"The {attribute} attribute must be a positive number, "
                           f"not {value!r}.")
    return int(value)


def after(request: ET.Element) -> int:
    """XEP-0059's <after/> of a faqs request: the id of the last FAQ already read (0: none)."""
    value = request.findtext(f"{{{RSM}}}set/{{{RSM}}}after")
    if value is None:
        return 0
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise InvalidInput(f"<after/> is the id of an FAQ from an earlier page, not {value!r}.")
    return int(value)


def page_set(shown: list[ET.Element], total: int) -> ET.Element:
    """XEP-0059's answer: the first and last id shown, and the group's count."""
    result = ET.Element(f"{{{RSM}}}set")
    if shown:
        ET.SubElement(result, f"{{{RSM}}}first").text = shown[0].get("id")
        ET.SubElement(result, f"{{{RSM}}}last").text = shown[-1].get("id")
    ET.SubElement(result, f"{{{RSM}}}count").text = str(total)
    return result


def optional_id(element: ET.Element) -> int | None:
    return None if element.get("id") is None else identifier(element)


def availability(element: ET.Element) -> Availability:
    value = element.get("availability", "")
    try:
        return Availability(value)
    except ValueError:
        choices = ", ".join(a.value for a in Availability)
        raise InvalidInput(f"The availability must be one of {choices}; not {value!r}.") from None


def limited(value: str, what: str, required: bool = True) -> str:
    value = value.strip()
    if required and not value:
        raise InvalidInput(f"The {what} is empty.")
    if len(value) > LIMITS[what]:
        raise InvalidInput(f"The {what} is longer than {LIMITS[what]} characters.")
    return value


def group_name(element: ET.Element) -> str:
    return limited(element.get("name", ""), "name")


def draft(element: ET.Element) -> FaqDraft:
    """The FAQ a `faq` request saves."""
    def child(name: str) -> str:
        found = element.find(tag(name))
        return "" if found is None else found.text or ""

    return FaqDraft(identifier(element, "group"), limited(child("question"), "question"),
                    limited(child("answer"), "answer"),
                    limited(child("keywords"), "keywords", required=False),
                    optional_id(element))


def search_words(element: ET.Element) -> str:
    found = element.find(tag("text"))
    return "" if found is None else found.text or ""


def result_count(element: ET.Element) -> int:
    value = element.get("max")
    if value is None:
        return DEFAULT_RESULTS
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= MAX_RESULTS:
        raise InvalidInput(f"max is a number from 1 to {MAX_RESULTS}; not {value!r}.")
    return int(value)
