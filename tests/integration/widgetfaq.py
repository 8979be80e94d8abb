"""What the widget says to faq.<library> and hears back, seen on its WebSocket: every
urn:refdesk:faq:0 payload either way validated against schemas/faq.xsd."""

from __future__ import annotations

import asyncio
import contextlib
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import xmlschema
from playwright.async_api import WebSocketRoute
from sqlalchemy import select

from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.models import Availability, Faq, FaqGroup, Institution
from tests.integration.queue import database_url
from tests.integration.xmpp import Session

NS: Final = "urn:refdesk:faq:0"
SCHEMA: Final = xmlschema.XMLSchema(str(Path(__file__).parents[2] / "schemas" / "faq.xsd"))
IQ: Final = "{jabber:client}iq"


@dataclass(frozen=True)
class Search:
    """One search the widget sent, and the FAQs' questions the server answered it with
    (None while unanswered, or when it answered with an error)."""

    id: str
    to: str
    text: str
    questions: tuple[str, ...] | None = None
    error: bool = False


def _faq_payloads(stanza: ET.Element) -> list[ET.Element]:
    """The stanza's urn:refdesk:faq:0 children, each validated against the XSD."""
    found = [child for child in stanza if child.tag.startswith(f"{{{NS}}}")]
    for element in found:
        SCHEMA.validate(ET.tostring(element, encoding="unicode"))
    return found


def _frame(message: str | bytes) -> ET.Element | None:
    with contextlib.suppress(ET.ParseError):  # a whitespace keepalive is not XML
        return ET.fromstring(message if isinstance(message, str) else message.decode())
    return None


@dataclass
class FaqTraffic:
    """Pass the widget's WebSockets through (page.route_web_socket), keeping its searches."""

    searches: dict[str, Search] = field(default_factory=dict)
    opened: int = 0
    """WebSockets the widget has opened."""
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    def route(self, route: WebSocketRoute) -> None:
        server = route.connect_to_server()
        self.opened += 1

        def sent(message: str | bytes) -> None:
            if (stanza := _frame(message)) is not None:
                self._sent(stanza)
            server.send(message)

        def received(message: str | bytes) -> None:
            if (stanza := _frame(message)) is not None:
                self._received(stanza)
            route.send(message)
        route.on_message(sent)
        server.on_message(received)

    def _sent(self, stanza: ET.Element) -> None:
        for element in _faq_payloads(stanza):
            if stanza.tag == IQ and element.tag == f"{{{NS}}}search":
                asked = Search(stanza.get("id", ""), stanza.get("to", ""),
                               element.findtext(f"{{{NS}}}text", ""))
                self.searches[asked.id] = asked
                self._changed.set()

    def _received(self, stanza: ET.Element) -> None:
        payloads = _faq_payloads(stanza)
        asked = self.searches.get(stanza.get("id", ""))
        if stanza.tag != IQ or asked is None:
            return
        results = next((p for p in payloads if p.tag == f"{{{NS}}}results"), None)
        questions = () if results is None else tuple(
            faq.findtext(f"{{{NS}}}question", "") for faq in results.iter(f"{{{NS}}}faq"))
        self.searches[asked.id] = Search(asked.id, asked.to, asked.text, questions,
                                         error=stanza.get("type") == "error")
        self._changed.set()

    async def answered(self, text: str, timeout: float = 20.0) -> Search:
        """The server's answer to the widget's search for exactly `text`."""
        async def first() -> Search:
            while True:
                for search in self.searches.values():
                    if search.text == text and (search.questions is not None or search.error):
                        return search
                self._changed.clear()
                await self._changed.wait()
        return await asyncio.wait_for(first(), timeout)


