"""Patrons in a real browser: the widget on a library's sample page, over WebSocket or BOSH."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Locator, Page, ViewportSize, WebSocketRoute, expect
from slixmpp import JID
from slixmpp.exceptions import IqError, IqTimeout
from sqlalchemy import text

from refdesk.db import create_engine
from refdesk.db.models import ChatState, EndedBy, Sender
from refdesk.lab import processes
from tests.integration.browser import axe_violations, browser, page
from tests.integration.queue import (
    SCHEMA,
    asking,
    carrying,
    chat_record,
    command,
    coop_room,
    database_url,
    join,
    notes,
    payload,
    room,
)
from tests.integration.xmpp import Session, operator, patron

__all__ = ["browser", "page"]  # fixtures

CHATSTATES = "http://jabber.org/protocol/chatstates"
QUESTION = "Where can I find maps of Prague from the 1920s?"
ANSWER = "The map room on level 2 has them; ask for the Freytag series."
FOLLOW_UP = "Can I borrow them?"
PATRON_NOTE = "Ann knows the map room best."
ANN_ANSWER = "Hello, Ann here: the Freytag maps are for use in the map room only."
REFERENCE = "Reference (Alpha University Library)"
TRANSFER_NOTICE = f"You are being transferred to {REFERENCE}. {PATRON_NOTE}"
PHONE: ViewportSize = {"width": 375, "height": 667}
OFFER_TIMEOUT_S = 30.0
UI_TIMEOUT_MS = 20_000
# The widget retries an unacknowledged line for 15 s before it says "Not sent"; the queue
# takes a few seconds to start again after a crash.
RETRY_TIMEOUT_MS = 40_000
# How long the queue may take to see that a patron who closed the page is gone for good: it
# allows a network blip some grace first (2 s in the test lab).
GONE_TIMEOUT_S = 30.0
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
    offer = await bea.messages.wait_for(offer_of(QUESTION), timeout=OFFER_TIMEOUT_S)
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


async def say(page: Page, line: str) -> Locator:
    """The patron sends a line; its bubble in the log."""
    await page.get_by_label("Your message").fill(line)
    await page.keyboard.press("Enter")
    return page.get_by_role("log").locator("p.mine", has_text=line)


async def conversation(page: Page) -> list[tuple[str, str, str]]:
    """The log as the patron sees it: each line's look (their own bubble, the librarian's,
    or a notice), who said it as a screen reader names them, and what was said."""
    lines: list[list[str]] = await page.get_by_role("log").locator("p").evaluate_all("""
        (lines) => lines.map((line) => {
            const look = line.classList.contains('mine') ? 'mine'
                : line.classList.contains('system') ? 'system' : 'theirs';
            const label = line.querySelector('.who, .visually-hidden');
            const said = [...line.childNodes].filter((node) => !node.matches
                || !node.matches('.who, .visually-hidden, .state'));
            return [look, label ? label.textContent.replace(/:\\s*$/, '') : '',
                said.map((node) => node.textContent).join('').trim()];
        })""")
    return [(look, who, said) for look, who, said in lines]


class Frames:
    """The widget's WebSockets, passed through: what it sent on each, awaited by predicate,
    and a way to speak to it as its server."""

    def __init__(self) -> None:
        self.sockets: list[WebSocketRoute] = []
        self.sent: list[tuple[int, ET.Element]] = []
        self._changed = asyncio.Event()

    def route(self, route: WebSocketRoute) -> None:
        server = route.connect_to_server()
        socket = len(self.sockets)
        self.sockets.append(route)

        def forward(message: str | bytes) -> None:
            frame = message if isinstance(message, str) else message.decode()
            with contextlib.suppress(ET.ParseError):  # a whitespace keepalive is not XML
                self.sent.append((socket, ET.fromstring(frame)))
                self._changed.set()
            server.send(message)
        route.on_message(forward)

    async def wait_for(self, predicate: Callable[[int, ET.Element], bool],
                       timeout: float = 20.0) -> int:
        """The index in `sent` of the first frame matching."""
        async def first_match() -> int:
            while True:
                for index, (socket, stanza) in enumerate(self.sent):
                    if predicate(socket, stanza):
                        return index
                self._changed.clear()
                await self._changed.wait()
        return await asyncio.wait_for(first_match(), timeout)


def presence_to(chat: str, socket: int) -> Callable[[int, ET.Element], bool]:
    """Available presence directed to the chat, sent on the widget's `socket`-th WebSocket."""
    return lambda on, stanza: (on == socket and stanza.tag == "{jabber:client}presence"
                               and stanza.get("to") == chat and stanza.get("type") is None)


def resume_on(socket: int) -> Callable[[int, ET.Element], bool]:
    return lambda on, stanza: (on == socket
                               and stanza.find("{urn:refdesk:queue:0}resume") is not None)


