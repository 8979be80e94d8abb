"""Librarians with each other in the console: internal chat in a co-op room and one to one,
a transfer with a note for staff, a silent supervisor's notes, staying logged in across a
reload (with a chat open: it stays the librarian's)."""

from __future__ import annotations

import re
from typing import Any

from playwright.async_api import Browser, expect
from slixmpp import JID

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
from tests.integration.queue import asking, carrying, coop_room, join
from tests.integration.test_console_browser_chats import (
    claim_in_console,
    monitoring_shown,
    nobody_left_waiting,
    say_to_patron,
)
from tests.integration.xmpp import find_account, operator, patron

__all__ = ["browser", "nobody_left_waiting"]  # fixtures

HELLO = "Anyone free to cover the evening shift?"
REPLY = "Gil here: I can take it."
NOTE = "Patron needs the organic chemistry reserve list."
SUPERVISOR_NOTE = "Offer the interlibrary loan form too."


async def test_internal_chat_in_the_coop_room_and_one_to_one_with_gil_of_gamma(
        lab: dict[str, Any], browser: Browser) -> None:
    room_jid = coop_room(lab, "coop-247")
    async with console(browser, lab, "brit@beta.test") as page, \
            operator(lab, "gil@gamma.test") as gil:
        await join(gil, room_jid, "Gil")
        await section(page, "Internal Chat")
        await page.get_by_role("button", name="24/7 Reference").click()
        await page.get_by_label("Message to 24/7 Reference").fill(HELLO)
        await page.get_by_label("Message to 24/7 Reference").press("Enter")
        await gil.groupchat.wait_for(lambda m: m["body"] == HELLO, timeout=15)

        other = page.get_by_role("button", name="Gil (Gamma County Library)")
        await expect(other).to_be_visible(timeout=UI_TIMEOUT_MS)
        await other.click()
        await page.get_by_label("Message to Gil (Gamma County Library)").fill("Hello Gil")
        await page.get_by_label("Message to Gil (Gamma County Library)").press("Enter")
        await gil.messages.wait_for(lambda m: m["body"] == "Hello Gil", timeout=15)
        gil.xmpp.send_message(mto=JID("brit@beta.test"), mbody=REPLY, mtype="chat")
        await expect(page.get_by_role("log", name="Chat with Gil (Gamma County Library)")
                     ).to_contain_text(REPLY, timeout=UI_TIMEOUT_MS)
        await axe_clean(page)
        await shoot(page, "06-internal-chat")


async def test_transfer_to_an_alpha_department_with_a_note_claimed_by_an_alpha_librarian(
        lab: dict[str, Any], browser: Browser) -> None:
    async with console(browser, lab, "amir@alpha.test") as first, \
            console(browser, lab, "alma@alpha.test") as second, \
            patron(lab, "alpha.test") as asker:
        for librarian in ("amir@alpha.test", "alma@alpha.test"):
            await monitoring_shown(lab, librarian, "queue.alpha.test", "Science", "monitoring")
        async with asking(asker, "alpha.test", "alpha-science", "Where is the reserve list?",
                          name="Rhea"):
            await expect(chat_item(first, "Rhea")).to_be_visible(timeout=UI_TIMEOUT_MS)
            await claim_in_console(first, "Rhea")
            await say_to_patron(first, "Let me find someone from Science.")
            await first.get_by_role("button", name="Transfer").click()
            await first.get_by_label("Transfer to").select_option(value="Science")
            await first.get_by_label("Note for staff").fill(NOTE)
            await axe_clean(first)
            await shoot(first, "07-transfer")
            await first.get_by_role("button", name="Transfer chat").click()

            await expect(chat_item(second, "Rhea")).to_be_visible(timeout=UI_TIMEOUT_MS)
            await claim_in_console(second, "Rhea")
            log = second.get_by_role("log", name="Conversation with Rhea")
            for said in ("Let me find someone from Science.", NOTE):
                await expect(log).to_contain_text(said, timeout=UI_TIMEOUT_MS)
            assert await valid_console_stanzas(first) >= 3