def results_frame(search: ET.Element, faqs: list[tuple[str, str]]) -> str:
    """faq.<library>'s answer to a search iq the widget sent, with these (question, answer)
    pairs, in a Public group; validated against the XSD."""
    results = ET.Element(f"{{{NS}}}results")
    for number, (question, answer) in enumerate(faqs, start=1):
        faq = ET.SubElement(results, f"{{{NS}}}faq", {
            "id": str(number), "group": "1", "group-name": "Circulation",
            "availability": "public", "staff-only": "false",
            "updated": "2026-01-05T10:00:00Z"})
        ET.SubElement(faq, f"{{{NS}}}question").text = question
        ET.SubElement(faq, f"{{{NS}}}answer").text = answer
    SCHEMA.validate(ET.tostring(results, encoding="unicode"))
    return _reply(search, "result", ET.tostring(results, encoding="unicode"))


def error_frame(search: ET.Element) -> str:
    return _reply(search, "error", "<error type='cancel'><service-unavailable "
                  "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>")


def _reply(search: ET.Element, kind: str, child: str) -> str:
    return (f"<iq xmlns='jabber:client' type='{kind}' id='{search.get('id')}' "
            f"from='{search.get('to')}'>{child}</iq>")


@dataclass
class HeldSearches:
    """The widget's WebSocket with its searches held back from the server: the test answers
    each one itself, in the order it likes."""

    held: list[ET.Element] = field(default_factory=list)
    _changed: asyncio.Event = field(default_factory=asyncio.Event)
    _routes: list[WebSocketRoute] = field(default_factory=list)

    def route(self, route: WebSocketRoute) -> None:
        server = route.connect_to_server()
        self._routes.append(route)

        def sent(message: str | bytes) -> None:
            stanza = _frame(message)
            if stanza is not None and stanza.tag == IQ and any(
                    p.tag == f"{{{NS}}}search" for p in _faq_payloads(stanza)):
                self.held.append(stanza)
                self._changed.set()
                return
            server.send(message)
        route.on_message(sent)

    async def search_for(self, text: str, timeout: float = 20.0) -> ET.Element:
        """The held search iq for exactly `text`."""
        async def first() -> ET.Element:
            while True:
                for stanza in self.held:
                    if stanza.findtext(f"{{{NS}}}search/{{{NS}}}text") == text:
                        return stanza
                self._changed.clear()
                await self._changed.wait()
        return await asyncio.wait_for(first(), timeout)

    def answer(self, frame: str) -> None:
        self._routes[-1].send(frame)


async def seed_faq(lab: dict[str, Any], domain: str, availability: Availability,
                   question: str, answer: str) -> None:
    """An FAQ straight into the library's database (its search index follows by itself), in
    the library's group of that availability: its one 24/7 Staffing group, or a group of
    these stories'."""
    engine = create_engine(database_url(lab, domain))
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            library = await session.scalar(select(Institution.id)
                                           .where(Institution.domain == domain))
            assert library is not None
            mine = FaqGroup.availability == availability
            if availability is not Availability.STAFFING:
                mine = mine & (FaqGroup.name == f"Widget stories: {availability}")
            group = await session.scalar(select(FaqGroup).where(
                FaqGroup.institution_id == library, mine))
            if group is None:
                group = FaqGroup(institution_id=library, availability=availability,
                                 name=f"Widget stories: {availability}")
                session.add(group)
            session.add(Faq(group=group, question=question, answer=answer))
    finally:
        await engine.dispose()


async def search_as(session: Session, domain: str, words: str) -> list[str]:
    """The questions faq.<domain> finds for `words` when this client asks; both ways
    validated against the XSD."""
    iq = session.xmpp.make_iq_get(ito=f"faq.{domain}")
    search = ET.Element(f"{{{NS}}}search", {"max": "50"})
    ET.SubElement(search, f"{{{NS}}}text").text = words
    iq.xml.append(search)
    _faq_payloads(iq.xml)
    answer = await iq.send(timeout=20)
    results = _faq_payloads(answer.xml)[0]
    return [faq.findtext(f"{{{NS}}}question", "") for faq in results.iter(f"{{{NS}}}faq")]
