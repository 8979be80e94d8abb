"""Patrons in a real browser: the widget on a library's sample page, over WebSocket or BOSH."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Page, ViewportSize, WebSocketRoute, expect
from slixmpp import JID
from sqlalchemy import text

from refdesk.db import create_engine
from refdesk.db.models import ChatState, EndedBy, Sender
from tests.integration.browser import axe_violations, browser, page
from tests.integration.queue import carrying, chat_record, coop_room, database_url, join, payload
from tests.integration.xmpp import Session, operator

__all__ = ["browser", "page"]  # fixtures

CHATSTATES = "http://jabber.org/protocol/chatstates"
QUESTION = "Where can I find maps of Prague from the 1920s?"
ANSWER = "The map room on level 2 has them; ask for the Freytag series."
FOLLOW_UP = "Can I borrow them?"
PHONE: ViewportSize = {"width": 375, "height": 667}
OFFER_TIMEOUT_S = 30.0
UI_TIMEOUT_MS = 20_000
# Where the phone-sized screenshots go, for a person to look at.
SCREENSHOTS = Path(os.environ.get("REFDESK_SCREENSHOTS", "/tmp/refdesk-screenshots"))


def offer_of(question: str) -> Any:
    return lambda stanza: carrying("offer")(stanza) and question in stanza["body"]


async def ask(page: Page, url: str, name: str) -> None:
    await page.goto(url)
    await page.get_by_role("button", name=name).click()
    await page.get_by_label("Your question").fill(QUESTION)
    await page.get_by_label("Your name").fill("Pat")
    await page.get_by_role("button", name="Start chat").click()


async def claim_and_answer(bea: Session, page: Page) -> JID:
    offer = await bea.groupchat.wait_for(offer_of(QUESTION), timeout=OFFER_TIMEOUT_S)
    chat = JID(payload(offer, "offer").get("chat"))
    bea.xmpp.send_message(mto=chat, mbody="/claim", mtype="chat")
    await expect(page.get_by_text("You are chatting with Bea (Beta Public Library).")
                 ).to_be_visible(timeout=UI_TIMEOUT_MS)
    bea.xmpp.send_message(mto=chat, mbody=ANSWER, mtype="chat")
    await expect(page.get_by_role("log")).to_contain_text(ANSWER, timeout=UI_TIMEOUT_MS)
    return chat


async def see_each_other_typing(bea: Session, page: Page, chat: JID) -> None:
    """XEP-0085 both ways, relayed by the chat's JID."""
    composing = bea.xmpp.make_message(mto=chat, mtype="chat")
    composing.xml.append(ET.Element(f"{{{CHATSTATES}}}composing"))
    composing.send()
    await expect(page.get_by_text("Bea is typing…")).to_be_visible(timeout=UI_TIMEOUT_MS)
    mark = bea.messages.mark()
    await page.get_by_label("Your message").press_sequentially("Ca")
    await bea.messages.wait_for(
        lambda m: m["from"] == chat and m.xml.find(f"{{{CHATSTATES}}}composing") is not None,
        since=mark)
    await page.get_by_label("Your message").fill("")


async def end_and_rate(page: Page) -> str:
    """Ends the chat, rates it 5 and returns the transcript the patron downloads."""
    await page.get_by_role("button", name="End chat").click()
    await page.get_by_label("5", exact=True).check()
    await page.get_by_label("Comment").fill("Very helpful")
    await page.get_by_role("button", name="Send rating").click()
    await expect(page.get_by_text("Thank you for your rating.")).to_be_visible()
    async with page.expect_download() as download_info:
        await page.get_by_role("link", name="Download a copy of this chat").click()
    download = await download_info.value
    return Path(await download.path()).read_text()


async def block_websocket(route: WebSocketRoute) -> None:
    await route.close(code=1011, reason="a proxy that cannot pass WebSocket")


@pytest.mark.parametrize(("transport", "used"), [
    ("websocket", "websocket"),
    ("bosh", "bosh"),  # forced by data-transport="bosh" on the script tag
    ("websocket-blocked", "bosh"),  # WebSocket fails: the widget falls back to BOSH
])
async def test_alpha_patron_on_sample_page_is_answered_by_beta_operator_and_rates_the_chat(
    lab: dict[str, Any], page: Page, transport: str, used: str,
) -> None:
    widget = lab["libraries"][0]["widgets"][0]
    url = widget["page"] + ("?transport=bosh" if transport == "bosh" else "")
    if transport == "websocket-blocked":
        await page.route_web_socket("**/xmpp-websocket", block_websocket)
    async with operator(lab, "bea@beta.test") as bea:
        await join(bea, coop_room(lab, "coop-247"), "Bea")
        await ask(page, url, widget["name"])
        await expect(page.locator(".panel")).to_have_attribute("data-transport", used)
        chat = await claim_and_answer(bea, page)
        await see_each_other_typing(bea, page, chat)

        await page.get_by_label("Your message").fill(FOLLOW_UP)
        await page.keyboard.press("Enter")
        await expect(page.get_by_text("✓ delivered")).to_be_visible(timeout=UI_TIMEOUT_MS)
        await bea.messages.wait_for(lambda m: m["from"] == chat and m["body"] == FOLLOW_UP)
        transcript = await end_and_rate(page)

    for said in (QUESTION, ANSWER, FOLLOW_UP, "Bea from Beta Public Library joined"):
        assert said in transcript
    record, lines = await chat_record(lab, str(chat))
    assert (record.state, record.ended_by, record.rating) == (ChatState.ENDED, EndedBy.PATRON, 5)
    assert [(line.sender, line.body) for line in lines if line.sender != Sender.SYSTEM] == [
        (Sender.PATRON, QUESTION), (Sender.OPERATOR, ANSWER), (Sender.PATRON, FOLLOW_UP)]