@asynccontextmanager
async def queue_away(lab_dir: Path, domain: str) -> AsyncIterator[None]:
    """The library's components killed, as a crash would, for the length of the block, then
    started again as `refdesk.lab.up.restart` starts them."""
    name = f"components {domain}"
    gone = next(p for p in processes.load(lab_dir) if p.name == name)
    await asyncio.to_thread(processes.stop, gone, 0.0)
    try:
        yield
    finally:
        again = processes.spawn(name, list(gone.argv),
                                lab_dir.resolve() / domain / "run" / "components.log")
        processes.save(lab_dir.resolve(), [again if p.name == name else p
                                           for p in processes.load(lab_dir.resolve())])


@pytest.fixture(autouse=True)
async def nobody_left_waiting(lab: dict[str, Any]) -> AsyncIterator[None]:
    """After each story, a chat it left waiting at Alpha (a story that failed half-way, a
    patron gone without a word) is claimed and ended: the next story's patron must find the
    queue empty, whatever happened before."""
    yield
    for jid in ("bea@beta.test", "ann@alpha.test"):
        async with operator(lab, jid) as librarian:
            listed = notes(await command(librarian, "queue.alpha.test", "queue"))
            for chat in re.findall(r"chat-\S+?@queue\.alpha\.test", listed):
                for node in ("claim", "end"):
                    with contextlib.suppress(IqError, IqTimeout):
                        await command(librarian, chat, node)


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


async def test_transferred_patron_keeps_the_conversation_as_it_happened_and_meets_ann(
    lab: dict[str, Any], page: Page,
) -> None:
    widget = lab["libraries"][0]["widgets"][0]
    await page.set_viewport_size(PHONE)
    async with operator(lab, "bea@beta.test") as bea, operator(lab, "ann@alpha.test") as ann:
        await join(bea, coop_room(lab, "coop-247"), "Bea")
        await ask(page, widget["page"], widget["name"])
        chat = await claim_and_answer(bea, page)
        await expect(await say(page, FOLLOW_UP)).to_contain_text("✓ delivered",
                                                                 timeout=UI_TIMEOUT_MS)
        await join(ann, room(lab, "alpha.test", "Reference"), "Ann")

        bea.xmpp.send_message(mto=chat, mbody=f"!transfer Reference patron: {PATRON_NOTE}",
                              mtype="chat")
        # Where they are going, and (a transferred patron waits again) their place.
        await expect(page.get_by_role("status").filter(has_text="Waiting for Reference")
                     ).to_have_text(re.compile(rf"^Waiting for {re.escape(REFERENCE)}\. "
                                               r"You are number 1 in the queue\."),
                                    timeout=UI_TIMEOUT_MS)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(SCREENSHOTS / "widget-transferred.png"))
        assert await axe_violations(page) == []
        await ann.messages.wait_for(offer_of(QUESTION), timeout=OFFER_TIMEOUT_S)
        ann.xmpp.send_message(mto=chat, mbody="/claim", mtype="chat")
        await expect(page.get_by_text("You are chatting with Ann (Alpha University Library)."
                                      )).to_be_visible(timeout=UI_TIMEOUT_MS)
        ann.xmpp.send_message(mto=chat, mbody=ANN_ANSWER, mtype="chat")
        await expect(page.get_by_role("log")).to_contain_text(ANN_ANSWER, timeout=UI_TIMEOUT_MS)

        assert await conversation(page) == [
            ("mine", "Pat", QUESTION),
            ("system", "", "Bea from Beta Public Library joined the chat."),
            ("theirs", "Bea", ANSWER),
            ("mine", "Pat", FOLLOW_UP),
            ("system", "", TRANSFER_NOTICE),
            ("system", "", "Ann from Alpha University Library joined the chat."),
            ("theirs", "Ann", ANN_ANSWER),
        ]
        transcript = await end_and_rate(page)
    assert f"Bea: {ANSWER}" in transcript
    assert f"Ann: {ANN_ANSWER}" in transcript


async def test_waiting_patron_sees_the_queue_move_up_when_the_patron_ahead_leaves(
    lab: dict[str, Any], page: Page,
) -> None:
    widget = lab["libraries"][0]["widgets"][0]
    async with operator(lab, "bea@beta.test") as bea, patron(lab, "alpha.test") as ahead:
        await join(bea, coop_room(lab, "coop-247"), "Bea")
        async with asking(ahead, "alpha.test", widget["id"], "Is the library open on Sunday?"):
            await ask(page, widget["page"], widget["name"])
            await expect(page.get_by_text("You are number 2 in the queue.")).to_be_visible(
                timeout=UI_TIMEOUT_MS)
        # The patron ahead gave up on leaving the block.
        await expect(page.get_by_text("You are number 1 in the queue.")).to_be_visible(
            timeout=UI_TIMEOUT_MS)
        await page.get_by_role("button", name="Cancel").click()
        await expect(page.get_by_text("You left the queue.")).to_be_visible()


