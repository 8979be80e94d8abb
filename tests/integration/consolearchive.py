"""What the console's Transcripts and Tickets stories share: a librarian's console whose
urn:refdesk:archive:0 and urn:refdesk:quality:0 traffic (both ways) is kept and validated
against archive.xsd and quality.xsd, and chats answered and rated to fill the archives."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import xmlschema
from lxml import etree
from playwright.async_api import Browser, Locator, Page
from slixmpp import JID, Iq
from slixmpp.xmlstream import ET, tostring

from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.models.chat import EndedBy
from refdesk.db.stores.chats import ChatStore, NewChat
from refdesk.db.stores.directory import DirectoryStore
from tests.integration.consoletraffic import Traffic, watched_console
from tests.integration.queue import asking, carrying, claim_by_text, database_url
from tests.integration.xmpp import Session

SCHEMAS: Final = Path(__file__).parents[2] / "schemas"
ARCHIVE: Final = "urn:refdesk:archive:0"
QUALITY: Final = "urn:refdesk:quality:0"
VALIDATORS: Final = {ARCHIVE: xmlschema.XMLSchema(str(SCHEMAS / "archive.xsd")),
                     QUALITY: xmlschema.XMLSchema(str(SCHEMAS / "quality.xsd"))}


def valid(element: Any) -> Any:
    """An urn:refdesk:archive:0 or quality element, checked against its XSD."""
    VALIDATORS[etree.QName(element.tag).namespace or ""].validate(tostring(element))
    return element




def console(browser: Browser, lab: dict[str, Any], jid: str
            ) -> AbstractAsyncContextManager[tuple[Page, Traffic]]:
    """A librarian logged in to their library's console, their archive traffic watched."""
    return watched_console(browser, lab, jid, VALIDATORS)


def transcript_row(page: Page, text: str) -> Locator:
    """The Transcripts result that mentions `text`."""
    return page.get_by_role("list", name="Results").get_by_role("listitem").filter(
        has_text=text)


def ticket_item(page: Page, text: str) -> Locator:
    return page.get_by_role("region", name="Tickets").get_by_role("listitem").filter(
        has_text=text)


@dataclass
class Answered:
    """A chat answered and ended: its JID and id at its home library."""

    jid: str

    @property
    def id(self) -> str:
        return self.jid.split("@")[0].removeprefix("chat-")


async def answered_chat(librarian: Session, patron: Session, domain: str, widget: str,
                        question: str, lines: tuple[str, str], name: str,
                        rating: tuple[int, str] | None = None, note: str = "") -> Answered:
    """The patron asks, `librarian` (present in a room the chat reaches) claims it, each says
    one line, the librarian adds an internal note if given, ends it and the patron rates it."""
    async with asking(patron, domain, widget, question, name=name) as chat:
        await librarian.messages.wait_for(carrying("offer", chat), timeout=30)
        await claim_by_text(librarian, chat)
        patron.xmpp.send_message(mto=JID(chat), mbody=lines[0], mtype="chat")
        await librarian.messages.wait_for(
            lambda m: m["from"].bare == chat and m["body"] == lines[0])
        librarian.xmpp.send_message(mto=JID(chat), mbody=lines[1], mtype="chat")
        await patron.messages.wait_for(lambda m: m["body"] == lines[1])
        if note:  # the queue takes the end after it, on the same stream
            librarian.xmpp.send_message(mto=JID(chat), mbody=f"!note {note}", mtype="chat")
        librarian.xmpp.send_message(mto=JID(chat), mbody="!end", mtype="chat")
        await patron.messages.wait_for(carrying("ended"))
        if rating:
            rate = patron.xmpp.make_iq_set(ito=chat)
            rate["refdesk_rating"]["score"], rate["refdesk_rating"]["comment"] = rating
            await rate.send(timeout=10)
    return Answered(chat)


async def transcript(session: Session, domain: str, chat_id: str) -> Any:
    """<transcript/> as `session` reads it from the library's archive, validated."""
    iq = session.xmpp.make_iq_get(ito=JID(f"archive.{domain}"))
    iq.xml.append(valid(ET.Element(f"{{{ARCHIVE}}}transcript", {"id": chat_id})))
    reply: Iq = await iq.send(timeout=15)
    return valid(reply.xml.find(f"{{{ARCHIVE}}}transcript"))


async def seeded_chats(lab: dict[str, Any], domain: str, widget: str, librarian: str,
                       questions: list[str]) -> list[str]:
    """Chats answered by one of the library's own librarians, written straight into its
    database (the queue would take seconds a chat), oldest first; their ids."""
    engine = create_engine(database_url(lab, domain))
    try:
        sessions = create_sessionmaker(engine)
        home = (await DirectoryStore(sessions).load(domain)).institution_id
        store, ids = ChatStore(sessions), []
        for question in questions:
            chat = await store.create(NewChat(widget, home, f"seeded@guest.{domain}", question,
                                              "Seeded Patron"), {})
            await store.claim(chat.id, librarian, librarian.split("@")[0].title(), domain)
            await store.end(chat.id, EndedBy.OPERATOR)
            ids.append(chat.id)
        return ids
    finally:
        await engine.dispose()
