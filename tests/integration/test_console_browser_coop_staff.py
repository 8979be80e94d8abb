"""The 24/7 co-op's own staff answer in the console: logged in at the co-op's coordinating
host, they take the member libraries' chats the co-op's staff are offered after its delay."""

from __future__ import annotations

import re
from typing import Any

from playwright.async_api import Browser, Page, expect

from tests.integration.browser import browser
from tests.integration.consolepage import (
    UI_TIMEOUT_MS,
    axe_clean,
    chat_item,
    console,
    section,
    shoot,
    valid_console_stanzas,
)
from tests.integration.queue import carrying, join, payload
from tests.integration.test_console_browser_chats import (
    QUESTION_ON_PAGE,
    monitoring_shown,
    nobody_left_waiting,
    say_to_patron,
)
from tests.integration.test_widget_browser import offer_of
from tests.integration.xmpp import operator

__all__ = ["browser", "nobody_left_waiting"]  # fixtures

OFFER_S = UI_TIMEOUT_MS / 1000
PATRON = "Zora"
"""A name no other story's patron has: Sue sees every member library's chats offered to the
co-op's staff, and a chat another story left waiting may be among them."""
ANSWER = "The map room has the 1920s city plans; I'll send you the catalogue link."


async def test_coop_staff_sue_takes_an_alpha_chat_the_247_staff_are_offered_and_answers(
        lab: dict[str, Any], browser: Browser) -> None:
    coop = next(c for c in lab["coops"] if c["id"] == "coop-247")
    widget = lab["libraries"][0]["widgets"][0]  # Ask Alpha: Reference, then the co-ops
    async with console(browser, lab, "sue@coop.test") as sue, \
            operator(lab, "ben@beta.test") as ben, operator(lab, "sam@coop.test") as sam:
        # Sue keeps to internal chat in the co-op's room; Ben, a member's librarian, monitors
        # it, so that the 24/7 co-op is notified and its staff after it. Sam, staff too, in a
        # stock client, shows when the staff are offered the chat.
        await section(sue, "Settings")
        await sue.get_by_label(f"Monitor {coop['name']}").uncheck()
        await monitoring_shown(lab, "sue@coop.test", "queue.alpha.test", coop["name"],
                               "present but away")
        await join(ben, coop["room"], "Ben")
        await section(sue, "Patron Chats")

        patron_context = await browser.new_context()
        patron_page = await patron_context.new_page()
        await ask_as(patron_page, widget["page"], widget["name"], PATRON)
        offer = await ben.messages.wait_for(offer_of(QUESTION_ON_PAGE), timeout=OFFER_S)
        chat = str(payload(offer, "offer").get("chat"))
        staff_offer = await sam.messages.wait_for(carrying("offer", chat), timeout=OFFER_S)
        assert staff_offer["from"].bare == chat  # direct, as staff: not in the room

        offered = chat_item(sue, PATRON)
        await expect(offered).to_be_visible(timeout=UI_TIMEOUT_MS)
        await expect(offered).to_contain_text(coop["name"])
        await expect(offered.get_by_role("img", name="Patron of your library")).to_have_count(0)
        await offered.get_by_role("button").click()
        preview = sue.get_by_role("region", name=re.compile("Preview"))
        for shown in (QUESTION_ON_PAGE, "Alpha University Library", widget["name"],
                      widget["page"]):
            await expect(preview).to_contain_text(shown)
        await axe_clean(sue)
        await shoot(sue, "coop-staff-01-preview")

        await preview.get_by_role("button", name="Claim chat").click()
        await expect(patron_page.get_by_text("You are chatting with Sue")).to_be_visible(
            timeout=UI_TIMEOUT_MS)
        await sam.messages.wait_for(carrying("taken", chat), timeout=OFFER_S)
        await say_to_patron(sue, ANSWER)
        await expect(patron_page.get_by_role("log")).to_contain_text(ANSWER,
                                                                     timeout=UI_TIMEOUT_MS)
        await axe_clean(sue)
        await shoot(sue, "coop-staff-02-chatting")
        await sue.get_by_role("button", name="End chat").click()
        await expect(patron_page.get_by_text(re.compile("ended"))).to_be_visible(
            timeout=UI_TIMEOUT_MS)
        await patron_context.close()
        assert await valid_console_stanzas(sue) >= 2  # the desk, a feed at least


async def ask_as(page: Page, url: str, widget_name: str, name: str) -> None:
    """The patron asks on the library's sample page, as test_widget_browser.ask, by name."""
    await page.goto(url)
    await page.get_by_role("button", name=widget_name).click()
    await page.get_by_label("Your question").fill(QUESTION_ON_PAGE)
    await page.get_by_label("Your name").fill(name)
    await page.get_by_role("button", name="Start chat").click()