async def test_line_typed_while_the_queue_restarts_is_kept_resent_and_delivered_once(
    lab: dict[str, Any], lab_dir: Path, page: Page,
) -> None:
    widget = lab["libraries"][0]["widgets"][0]
    typed = "Are you still there? (typed while the queue restarts)"
    async with operator(lab, "bea@beta.test") as bea:
        await join(bea, coop_room(lab, "coop-247"), "Bea")
        await ask(page, widget["page"], widget["name"])
        chat = await claim_and_answer(bea, page)
        async with queue_away(lab_dir, "alpha.test"):
            line = await say(page, typed)
            # The queue's server bounced it: the widget keeps it and says it is trying.
            await expect(line).to_contain_text("Not delivered yet, trying again…",
                                               timeout=UI_TIMEOUT_MS)
            await expect(line).not_to_contain_text("✓ delivered")
        await expect(line).to_contain_text("✓ delivered", timeout=RETRY_TIMEOUT_MS)
        relayed = await bea.messages.wait_for(lambda m: m["body"] == typed)
        assert relayed["from"] == chat
        await page.get_by_role("button", name="End chat").click()
    _, lines = await chat_record(lab, str(chat))
    assert [line.body for line in lines].count(typed) == 1
    assert [m["body"] for m in bea.messages.items].count(typed) == 1


async def test_line_the_queue_never_acknowledges_is_marked_not_sent_and_the_patron_retries(
    lab: dict[str, Any], lab_dir: Path, page: Page,
) -> None:
    widget = lab["libraries"][0]["widgets"][0]
    typed = "Hello? (typed while the queue is down)"
    await page.set_viewport_size(PHONE)
    async with operator(lab, "bea@beta.test") as bea:
        await join(bea, coop_room(lab, "coop-247"), "Bea")
        await ask(page, widget["page"], widget["name"])
        chat = await claim_and_answer(bea, page)
        async with queue_away(lab_dir, "alpha.test"):
            line = await say(page, typed)
            retry = line.get_by_role("button", name="Retry")
            await expect(retry).to_be_visible(timeout=RETRY_TIMEOUT_MS)
            await expect(line).to_contain_text("Not sent.")
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=str(SCREENSHOTS / "widget-not-sent.png"))
            assert await axe_violations(page) == []
        await retry.click()
        await expect(line).to_contain_text("✓ delivered", timeout=RETRY_TIMEOUT_MS)
        await expect(retry).to_have_count(0)
        relayed = await bea.messages.wait_for(lambda m: m["body"] == typed)
        assert relayed["from"] == chat
        await page.get_by_role("button", name="End chat").click()
    _, lines = await chat_record(lab, str(chat))
    assert [line.body for line in lines].count(typed) == 1


async def test_widget_tells_the_chat_it_is_there_on_asking_and_again_after_resuming(
    lab: dict[str, Any], page: Page,
) -> None:
    # Directed presence: when the patron's connection ends for good, their server sends the
    # chat unavailable presence, so the queue can tell a patron gone from one who is quiet.
    frames = Frames()
    await page.route_web_socket("**/xmpp-websocket", frames.route)
    widget = lab["libraries"][0]["widgets"][0]
    async with operator(lab, "bea@beta.test") as bea:
        await join(bea, coop_room(lab, "coop-247"), "Bea")
        await ask(page, widget["page"], widget["name"])
        offer = await bea.messages.wait_for(offer_of(QUESTION), timeout=OFFER_TIMEOUT_S)
        chat = str(payload(offer, "offer").get("chat"))
        await frames.wait_for(presence_to(chat, socket=0))

        await frames.sockets[0].close()
        resumed = await frames.wait_for(resume_on(socket=1))
        assert await frames.wait_for(presence_to(chat, socket=1)) > resumed
        await expect(page.get_by_text("You are number 1 in the queue.")).to_be_visible(
            timeout=UI_TIMEOUT_MS)
        await page.get_by_role("button", name="Cancel").click()
        await expect(page.get_by_text("You left the queue.")).to_be_visible()


