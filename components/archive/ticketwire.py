"""The follow-up ticket requests of urn:refdesk:archive:0 (schemas/archive.xsd): slixmpp
stanza plugins for what arrives, and the elements the archive answers with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from slixmpp import Iq
from slixmpp.xmlstream import ET, ElementBase, register_stanza_plugin

from refdesk.db.stores.tickets import StateFilter, TicketPage, TicketRecord
from refdesk.errors import InvalidInput

NS = "urn:refdesk:archive:0"
RSM = "http://jabber.org/protocol/rsm"
DEFAULT_PAGE = 20
MAX_PAGE = 100
MAX_TEXT = 10_000


class TicketsQuery(ElementBase):
    name = "tickets"
    namespace = NS
    plugin_attrib = "archive_tickets"
    interfaces = {"state"}


class Assign(ElementBase):
    name = "assign"
    namespace = NS
    plugin_attrib = "archive_assign"
    interfaces = {"ticket", "to"}


class Answer(ElementBase):
    name = "answer"
    namespace = NS
    plugin_attrib = "archive_answer"
    interfaces = {"ticket", "keep-open"}


class Close(ElementBase):
    name = "close"
    namespace = NS
    plugin_attrib = "archive_close"
    interfaces = {"ticket"}


class Refer(ElementBase):
    name = "refer"
    namespace = NS
    plugin_attrib = "archive_refer"
    interfaces = {"ticket", "to"}


class ReferralPayload(ElementBase):
    name = "referral"
    namespace = NS
    plugin_attrib = "archive_referral"
    interfaces = {"library-name", "ticket", "question", "name", "email", "note"}
    sub_interfaces = {"question", "name", "email", "note"}


class EmailTranscript(ElementBase):
    name = "email-transcript"
    namespace = NS
    plugin_attrib = "archive_email_transcript"
    interfaces = {"id", "to"}


def register_stanzas() -> None:
    for payload in (TicketsQuery, Assign, Answer, Close, Refer, ReferralPayload,
                    EmailTranscript):
        register_stanza_plugin(Iq, payload)


def element(name: str, attributes: dict[str, str | None] | None = None,
            text: str | None = None) -> ET.Element:
    """An element of the archive namespace; attributes that are None are left out."""
    made = ET.Element(f"{{{NS}}}{name}", {key: value for key, value in
                                          (attributes or {}).items() if value is not None})
    made.text = text
    return made


def ticket_number(value: str | None) -> int:
    if value is None or not value.isdigit() or not 0 < int(value) < 2**31:
        raise InvalidInput("Say which ticket: ticket='N', N a ticket number.")
    return int(value)


def text_of(value: str | None, what: str, limit: int = MAX_TEXT) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"The {what} is empty.")
    if len(text) > limit:
        raise InvalidInput(f"The {what} is longer than {limit} characters.")
    return text


STATES: dict[str, StateFilter] = {"": "open", "open": "open", "closed": "closed", "all": "all"}


def state_filter(value: str | None) -> StateFilter:
    try:
        return STATES[value or ""]
    except KeyError:
        raise InvalidInput("state is open, closed or all.") from None


@dataclass(frozen=True)
class PageRequest:
    """XEP-0059: how many, and after or before which ticket."""

    limit: int = DEFAULT_PAGE
    after: int | None = None
    before: int | None = None


def page_request(query: ET.Element) -> PageRequest:
    wanted = query.find(f"{{{RSM}}}set")
    if wanted is None:
        return PageRequest()
    limit, after, before = (wanted.findtext(f"{{{RSM}}}{name}") for name in
                            ("max", "after", "before"))
    if limit is not None and (not limit.isdigit() or int(limit) > MAX_PAGE):
        raise InvalidInput(f"max is a whole number up to {MAX_PAGE}.")
    return PageRequest(DEFAULT_PAGE if limit is None else int(limit),
                       _rsm_id(after, "after"), _rsm_id(before, "before"))


def _rsm_id(value: str | None, what: str) -> int | None:
    """XEP-0059: an empty <before/> asks for the last page, which is the newest here."""
    if value is None or (what == "before" and value == ""):
        return None
    if not value.isdigit() or not 0 < int(value) < 2**31:
        raise InvalidInput(f"<{what}/> is a ticket number from an earlier page.")
    return int(value)


def tickets_element(state: StateFilter, page: TicketPage) -> ET.Element:
    listed = element("tickets", {"state": state})
    listed.extend(ticket_element(ticket) for ticket in page.tickets)
    result = ET.SubElement(listed, f"{{{RSM}}}set")
    if page.tickets:
        first = ET.SubElement(result, f"{{{RSM}}}first")
        first.text = str(page.tickets[0].id)
        ET.SubElement(result, f"{{{RSM}}}last").text = str(page.tickets[-1].id)
    ET.SubElement(result, f"{{{RSM}}}count").text = str(page.count)
    return listed


def ticket_element(ticket: TicketRecord) -> ET.Element:
    made = element("ticket", {
        "id": str(ticket.id), "state": ticket.state.value, "opened": _instant(ticket.opened_at),
        "chat": ticket.chat_id, "origin": ticket.origin, "opened-by": ticket.opened_by,
        "patron": ticket.patron_name, "email": ticket.patron_email,
        "assigned": ticket.assigned_to, "answered": _instant(ticket.answered_at),
        "answered-by": ticket.answered_by, "closed": _instant(ticket.closed_at),
        "referred-from": ticket.referred_from, "referred-to": ticket.referred_to})
    for name, text in (("question", ticket.question), ("note", ticket.note),
                       ("answer", ticket.answer)):
        if text is not None:
            ET.SubElement(made, f"{{{NS}}}{name}").text = text
    return made


def _instant(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat().replace("+00:00", "Z")
