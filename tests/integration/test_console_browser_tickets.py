"""The console's Tickets, in Chromium: Alpha's admin finds the questions left on the offline
widget, takes one, answers it by email and sees it leave the open list (closed, with its
answer, on the switch); a question with no email says it cannot be answered by email and is
referred to Beta instead."""

from __future__ import annotations

import secrets
from typing import Any

from playwright.async_api import Browser, expect

from tests.integration.browser import browser
from tests.integration.consolearchive import console, ticket_item
from tests.integration.consolepage import UI_TIMEOUT_MS, axe_clean, section, shoot
from tests.integration.tickets import leave_question, mail_to
from tests.integration.xmpp import patron

__all__ = ["browser"]  # fixtures

# In this run's questions: a lab kept between runs (REFDESK_TEST_LAB) holds earlier ones.
RUN = secrets.token_hex(3)
RENEW, HISTORY = f"Can I renew ILL loans online ({RUN})?", f"Local history of Beta ({RUN})?"
UMA = f"uma-{RUN}@example.org"


async def test_alpha_admin_answers_a_ticket_by_email_and_it_leaves_the_open_list(
        lab: dict[str, Any], browser: Browser) -> None:
    async with patron(lab, "alpha.test") as pat:
        await leave_question(pat, "alpha.test", "alpha-main", RENEW,
                             name="Uma Loans", email=UMA)

    async with console(browser, lab, "ann@alpha.test") as (page, traffic):
        await section(page, "Tickets")
        item = ticket_item(page, RENEW)
        await expect(item).to_contain_text(UMA, timeout=UI_TIMEOUT_MS)
        await expect(item).to_contain_text("Offline widget")
        await axe_clean(page)
        await shoot(page, "14-tickets")

        await item.locator("summary", has_text="Assign").click()
        await item.get_by_role("button", name="Assign to me").click()
        await expect(item).to_contain_text("ann@alpha.test", timeout=UI_TIMEOUT_MS)

        await item.locator("summary", has_text="Answer by email").click()
        await item.get_by_label(f"Answer to {UMA}").fill(
            "Yes: sign in to your account and choose Renew.")
        await axe_clean(page)
        await item.get_by_role("button", name="Send answer").click()
        await expect(item).to_have_count(0, timeout=UI_TIMEOUT_MS)

        await page.get_by_label("Show closed tickets").check()
        closed = ticket_item(page, RENEW)
        await expect(closed).to_contain_text("Closed", timeout=UI_TIMEOUT_MS)
        await expect(closed).to_contain_text("sign in to your account and choose Renew")
        await shoot(page, "15-tickets-closed")

        await closed.get_by_role("button", name="Open transcript").click()
        question = page.get_by_role("region", name="Transcript:").get_by_role("definition")
        await expect(question.filter(has_text=RENEW)).to_have_count(1, timeout=UI_TIMEOUT_MS)
        assert traffic.validated() >= 8
    mail = await mail_to(lab, UMA)
    assert "sign in to your account and choose Renew" in str(mail.get_content())


async def test_a_ticket_without_email_cannot_be_answered_and_is_referred_to_beta(
        lab: dict[str, Any], browser: Browser) -> None:
    async with patron(lab, "alpha.test") as pat:
        await leave_question(pat, "alpha.test", "alpha-main", HISTORY,
                             name="Vic Nomail")

    async with console(browser, lab, "ann@alpha.test") as (page, _):
        await section(page, "Tickets")
        item = ticket_item(page, HISTORY)
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
        referred = ticket_item(page, HISTORY)
        await expect(referred).to_contain_text("Referral", timeout=UI_TIMEOUT_MS)
        await expect(referred).to_contain_text("Their local history room knows.")
        await axe_clean(page)
        await referred.get_by_role("button", name="Close ticket").click()
        await expect(referred).to_have_count(0, timeout=UI_TIMEOUT_MS)
        assert traffic.validated() >= 4
