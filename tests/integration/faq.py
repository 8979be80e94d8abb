"""Asking a library's faq component (urn:refdesk:faq:0) from any client of the lab, every
payload sent and received validated against schemas/faq.xsd."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import xmlschema
from slixmpp import Iq
from slixmpp.exceptions import IqError
from slixmpp.xmlstream import ET, tostring

from components.faq.stanzas import NS
from tests.integration.xmpp import Session

Kind = Literal["get", "set"]
RSM = "http://jabber.org/protocol/rsm"
SCHEMA = xmlschema.XMLSchema(str(Path(__file__).parents[2] / "schemas" / "faq.xsd"))


def valid(element: ET.Element) -> ET.Element:
    SCHEMA.validate(tostring(element))
    return element


def tag(name: str) -> str:
    return f"{{{NS}}}{name}"


@dataclass(frozen=True)
class Found:
    """An FAQ as an answer carries it."""

    id: int
    group: int
    group_name: str
    availability: str
    staff_only: bool
    question: str
    answer: str
    keywords: str
    updated_by: str | None

    @classmethod
    def of(cls, element: ET.Element) -> Found:
        def text(name: str) -> str:
            child = element.find(tag(name))
            return "" if child is None else child.text or ""
        return cls(int(element.get("id", "0")), int(element.get("group", "0")),
                   element.get("group-name", ""), element.get("availability", ""),
                   element.get("staff-only") == "true", text("question"), text("answer"),
                   text("keywords"), element.get("updated-by"))


@dataclass(frozen=True)
class Group:
    id: int
    name: str
    availability: str
    count: int

    @classmethod
    def of(cls, element: ET.Element) -> Group:
        return cls(int(element.get("id", "0")), element.get("name", ""),
                   element.get("availability", ""), int(element.get("count", "0")))


async def ask(session: Session, domain: str, payload: ET.Element, kind: Kind = "get") -> Iq:
    """Send one request to faq.<domain>; the result (IqError if refused)."""
    iq = session.xmpp.make_iq(ito=f"faq.{domain}", itype=kind)
    iq.xml.append(valid(payload))
    reply: Iq = await iq.send(timeout=15)
    for child in reply.xml:
        if child.tag.startswith(f"{{{NS}}}"):
            valid(child)
    return reply


async def answer(session: Session, domain: str, payload: ET.Element,
                 kind: Kind = "get") -> ET.Element | None:
    """The urn:refdesk:faq:0 element of the result, if it has one."""
    reply = await ask(session, domain, payload, kind)
    return next((child for child in reply.xml if child.tag.startswith(f"{{{NS}}}")), None)


async def refusal(session: Session, domain: str, payload: ET.Element,
                  kind: Kind = "get") -> tuple[str, str]:
    """(condition, text) of the error a request is refused with; ("ok", "") if answered."""
    try:
        await ask(session, domain, payload, kind)
    except IqError as error:
        return str(error.iq["error"]["condition"]), str(error.iq["error"]["text"])
    return "ok", ""


def search_request(words: str, limit: int | None = None) -> ET.Element:
    element = ET.Element(tag("search"), {} if limit is None else {"max": str(limit)})
    ET.SubElement(element, tag("text")).text = words
    return element


def group_request(name: str, availability: str, group_id: int | None = None) -> ET.Element:
    attributes = {"name": name, "availability": availability}
    if group_id is not None:
        attributes["id"] = str(group_id)
    return ET.Element(tag("group"), attributes)


def faq_request(group: int, question: str, answer_text: str, keywords: str = "",
                faq_id: int | None = None) -> ET.Element:
    element = ET.Element(tag("faq"), {"group": str(group)})
    if faq_id is not None:
        element.set("id", str(faq_id))
    ET.SubElement(element, tag("question")).text = question
    ET.SubElement(element, tag("answer")).text = answer_text
    if keywords:
        ET.SubElement(element, tag("keywords")).text = keywords
    return element


def by_id(name: str, value: int, attribute: str = "id") -> ET.Element:
    """delete-group, delete-faq (id) or faqs (group)."""
    return ET.Element(tag(name), {attribute: str(value)})


def import_request(csv: str) -> ET.Element:
    element = ET.Element(tag("import"))
    ET.SubElement(element, tag("csv")).text = csv
    return element


async def search(session: Session, domain: str, words: str, limit: int = 50) -> list[Found]:
    results = await answer(session, domain, search_request(words, limit))
    assert results is not None and results.tag == tag("results")
    return [Found.of(faq) for faq in results]


async def groups(session: Session, domain: str) -> list[Group]:
    listing = await answer(session, domain, ET.Element(tag("groups")))
    assert listing is not None
    return [Group.of(group) for group in listing]


async def faqs(session: Session, domain: str, group: int) -> list[Found]:
    """Every FAQ of the group, page after page (XEP-0059) as the component sends them."""
    found: list[Found] = []
    while True:
        request = by_id("faqs", group, "group")
        if found:
            ET.SubElement(ET.SubElement(request, f"{{{RSM}}}set"), f"{{{RSM}}}after").text = (
                str(found[-1].id))
        listing = await answer(session, domain, request)
        assert listing is not None
        page = [Found.of(faq) for faq in listing.findall(tag("faq"))]
        found += page
        if not page or len(found) >= int(listing.findtext(f"{{{RSM}}}set/{{{RSM}}}count", "0")):
            return found


async def save_group(session: Session, domain: str, name: str, availability: str,
                     group_id: int | None = None) -> Group:
    saved = await answer(session, domain, group_request(name, availability, group_id), "set")
    assert saved is not None
    return Group.of(saved)


async def save_faq(session: Session, domain: str, group: int, question: str, answer_text: str,
                   keywords: str = "", faq_id: int | None = None) -> Found:
    saved = await answer(session, domain,
                         faq_request(group, question, answer_text, keywords, faq_id), "set")
    assert saved is not None
    return Found.of(saved)


async def export(session: Session, domain: str) -> str:
    csv = await answer(session, domain, ET.Element(tag("export")))
    assert csv is not None and csv.tag == tag("csv")
    return csv.text or ""


async def import_csv(session: Session, domain: str, csv: str) -> tuple[int, int]:
    """(FAQs, groups created) of an import."""
    imported = await answer(session, domain, import_request(csv), "set")
    assert imported is not None
    return int(imported.get("faqs", "0")), int(imported.get("groups", "0"))


def tag_element(name: str) -> ET.Element:
    """A request with no attributes: groups, export."""
    return ET.Element(tag(name))


async def group(session: Session, domain: str, group_id: int) -> Group:
    """One group as the groups listing shows it to this asker."""
    return next(g for g in await groups(session, domain) if g.id == group_id)
