"""A librarian at a busy desk works the console from the keyboard alone: Tab, Shift-Tab,
Enter, Space and Escape, the focus always where the next step is, axe-core clean."""

from __future__ import annotations

import re
from typing import Any, Final

from playwright.async_api import Browser, Locator, Page, expect
from slixmpp import JID
from slixmpp.xmlstream import ET

from tests.integration.browser import browser
from tests.integration.consolepage import (
    DESKTOP,
    OBSERVE_SENT,
    UI_TIMEOUT_MS,
    axe_clean,
    chat_item,
    shoot,
    valid_console_stanzas,
)
from tests.integration.queue import asking
from tests.integration.test_console_browser_chats import monitoring_shown
from tests.integration.xmpp import Session, find_account, patron

__all__ = ["browser"]  # fixture

LIBRARIAN: Final = "ben@beta.test"
ANSWER: Final = "The large-print shelf is by the main entrance."
PATRON_LINE: Final = "Thanks, and do you lend audiobooks?"
CHATSTATES: Final = "http://jabber.org/protocol/chatstates"
MAX_TABS: Final = 40  # more presses than the page has stops: a missing stop fails, never hangs


async def tab_to(page: Page, target: Locator, key: str = "Tab") -> None:
    """Presses Tab (or Shift+Tab) until `target` has the focus, as a keyboard user would."""
    for _ in range(MAX_TABS):
        await page.keyboard.press(key)
        if await target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{key} never reached {target}")


def say_as_patron(kay: Session, chat: str, body: str) -> None:
    """A line as the widget sends it: with the chat state that marks a patron's words."""
    line = kay.xmpp.make_message(mto=JID(chat), mbody=body, mtype="chat")
    line.xml.append(ET.Element(f"{{{CHATSTATES}}}active"))
    line.send()


async def log_in_by_keyboard(page: Page, jid: str, password: str) -> None:
    await tab_to(page, page.get_by_label("Address"))
    await page.keyboard.type(jid)
    await page.keyboard.press("Tab")
    await page.keyboard.type(password)
    await page.keyboard.press("Enter")
    # Logged in, the focus is on the section shown, so the next Tab goes on from there.
    await expect(page.get_by_role("button", name=re.compile("^Patron Chats"))).to_be_focused(
        timeout=UI_TIMEOUT_MS)


async def test_beta_librarian_claims_answers_and_ends_a_chat_with_the_keyboard_alone(
        lab: dict[str, Any], browser: Browser) -> None:
    site, account = find_account(lab, LIBRARIAN)
    context = await browser.new_context(viewport=DESKTOP)
    await context.add_init_script(OBSERVE_SENT)
    page = await context.new_page()
    try:
        await page.goto(f"{site['gateway']['http']}/console")
        await log_in_by_keyboard(page, LIBRARIAN, account["password"])
        await monitoring_shown(lab, LIBRARIAN, "queue.beta.test", "Adult Services",
                               "monitoring")
        async with patron(lab, "beta.test") as kay, \
                asking(kay, "beta.test", "beta-main", "Where are the large-print books?",
                       name="Kay") as chat:
            await preview_and_claim_by_keyboard(page)
            await answer_by_keyboard(page, kay, chat)
            await hear_of_a_line_while_elsewhere(page, kay, chat)
            await end_and_close_by_keyboard(page)
        assert await valid_console_stanzas(page) >= 2  # the desk, a feed at least
    finally:
        await context.close()


async def preview_and_claim_by_keyboard(page: Page) -> None:
    item = chat_item(page, "Kay").get_by_role("button")
    await expect(item).to_be_visible(timeout=UI_TIMEOUT_MS)
    await tab_to(page, item)
    await page.keyboard.press("Enter")
    preview = page.get_by_role("region", name="Preview: Kay")
    await expect(preview).to_contain_text("Where are the large-print books?")
    await expect(item).to_have_attribute("aria-expanded", "true")
    # Escape puts the preview away and the focus back on the chat it showed.
    await page.keyboard.press("Escape")
    await expect(preview).to_have_count(0)
    await expect(item).to_be_focused()
    await page.keyboard.press("Space")
    await axe_clean(page)
    await shoot(page, "kb-01-preview")
    await tab_to(page, preview.get_by_role("button", name="Claim chat"))
    await page.keyboard.press("Enter")
    # Claimed, the librarian is in the chat's message field, ready to answer.
    await expect(page.get_by_label("Message to the patron")).to_be_focused(
        timeout=UI_TIMEOUT_MS)


async def answer_by_keyboard(page: Page, kay: Session, chat: str) -> None:
    since = kay.messages.mark()
    await page.keyboard.type(ANSWER)
    await page.keyboard.press("Enter")
    await kay.messages.wait_for(lambda m: m["from"] == chat and m["body"] == ANSWER,
                                since=since)
    say_as_patron(kay, chat, PATRON_LINE)
    await expect(page.get_by_role("log", name="Conversation with Kay")).to_contain_text(
        PATRON_LINE, timeout=UI_TIMEOUT_MS)
    await expect(page.get_by_label("Message to the patron")).to_be_focused()
    await axe_clean(page)
    await shoot(page, "kb-02-answering")


async def hear_of_a_line_while_elsewhere(page: Page, kay: Session, chat: str) -> None:
    """In another section, a patron's line is read out once and counted on the chat's tab."""
    sections = page.get_by_role("navigation", name="Console sections")
    await tab_to(page, sections.get_by_role("button", name="Internal Chat"), "Shift+Tab")
    await page.keyboard.press("Enter")
    say_as_patron(kay, chat, "Hello?")
    notices = page.locator("[aria-live=polite]").filter(has_text="New message from Kay.")
    await expect(notices).to_have_count(1, timeout=UI_TIMEOUT_MS)
    await tab_to(page, sections.get_by_role("button", name=re.compile("^Patron Chats")),
                 "Shift+Tab")
    await page.keyboard.press("Enter")
    tab = page.get_by_role("list", name="Open chats").get_by_role("button")
    await expect(tab).to_have_text("Kay (1 new)")
    await tab_to(page, tab)
    await page.keyboard.press("Enter")
    await expect(tab).to_have_text("Kay")


async def end_and_close_by_keyboard(page: Page) -> None:
    await tab_to(page, page.get_by_role("button", name="End chat"))
    await page.keyboard.press("Space")
    await expect(page.get_by_text("The chat has ended.")).to_be_visible(timeout=UI_TIMEOUT_MS)
    # The chat's Close button is what comes next; closing it returns to the list.
    close = page.get_by_role("button", name="Close", exact=True)
    await expect(close).to_be_focused()
    # Ended, the chat keeps its patron's name on its tab.
    await expect(page.get_by_role("list", name="Open chats")).to_contain_text("Kay (ended)")
    await axe_clean(page)
    await shoot(page, "kb-03-ended")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="Patron Chats", level=2)).to_be_focused()
    await expect(page.get_by_role("list", name="Open chats")).to_have_count(0)
