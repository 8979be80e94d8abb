"""What the archive stories share: chats answered through the real queue, and the archive's
requests (urn:refdesk:archive:0), every payload sent and received validated against its XSD."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import xmlschema
from slixmpp import JID, Iq
from slixmpp.exceptions import IqError
from slixmpp.xmlstream import ET, tostring

from components.archive.stanzas import NS, RSM
from tests.integration.queue import asking, carrying, chat_id, claim_by_text, join
from tests.integration.xmpp import Session, operator, patron

Kind = Literal["get", "set"]
SCHEMA = xmlschema.XMLSchema(str(Path(__file__).parents[2] / "schemas" / "archive.xsd"))


def valid(element: ET.Element) -> ET.Element:
    SCHEMA.validate(tostring(element))
    return element


@dataclass(frozen=True)
class Listing:
    ids: list[str]
    count: int
    first: str | None
    last: str | None
    summaries: list[ET.Element]


async def ask(session: Session, domain: str, payload: ET.Element, kind: Kind = "get") -> Iq:
    """Send one archive request to archive.<domain>; the result (IqError if refused)."""
    iq = session.xmpp.make_iq(ito=f"archive.{domain}", itype=kind)
    iq.xml.append(valid(payload))
    reply: Iq = await iq.send(timeout=15)
    for child in reply.xml:
        if child.tag.startswith(f"{{{NS}}}"):
            valid(child)
    return reply


async def outcome(session: Session, domain: str, payload: ET.Element,
                  kind: Kind = "get") -> str:
    """"ok" for a result, else the error condition the request was refused with."""
    try:
        await ask(session, domain, payload, kind)
    except IqError as error:
        return str(error.iq["error"]["condition"])
    return "ok"


async def refused(session: Session, domain: str, payload: ET.Element,
                  kind: Kind = "get") -> str:
    """The error condition a request is refused with."""
    answer = await outcome(session, domain, payload, kind)
    assert answer != "ok", f"{session.jid} was answered"
    return answer


def element(name: str, text: str | None = None, **attributes: str) -> ET.Element:
    made = ET.Element(f"{{{NS}}}{name}", {k.replace("_", "-"): v for k, v in attributes.items()})
    made.text = text
    return made


def transcripts_request(max_items: int | None = None, after: str | None = None,
                        before: str | None = None, text: str | None = None,
                        **filters: str) -> ET.Element:
    request = element("transcripts")
    if filters or text:
        found = ET.SubElement(request, f"{{{NS}}}filter", filters)
        if text:
            ET.SubElement(found, f"{{{NS}}}text").text = text
    paging = {"max": max_items, "after": after, "before": before}
    if any(value is not None for value in paging.values()):
        rsm = ET.SubElement(request, f"{{{RSM}}}set")
        for name, value in paging.items():
            if value is not None:
                ET.SubElement(rsm, f"{{{RSM}}}{name}").text = str(value)
    return request


async def listing(session: Session, domain: str, **request: Any) -> Listing:
    reply = await ask(session, domain, transcripts_request(**request))
    found = reply.xml.find(f"{{{NS}}}transcripts")
    assert found is not None, str(reply)
    summaries = found.findall(f"{{{NS}}}summary")
    rsm = found.find(f"{{{RSM}}}set")
    assert rsm is not None
    return Listing([s.get("id", "") for s in summaries], int(rsm.findtext(f"{{{RSM}}}count", "0")),
                   rsm.findtext(f"{{{RSM}}}first"), rsm.findtext(f"{{{RSM}}}last"), summaries)


async def transcript(session: Session, domain: str, chat: str) -> ET.Element:
    reply = await ask(session, domain, element("transcript", id=chat))
    found = reply.xml.find(f"{{{NS}}}transcript")
    assert found is not None, str(reply)
    return found


async def answered_chat(lab: dict[str, Any], domain: str, widget: str, question: str,
                        librarian: str, room_jid: str, rating: int) -> str:
    """A patron of `domain` asks; `librarian`, monitoring `room_jid`, is offered the chat,
    claims and answers it; the patron ends it and rates it. The chat's id."""
    async with operator(lab, librarian) as staff, patron(lab, domain) as pat:
        await join(staff, room_jid, librarian.split("@")[0].title())
        async with asking(pat, domain, widget, question) as chat:
            await _offered(staff, chat)
            await claim_by_text(staff, chat)
            staff.xmpp.send_message(mto=JID(chat), mbody=f"About “{question}”: try the "
                                    "catalogue's advanced search.", mtype="chat")
            await pat.messages.wait_for(lambda m: "advanced search" in m["body"], timeout=15)
            await _end_and_rate(pat, chat, rating)
    return chat_id(chat)


async def _end_and_rate(pat: Session, chat: str, rating: int) -> None:
    ended = pat.xmpp.make_iq_set(ito=chat)
    ended.enable("refdesk_ended")
    await ended.send(timeout=10)
    rated = pat.xmpp.make_iq_set(ito=chat)
    rated["refdesk_rating"]["score"], rated["refdesk_rating"]["comment"] = rating, "Thanks"
    await rated.send(timeout=10)


async def _offered(staff: Session, chat: str) -> None:
    """The offer reaches them in the room or, where the room holds someone who does not
    answer this library's chats, directly: either way among their messages."""
    await staff.messages.wait_for(carrying("offer", chat), timeout=30)
