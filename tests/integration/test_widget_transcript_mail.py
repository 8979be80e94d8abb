"""The patron, in a real browser, asks for their transcript by email once the chat ends."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Page, expect

from tests.integration.browser import axe_violations, browser, page
from tests.integration.queue import carrying, coop_room, join, payload
from tests.integration.tickets import mail_to
from tests.integration.xmpp import operator

__all__ = ["browser", "page"]  # fixtures

QUESTION = "Which databases cover Czech newspapers?"
ANSWER = "Try Kramerius: the national library's digitised papers."
UI_TIMEOUT_MS = 20_000


async def test_alpha_patron_emails_themselves_the_transcript_after_the_chat_from_the_widget(
    lab: dict[str, Any], page: Page,
) -> None:
    widget = lab["libraries"][0]["widgets"][0]
    async with operator(lab, "bea@beta.test") as bea:
        await join(bea, coop_room(lab, "coop-247"), "Bea")
        await page.goto(widget["page"])
        await page.get_by_role("button", name=widget["name"]).click()
        await page.get_by_label("Your question").fill(QUESTION)
        await page.get_by_label("Your email").fill("vera@example.org")
        await page.get_by_role("button", name="Start chat").click()
        offer = await bea.messages.wait_for(
            lambda m: carrying("offer")(m) and QUESTION in m["body"], timeout=30)
        chat = payload(offer, "offer").get("chat")
        bea.xmpp.send_message(mto=chat, mbody="!claim", mtype="chat")
        await expect(page.get_by_text("You are chatting with Bea (Beta Public Library).")
                     ).to_be_visible(timeout=UI_TIMEOUT_MS)
        bea.xmpp.send_message(mto=chat, mbody=ANSWER, mtype="chat")
        await expect(page.get_by_role("log")).to_contain_text(ANSWER, timeout=UI_TIMEOUT_MS)
        await page.get_by_role("button", name="End chat").click()

    emailing = page.get_by_role("form", name="Email me this transcript")
    await expect(emailing.get_by_label("Your email")).to_have_value("vera@example.org")
    assert await axe_violations(page) == []
    await emailing.get_by_label("Your email").fill("vera.n@example.org")
    await emailing.get_by_role("button", name="Email transcript").click()
    await expect(page.get_by_text("The transcript was sent to vera.n@example.org.")
                 ).to_be_visible(timeout=UI_TIMEOUT_MS)
    mail = await mail_to(lab, "vera.n@example.org")
    body = mail.get_content()
    assert f"You: {QUESTION}" in body and f"Bea: {ANSWER}" in body
    # Rating still works afterwards, and the form stays for a second address.
    await page.get_by_label("5", exact=True).check()
    await page.get_by_role("button", name="Send rating").click()
    await expect(page.get_by_text("Thank you for your rating.")).to_be_visible()