async def test_patron_widget_reconnects_after_a_network_blip_and_keeps_the_chat_on_screen(
    lab: dict[str, Any], page: Page,
) -> None:
    # A new login is a new anonymous JID: the widget resumes the chat with its token.
    sockets: list[WebSocketRoute] = []

    def through(route: WebSocketRoute) -> None:
        route.connect_to_server()
        sockets.append(route)

    await page.route_web_socket("**/xmpp-websocket", through)
    widget = lab["libraries"][0]["widgets"][0]
    async with operator(lab, "bea@beta.test") as bea:
        await join(bea, coop_room(lab, "coop-247"), "Bea")
        await ask(page, widget["page"], widget["name"])
        await claim_and_answer(bea, page)
        await sockets[0].close()
        notice = page.get_by_text("Connection lost. Reconnecting…")
        await expect(notice).to_be_visible(timeout=UI_TIMEOUT_MS)
        await expect(notice).to_be_hidden(timeout=UI_TIMEOUT_MS)
        assert len(sockets) == 2
        await expect(page.get_by_role("log")).to_contain_text(ANSWER)
        await expect(page.get_by_role("button", name="End chat")).to_be_visible()
        # The conversation carries on both ways, through the patron's new connection.
        await page.get_by_label("Your message").fill("Still there after the blip?")
        await page.get_by_role("button", name="Send").click()
        line = await bea.messages.wait_for(lambda m: m["body"] == "Still there after the blip?")
        bea.xmpp.send_message(mto=line["from"], mbody="Yes, still here.", mtype="chat")
        await expect(page.get_by_role("log")).to_contain_text("Yes, still here.")
        await expect(page.get_by_role("log").get_by_text(ANSWER)).to_have_count(1)


async def test_offline_widget_leaves_a_followup_ticket(lab: dict[str, Any], page: Page) -> None:
    # Nobody monitors Alpha's science desk (nor is abe logged in): the widget is offline.
    widget = lab["libraries"][0]["widgets"][1]
    await page.goto(widget["page"])
    await page.get_by_role("button", name=widget["name"]).click()
    await expect(page.get_by_text("No librarian is online")).to_be_visible(
        timeout=UI_TIMEOUT_MS)
    await page.get_by_label("Your question").fill("Is the herbarium open to visitors?")
    await page.get_by_label("Your email").fill("pat@example.org")
    await page.get_by_role("button", name="Send question").click()
    await expect(page.get_by_text("Your question was sent to the library")).to_be_visible(
        timeout=UI_TIMEOUT_MS)

    tickets = await followup_tickets(lab, "alpha.test", "pat@example.org")
    assert len(tickets) == 1
    _, lines = await chat_record(lab, f"chat-{tickets[0]}@queue.alpha.test")
    assert lines[0].body == "Is the herbarium open to visitors?"


async def followup_tickets(lab: dict[str, Any], domain: str, email: str) -> list[str]:
    """The chats of the library's follow-up tickets whose note names the email."""
    engine = create_engine(database_url(lab, domain))
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                text("SELECT chat_id FROM followup_ticket WHERE note LIKE :email"),
                {"email": f"%{email}%"})
            return [str(chat_id) for (chat_id,) in rows]
    finally:
        await engine.dispose()


@pytest.mark.parametrize("state", ["pre-chat", "waiting", "conversation"])
async def test_widget_has_no_axe_violations_on_a_phone(
    lab: dict[str, Any], page: Page, state: str,
) -> None:
    widget = lab["libraries"][0]["widgets"][0]
    await page.set_viewport_size(PHONE)
    async with operator(lab, "bea@beta.test") as bea:
        await join(bea, coop_room(lab, "coop-247"), "Bea")
        if state == "pre-chat":
            await page.goto(widget["page"])
            await page.get_by_role("button", name=widget["name"]).click()
            await expect(page.get_by_label("Your question")).to_be_focused(
                timeout=UI_TIMEOUT_MS)
        else:
            await ask(page, widget["page"], widget["name"])
            await expect(page.get_by_text("You are number 1 in the queue.")).to_be_visible(
                timeout=UI_TIMEOUT_MS)
            if state == "conversation":
                await claim_and_answer(bea, page)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(SCREENSHOTS / f"widget-{state}.png"))
        assert await axe_violations(page) == []
        if state == "waiting":
            await page.get_by_role("button", name="Cancel").click()
        elif state == "conversation":
            await page.get_by_role("button", name="End chat").click()
