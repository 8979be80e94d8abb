"""The console's Tickets, in Chromium: Alpha's admin finds the questions left on the offline
widget, takes one, answers it by email and sees it leave the open list (closed, with its
answer, on the switch); a question with no email says it cannot be answered by email and is
referred to Beta instead."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Browser, expect
from slixmpp import Iq

from tests.integration.browser import browser
from tests.integration.consolearchive import console, ticket_item
from tests.integration.consolepage import UI_TIMEOUT_MS, axe_clean, section, shoot
from tests.integration.xmpp import Session, patron

__all__ = ["browser"]  # fixtures


async def leave_question(pat: Session, domain: str, widget: str, question: str,
                         **fields: str) -> str:
    """A question left on the widget while offline, as the widget sends it; the ticket's id."""
    iq = pat.xmpp.make_iq_set(ito=f"queue.{domain}")
    ticket = iq["refdesk_ticket"]
    ticket["widget"], ticket["question"] = widget, question
    for key, value in fields.items():
        ticket[key] = value
    reply: Iq = await iq.send(timeout=15)
    return str(reply["refdesk_ticket"]["id"])


async def test_alpha_admin_answers_a_ticket_by_email_and_it_leaves_the_open_list(
        lab: dict[str, Any], browser: Browser) -> None:
    async with patron(lab, "alpha.test") as pat:
        await leave_question(pat, "alpha.test", "alpha-main", "Can I renew ILL loans online?",
                             name="Uma Loans", email="uma@example.org")

    async with console(browser, lab, "ann@alpha.test") as (page, traffic):
        await section(page, "Tickets")
        item = ticket_item(page, "Can I renew ILL loans online?")
        await expect(item).to_contain_text("uma@example.org", timeout=UI_TIMEOUT_MS)
        await expect(item).to_contain_text("Offline widget")
        await axe_clean(page)
        await shoot(page, "14-tickets")

        await item.locator("summary", has_text="Assign").click()
        await item.get_by_role("button", name="Assign to me").click()
        await expect(item).to_contain_text("ann@alpha.test", timeout=UI_TIMEOUT_MS)

        await item.locator("summary", has_text="Answer by email").click()
        await item.get_by_label("Answer to uma@example.org").fill(
            "Yes: sign in to your account and choose Renew.")
        await axe_clean(page)
        await item.get_by_role("button", name="Send answer").click()
        await expect(item).to_have_count(0, timeout=UI_TIMEOUT_MS)

        await page.get_by_label("Show closed tickets").check()
        closed = ticket_item(page, "Can I renew ILL loans online?")
        await expect(closed).to_contain_text("Closed", timeout=UI_TIMEOUT_MS)
        await expect(closed).to_contain_text("sign in to your account and choose Renew")
        await shoot(page, "15-tickets-closed")
        assert traffic.validated() >= 6


async def test_a_ticket_without_email_cannot_be_answered_and_is_referred_to_beta(
        lab: dict[str, Any], browser: Browser) -> None:
    async with patron(lab, "alpha.test") as pat:
        await leave_question(pat, "alpha.test", "alpha-main", "Local history of Beta town?",
                             name="Vic Nomail")

    async with console(browser, lab, "ann@alpha.test") as (page, _):
        await section(page, "Tickets")
        item = ticket_item(page, "Local history of Beta town?")
        await expect(item).to_contain_text("cannot be answered by email",
                                           timeout=UI_TIMEOUT_MS)
        await expect(item.get_by_role("button", name="Send answer")).to_have_count(0)
        await item.locator("summary", has_text="Refer").click()
        await item.get_by_label("Refer to").select_option(label="Beta Public Library")
        await item.get_by_label("Note for them").fill("Their local history room knows.")
        await item.get_by_role("button", name="Refer ticket").click()
        await expect(item).to_have_count(0, timeout=UI_TIMEOUT_MS)

    async with console(browser, lab, "bea@beta.test") as (page, traffic):
        await section(page, "Tickets")
        referred = ticket_item(page, "Local history of Beta town?")
        await expect(referred).to_contain_text("Referral", timeout=UI_TIMEOUT_MS)
        await axe_clean(page)
        assert traffic.validated() >= 2
