"""What the ticket stories share: asking the archive (every urn:refdesk:archive:0 payload
sent and received validated against the XSD), leaving a question on an offline widget, and
reading the mail the lab's SMTP sink kept."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Literal

import xmlschema
from slixmpp import Iq
from slixmpp.exceptions import IqError
from slixmpp.xmlstream import ET, tostring

from components.archive.ticketwire import NS, RSM
from refdesk.lab import processes
from refdesk.lab.mailsink import read_messages
from tests.integration.queue import payload
from tests.integration.xmpp import Session, eventually

IqKind = Literal["get", "set"]
SCHEMA = xmlschema.XMLSchema(str(Path(__file__).parents[2] / "schemas" / "archive.xsd"))


def archive(name: str, attributes: dict[str, str] | None = None, text: str | None = None,
            children: dict[str, str] | None = None) -> ET.Element:
    made = ET.Element(f"{{{NS}}}{name}", attributes or {})
    made.text = text
    for child, child_text in (children or {}).items():
        ET.SubElement(made, f"{{{NS}}}{child}").text = child_text
    return made


def rsm(query: ET.Element, **fields: str) -> ET.Element:
    wanted = ET.SubElement(query, f"{{{RSM}}}set")
    for name, value in fields.items():
        ET.SubElement(wanted, f"{{{RSM}}}{name}").text = value
    return query


async def ask(session: Session, domain: str, query: ET.Element, kind: IqKind = "set",
              to: str | None = None) -> ET.Element | None:
    """Send `query` to the library's archive; the archive payload of the result."""
    SCHEMA.validate(tostring(query))
    iq = session.xmpp.make_iq(ito=to or f"archive.{domain}", itype=kind)
    iq.append(query)
    reply: Iq = await iq.send(timeout=20)
    answer = next(iter(reply.xml), None)
    if answer is not None:
        assert answer.tag.startswith(f"{{{NS}}}")
        SCHEMA.validate(tostring(answer))
    return answer


async def refused(session: Session, domain: str, query: ET.Element, kind: IqKind = "set",
                  to: str | None = None) -> tuple[str, str]:
    """The error condition and text the archive answers `query` with."""
    try:
        await ask(session, domain, query, kind, to)
    except IqError as error:
        return str(error.condition), str(error.text)
    raise AssertionError(f"{ET.tostring(query)!r} was not refused")


async def tickets(session: Session, domain: str, state: str = "open",
                  **page: str) -> ET.Element:
    listed = await ask(session, domain, rsm(archive("tickets", {"state": state}), **page),
                       "get")
    assert listed is not None
    return listed


def ticket_ids(listed: ET.Element) -> list[int]:
    return [int(t.get("id", "0")) for t in listed.iterfind(f"{{{NS}}}ticket")]


def ticket_in(listed: ET.Element, number: int) -> ET.Element | None:
    return listed.find(f"{{{NS}}}ticket[@id='{number}']")


def question_of(ticket: ET.Element) -> str:
    return ticket.findtext(f"{{{NS}}}question") or ""


async def leave_question(patron: Session, domain: str, widget: str, question: str,
                         **details: str) -> int:
    """Leave a question on an offline widget, as the widget does; the ticket's number."""
    iq = patron.xmpp.make_iq_set(ito=f"queue.{domain}")
    left = iq["refdesk_ticket"]
    left["widget"], left["question"] = widget, question
    for key, value in details.items():
        left[key] = value
    reply: Iq = await iq.send(timeout=15)
    payload(reply, "ticket")
    return int(reply["refdesk_ticket"]["id"])


def mails(lab: dict[str, Any]) -> list[EmailMessage]:
    return read_messages(Path(lab["mail"]["dir"]))


async def mail_to(lab: dict[str, Any], address: str,
                  matching: Callable[[EmailMessage], bool] = lambda _: True) -> EmailMessage:
    """The first message the lab's SMTP sink kept for `address` that matches."""
    def found() -> list[EmailMessage]:
        return [m for m in mails(lab) if m["To"] == address and matching(m)]

    async def arrived() -> bool:
        return bool(found())

    await eventually(arrived)
    return found()[0]


@asynccontextmanager
async def mail_away(lab: dict[str, Any]) -> AsyncIterator[None]:
    """The lab's SMTP relay stopped for a while, as a relay that is down; started again
    after, on the same address."""
    lab_dir = Path(lab["dir"])
    started = processes.load(lab_dir)
    index, sink = next((i, p) for i, p in enumerate(started) if p.name == "mail lab")
    processes.stop(sink)
    try:
        yield
    finally:
        started[index] = processes.spawn(sink.name, list(sink.argv), lab_dir / "mail.log")
        processes.save(lab_dir, started)
        host, port = lab["mail"]["smtp"].rsplit(":", 1)
        processes.wait_for_port(host, int(port), 15.0)
