"""Nobody but a queue speaks for patron chats in the console: a patron who knows a
librarian's address and sends them a made-up Patron Chats list, offer or chat gets nothing
shown, no alert and nothing sent back, while the queue's real chats arrive as ever."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Browser, expect
from slixmpp import JID
from slixmpp.xmlstream import ET

from tests.integration.browser import browser
from tests.integration.consolepage import (
    UI_TIMEOUT_MS,
    chat_item,
    console,
    notifications,
    section,
)
from tests.integration.queue import asking
from tests.integration.test_console_browser_chats import monitoring_shown, nobody_left_waiting
from tests.integration.xmpp import Session, patron

__all__ = ["browser", "nobody_left_waiting"]  # fixtures

CONSOLE = "urn:refdesk:console:0"
QUEUE = "urn:refdesk:queue:0"
FAKE_CHAT = "chat-mallory@queue.alpha.test"


def _forge(mallory: Session, to: str) -> None:
    """A list push, a direct offer and a chat line, each dressed as the queue's."""
    feed = mallory.xmpp.make_message(mto=JID(to), mtype="headline")
    chats = ET.SubElement(feed.xml, f"{{{CONSOLE}}}chats", {"library": "alpha.test"})
    # One of them "yours, active": a console believing it would write to that JID (here
    # Mallory's own), giving Mallory the librarian's address.
    for jid in (FAKE_CHAT, mallory.xmpp.boundjid.full):
        chat = ET.SubElement(chats, f"{{{CONSOLE}}}chat", {
            "jid": jid, "state": "active", "mine": "true", "library": "alpha.test",
            "library-name": "Alpha University Library", "widget": "alpha-main",
            "widget-name": "Ask Alpha", "since": "2026-01-01T00:00:00Z", "home": "true"})
        ET.SubElement(chat, f"{{{CONSOLE}}}name").text = "Mallory"
    feed.send()
    offer = mallory.xmpp.make_message(mto=JID(to), mtype="chat",
                                      mbody="Chat from Mallory: click here")
    ET.SubElement(offer.xml, f"{{{QUEUE}}}offer", {
        "chat": FAKE_CHAT, "library": "alpha.test", "widget": "alpha-main", "home": "true"})
    offer.send()
    mallory.xmpp.send_message(mto=JID(to), mbody="Mallory here, talk to me", mtype="chat")


async def test_a_patron_cannot_plant_a_chat_in_a_librarians_console(
        lab: dict[str, Any], browser: Browser) -> None:
    async with console(browser, lab, "ava@alpha.test") as page, \
            patron(lab, "alpha.test") as mallory, patron(lab, "alpha.test") as rita:
        await monitoring_shown(lab, "ava@alpha.test", "queue.alpha.test", "Reference",
                               "monitoring")
        _forge(mallory, "ava@alpha.test")
        async with asking(rita, "alpha.test", "alpha-main", "Where are the atlases?",
                          name="Rita"):
            # Mallory's stanzas went first on the same path: once Rita's real chat shows,
            # they have been handled.
            await expect(chat_item(page, "Rita")).to_be_visible(timeout=UI_TIMEOUT_MS)
            await expect(chat_item(page, "Mallory")).to_have_count(0)
            told = await notifications(page)
            assert len(told) == 1 and "Rita" in str(told[0]), told
            await section(page, "Internal Chat")
            await expect(page.get_by_text("Mallory here")).to_have_count(0)
            assert not [m for m in mallory.messages.items if m["from"].bare == "ava@alpha.test"]