async def test_silent_supervisors_note_is_seen_by_staff_and_never_by_the_patron(
        lab: dict[str, Any], browser: Browser) -> None:
    async with console(browser, lab, "asa@alpha.test") as librarian, \
            console(browser, lab, "ann@alpha.test") as admin, \
            patron(lab, "alpha.test") as asker:
        await monitoring_shown(lab, "asa@alpha.test", "queue.alpha.test", "Science",
                               "monitoring")
        async with asking(asker, "alpha.test", "alpha-science", "Lab safety rules?",
                          name="Sol") as chat:
            await expect(chat_item(librarian, "Sol")).to_be_visible(timeout=UI_TIMEOUT_MS)
            await claim_in_console(librarian, "Sol")
            await chat_item(admin, "Sol").get_by_role("button").click()
            await admin.get_by_role("button", name="Supervise").click()
            await admin.get_by_label(re.compile("^Internal note")).fill(SUPERVISOR_NOTE)
            await admin.get_by_role("button", name="Add note").click()
            await expect(librarian.get_by_role("log", name="Conversation with Sol")
                         ).to_contain_text(SUPERVISOR_NOTE, timeout=UI_TIMEOUT_MS)
            await axe_clean(admin)
            await shoot(admin, "08-supervising")
            await say_to_patron(librarian, "The rules are on the lab door.")
            await asker.messages.wait_for(
                lambda m: m["body"] == "The rules are on the lab door.", timeout=15)
            assert not [m for m in asker.messages.items
                        if SUPERVISOR_NOTE in str(m["body"]) and m["from"].bare == chat]


async def test_librarian_stays_logged_in_across_a_reload_and_logs_out(
        lab: dict[str, Any], browser: Browser) -> None:
    async with console(browser, lab, "gwen@gamma.test") as page:
        await page.reload()
        await expect(page.get_by_role("navigation", name="Console sections")).to_be_visible(
            timeout=UI_TIMEOUT_MS)
        stored = await page.evaluate("JSON.stringify(sessionStorage)")
        _, account = find_account(lab, "gwen@gamma.test")
        assert "gwen@gamma.test" in stored and account["password"] not in stored
        await page.get_by_role("button", name="Log out").click()
        await expect(page.get_by_role("button", name="Log in")).to_be_visible(
            timeout=UI_TIMEOUT_MS)
        assert "gwen@gamma.test" not in await page.evaluate("JSON.stringify(sessionStorage)")
        await axe_clean(page)
        await shoot(page, "00-login")


async def test_a_reload_in_the_middle_of_a_chat_keeps_the_chat_and_its_conversation(
        lab: dict[str, Any], browser: Browser) -> None:
    async with console(browser, lab, "gia@gamma.test") as page, \
            patron(lab, "gamma.test") as asker:
        await monitoring_shown(lab, "gia@gamma.test", "queue.gamma.test", "Information Desk",
                               "monitoring")
        async with asking(asker, "gamma.test", "gamma-main", "Is the library open on Sunday?",
                          name="Una") as chat:
            await expect(chat_item(page, "Una")).to_be_visible(timeout=UI_TIMEOUT_MS)
            await claim_in_console(page, "Una")
            await say_to_patron(page, "Yes, from noon to five.")
            await page.reload()

            log = page.get_by_role("log", name="Conversation with Una")
            await expect(log).to_contain_text("Yes, from noon to five.", timeout=UI_TIMEOUT_MS)
            # A client with no chat states (the widget sends them, not every client does):
            # still the patron's line, not a notice.
            asker.xmpp.send_message(mto=JID(chat), mbody="And on holidays?", mtype="chat")
            said = log.locator("p.line", has_text="And on holidays?")
            await expect(said.locator(".who")).to_have_text("Patron", timeout=UI_TIMEOUT_MS)
            await say_to_patron(page, "Closed on holidays.")
            await asker.messages.wait_for(lambda m: m["body"] == "Closed on holidays.",
                                          timeout=15)
            assert not [m for m in asker.messages.items if carrying("requeued")(m)]
