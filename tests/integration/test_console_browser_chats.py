"""Librarians in the console answering patrons: the list, the chime, preview, claim, several
chats at once, capacity and monitoring, all against the lab."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from playwright.async_api import Browser, Page, expect
from slixmpp.exceptions import IqError, IqTimeout

from components.forms import text_of
from tests.integration.browser import browser
from tests.integration.consolepage import (
    UI_TIMEOUT_MS,
    axe_clean,
    chat_item,
    chimes,
    console,
    notifications,
    section,
    shoot,
    valid_console_stanzas,
)
from tests.integration.queue import asking, command, notes
from tests.integration.test_widget_browser import ask
from tests.integration.xmpp import Session, eventually, operator, patron

__all__ = ["browser"]  # fixture

QUESTION = "Do you have the 1911 census returns for our county?"
ANSWER = "Yes: the local studies room keeps them on microfilm."
PATRON_LINE = "Thank you! Is it open on Saturdays?"


@pytest.fixture(autouse=True)
async def nobody_left_waiting(lab: dict[str, Any]) -> AsyncIterator[None]:
    """A chat a failed story left waiting is claimed and ended, so the next story's list is
    its own."""
    yield
    for jid, domain in (("bea@beta.test", "beta.test"), ("ann@alpha.test", "alpha.test")):
        async with operator(lab, jid) as librarian:
            listed = notes(await command(librarian, f"queue.{domain}", "queue"))
            for chat in re.findall(rf"chat-\S+?@queue\.{re.escape(domain)}", listed):
                for node in ("claim", "end"):
                    with contextlib.suppress(IqError, IqTimeout):
                        await command(librarian, chat, node)


async def room_state(session: Session, queue: str, label: str) -> str:
    """How the queue's `monitoring` command shows the librarian in a room: monitoring,
    present but away / dnd, not monitoring."""
    form = (await command(session, queue, "monitoring"))["command"]["form"]
    for line in text_of(form).splitlines():
        if line.startswith(f"{label}: "):
            return line.removeprefix(f"{label}: ")
    return "not offered"


async def monitoring_shown(lab: dict[str, Any], jid: str, queue: str, label: str,
                           state: str) -> None:
    """Waits until the queue counts the librarian, asked from their own account, as `state`."""
    async with operator(lab, jid) as same_account:
        await eventually(lambda: room_state(same_account, queue, label), state, timeout=15)


async def test_beta_librarian_hears_an_alpha_patron_previews_claims_and_answers_and_alpha_sees_it_taken(  # noqa: E501
        lab: dict[str, Any], browser: Browser) -> None:
    widget = lab["libraries"][0]["widgets"][0]  # Ask Alpha: Reference, then the co-ops
    async with console(browser, lab, "ari@alpha.test") as alpha, \
            console(browser, lab, "bo@beta.test") as beta:
        await expect(beta.get_by_text("No patron is waiting.")).to_be_visible()
        await axe_clean(beta)
        await shoot(beta, "01-empty-list")
        patron_context = await browser.new_context()
        patron_page = await patron_context.new_page()
        await ask(patron_page, widget["page"], widget["name"])

        offered = chat_item(beta, "Pat")
        await expect(offered).to_be_visible(timeout=UI_TIMEOUT_MS)
        await expect(offered.get_by_role("img", name="Patron of your library")).to_have_count(0)
        await expect(chat_item(alpha, "Pat").get_by_role(
            "img", name="Patron of your library")).to_be_visible(timeout=UI_TIMEOUT_MS)
        assert await chimes(beta) > 0
        assert any("Alpha University Library" in shown["body"]
                   for shown in await notifications(beta))

        await offered.get_by_role("button").click()
        preview = beta.get_by_role("region", name=re.compile("Preview"))
        for shown in (QUESTION_ON_PAGE, "Alpha University Library", "Ask Alpha",
                      widget["page"]):
            await expect(preview).to_contain_text(shown)
        await axe_clean(beta)
        await shoot(beta, "02-preview")

        await preview.get_by_role("button", name="Claim chat").click()
        await expect(patron_page.get_by_text("You are chatting with Bo")).to_be_visible(
            timeout=UI_TIMEOUT_MS)
        await expect(chat_item(alpha, "Pat")).to_contain_text(
            "Taken by Bo", timeout=UI_TIMEOUT_MS)
        await say_to_patron(beta, ANSWER)
        await expect(patron_page.get_by_role("log")).to_contain_text(ANSWER,
                                                                     timeout=UI_TIMEOUT_MS)
        await expect(beta.get_by_text("delivered")).to_be_visible(timeout=UI_TIMEOUT_MS)

        await patron_page.get_by_label("Your message").press_sequentially("Tha")
        await expect(beta.get_by_text("Pat is typing…")).to_be_visible(timeout=UI_TIMEOUT_MS)
        await patron_page.get_by_label("Your message").fill(PATRON_LINE)
        await patron_page.keyboard.press("Enter")
        await expect(beta.get_by_role("log", name="Conversation with Pat")).to_contain_text(
            PATRON_LINE, timeout=UI_TIMEOUT_MS)
        await beta.get_by_label("Message to the patron").press_sequentially("Ye")
        await expect(patron_page.get_by_text("is typing…")).to_be_visible(
            timeout=UI_TIMEOUT_MS)
        await axe_clean(beta)
        await shoot(beta, "03-chatting")

        await beta.get_by_role("button", name="Patron Information").click()
        await expect(beta.get_by_role("article")).to_contain_text(widget["page"])
        await beta.get_by_role("button", name="Chat", exact=True).click()
        await beta.get_by_role("button", name="End chat").click()
        await expect(beta.get_by_text("The chat has ended.")).to_be_visible(
            timeout=UI_TIMEOUT_MS)
        await expect(patron_page.get_by_text(re.compile("ended"))).to_be_visible(
            timeout=UI_TIMEOUT_MS)
        await patron_context.close()
        assert await valid_console_stanzas(beta) >= 2  # the desk, a feed at least


QUESTION_ON_PAGE = "Where can I find maps of Prague from the 1920s?"


async def say_to_patron(page: Page, line: str) -> None:
    await page.get_by_label("Message to the patron").fill(line)
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("log", name=re.compile("Conversation"))).to_contain_text(line)


async def claim_in_console(page: Page, name: str) -> None:
    await chat_item(page, name).get_by_role("button").click()
    await page.get_by_role("button", name="Claim chat").click()
    await expect(page.get_by_role("button", name=name, exact=True)).to_be_visible(
        timeout=UI_TIMEOUT_MS)


async def test_two_chats_at_once_capacity_stops_new_offers_and_ending_one_brings_them_back(
        lab: dict[str, Any], browser: Browser) -> None:
    beta_queue, department = "queue.beta.test", "Adult Services"
    async with console(browser, lab, "bianca@beta.test") as page, \
            patron(lab, "beta.test") as first, patron(lab, "beta.test") as second, \
            patron(lab, "beta.test") as third:
        await monitoring_shown(lab, "bianca@beta.test", beta_queue, department, "monitoring")
        await section(page, "Settings")
        await page.get_by_label("Chats I take at once").fill("2")
        await page.get_by_label("Chats I take at once").press("Tab")
        await section(page, "Patron Chats")
        async with asking(first, "beta.test", "beta-main", "First question", name="Una"), \
                asking(second, "beta.test", "beta-main", "Second question", name="Dua"):
            await expect(chat_item(page, "Una")).to_be_visible(timeout=UI_TIMEOUT_MS)
            await claim_in_console(page, "Una")
            await expect(chat_item(page, "Dua")).to_be_visible(timeout=UI_TIMEOUT_MS)
            await claim_in_console(page, "Dua")
            await expect(page.get_by_role("status").filter(has_text="Busy")).to_be_visible()
            await monitoring_shown(lab, "bianca@beta.test", beta_queue, department,
                                   "present but dnd")
            await axe_clean(page)
            await shoot(page, "04-two-chats-busy")

            # Busy everywhere, Bianca is offered nothing: with nobody else at the desk, Ask
            # Beta is offline to a new patron.
            await widget_online(third, "beta.test", "beta-main", False)
            await page.get_by_role("button", name="Una", exact=True).click()
            await page.get_by_role("button", name="End chat").click()
            await monitoring_shown(lab, "bianca@beta.test", beta_queue, department,
                                   "monitoring")
            heard = await chimes(page)
            async with asking(third, "beta.test", "beta-main", "Third question", name="Tria"):
                await expect(chat_item(page, "Tria")).to_be_visible(timeout=UI_TIMEOUT_MS)
                assert await chimes(page) > heard


async def test_monitoring_switched_off_stops_offers_and_on_brings_them_back(
        lab: dict[str, Any], browser: Browser) -> None:
    async with console(browser, lab, "ava@alpha.test") as page, \
            patron(lab, "alpha.test") as asker:
        await widget_online(asker, "alpha.test", "alpha-science", True)
        await section(page, "Settings")
        switch = page.get_by_label("Monitor Science")
        await switch.uncheck()
        await widget_online(asker, "alpha.test", "alpha-science", False)
        await monitoring_shown(lab, "ava@alpha.test", "queue.alpha.test", "Science",
                               "present but away")
        await axe_clean(page)
        await shoot(page, "05-settings-monitoring-off")

        await switch.check()
        await widget_online(asker, "alpha.test", "alpha-science", True)
        await section(page, "Patron Chats")
        heard = await chimes(page)
        async with asking(asker, "alpha.test", "alpha-science", "A chemistry question",
                          name="Chem"):
            await expect(chat_item(page, "Chem")).to_be_visible(timeout=UI_TIMEOUT_MS)
            assert await chimes(page) > heard


async def widget_online(asker: Session, domain: str, widget: str, online: bool) -> None:
    async def status() -> bool:
        iq = asker.xmpp.make_iq_get(ito=f"queue.{domain}")
        iq["refdesk_status"]["widget"] = widget
        reply = await iq.send(timeout=10)
        return str(reply["refdesk_status"]["online"]) == "true"
    await eventually(status, online, timeout=15)