async def test_patron_who_closes_the_page_while_waiting_is_withdrawn_from_the_queue(
    lab: dict[str, Any], page: Page,
) -> None:
    widget = lab["libraries"][0]["widgets"][0]
    async with operator(lab, "bea@beta.test") as bea:
        await join(bea, coop_room(lab, "coop-247"), "Bea")
        await ask(page, widget["page"], widget["name"])
        offer = await bea.messages.wait_for(offer_of(QUESTION), timeout=OFFER_TIMEOUT_S)
        chat = str(payload(offer, "offer").get("chat"))
        await expect(page.get_by_text("You are number 1 in the queue.")).to_be_visible(
            timeout=UI_TIMEOUT_MS)
        await page.close()
        await bea.messages.wait_for(carrying("withdrawn", chat), timeout=GONE_TIMEOUT_S)


async def test_patron_sees_bea_disconnect_waits_in_the_queue_again_and_ann_carries_on(
    lab: dict[str, Any], page: Page,
) -> None:
    widget = lab["libraries"][0]["widgets"][0]
    async with operator(lab, "ann@alpha.test") as ann:
        async with operator(lab, "bea@beta.test") as bea:
            await join(bea, coop_room(lab, "coop-247"), "Bea")
            await ask(page, widget["page"], widget["name"])
            chat = await claim_and_answer(bea, page)
            await join(ann, room(lab, "alpha.test", "Reference"), "Ann")
        # Bea's client is gone without a word.
        await expect(page.get_by_text("Bea was disconnected.")).to_be_visible(
            timeout=UI_TIMEOUT_MS)
        await expect(page.get_by_text("You are back in the queue. You are number 1 in the queue."
                                      )).to_be_visible(timeout=UI_TIMEOUT_MS)
        await ann.messages.wait_for(offer_of(QUESTION), timeout=OFFER_TIMEOUT_S)
        ann.xmpp.send_message(mto=chat, mbody="/claim", mtype="chat")
        await expect(page.get_by_text("You are chatting with Ann (Alpha University Library)."
                                      )).to_be_visible(timeout=UI_TIMEOUT_MS)
        ann.xmpp.send_message(mto=chat, mbody=ANN_ANSWER, mtype="chat")
        await expect(page.get_by_role("log")).to_contain_text(ANN_ANSWER, timeout=UI_TIMEOUT_MS)
        assert [(look, who) for look, who, _ in await conversation(page)] == [
            ("mine", "Pat"), ("system", ""), ("theirs", "Bea"), ("system", ""), ("system", ""),
            ("theirs", "Ann")]
        await page.get_by_role("button", name="End chat").click()


async def test_widget_shows_a_requeue_and_the_queue_status_that_follows_it(
    lab: dict[str, Any], page: Page,
) -> None:
    # What the queue sends when a librarian drops out, spoken to the widget as its server
    # would; the librarian is in fact still there, and carries on after a claim.
    frames = Frames()
    await page.route_web_socket("**/xmpp-websocket", frames.route)
    widget = lab["libraries"][0]["widgets"][0]
    async with operator(lab, "bea@beta.test") as bea:
        await join(bea, coop_room(lab, "coop-247"), "Bea")
        await ask(page, widget["page"], widget["name"])
        chat = await claim_and_answer(bea, page)
        queue = "urn:refdesk:queue:0"
        requeued = f"<requeued xmlns='{queue}' reason='disconnected'/>"
        status = (f"<queue-status xmlns='{queue}'><position>1</position><time>150</time>"
                  "</queue-status>")
        claimed = f"<claimed xmlns='{queue}' nick='Bea' institution='Beta Public Library'/>"
        for element in (requeued, status, claimed):
            SCHEMA.validate(element)

        def from_queue(body: str, element: str) -> str:
            return (f"<message xmlns='jabber:client' from='{chat}' type='chat'>"
                    f"<body>{body}</body>{element}</message>")
        frames.sockets[0].send(from_queue("Your librarian was disconnected.", requeued))
        await expect(page.get_by_role("log")).to_contain_text(
            "Bea was disconnected. You are back in the queue", timeout=UI_TIMEOUT_MS)
        frames.sockets[0].send(from_queue("You are number 1 in the queue.", status))
        await expect(page.get_by_role("status").filter(has_text="back in the queue")).to_have_text(
            "You are back in the queue. You are number 1 in the queue. Estimated wait: about 2 "
            "minutes.", timeout=UI_TIMEOUT_MS)
        frames.sockets[0].send(from_queue("Bea has joined the chat.", claimed))
        await expect(page.get_by_text("You are chatting with Bea (Beta Public Library).")
                     ).to_be_visible(timeout=UI_TIMEOUT_MS)
        bea.xmpp.send_message(mto=JID(chat), mbody="Sorry, my connection dropped.", mtype="chat")
        await expect(page.get_by_role("log")).to_contain_text("Sorry, my connection dropped.",
                                                              timeout=UI_TIMEOUT_MS)
        assert [look for look, _, _ in await conversation(page)] == [
            "mine", "system", "theirs", "system", "system", "theirs"]
        await page.get_by_role("button", name="End chat").click()


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
