"""Patrons in a real browser see answers from their library's public FAQs while they type
their question, on the pre-chat form and on the offline form, and can always still ask."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any, Final

from playwright.async_api import Locator, Page, ViewportSize, expect

from refdesk.db.models import Availability
from tests.integration.browser import axe_violations, browser, page
from tests.integration.queue import coop_room, join, payload
from tests.integration.widgetfaq import (
    FaqTraffic,
    HeldSearches,
    error_frame,
    results_frame,
    search_as,
    seed_faq,
)
from tests.integration.xmpp import operator

__all__ = ["browser", "page"]  # fixtures

UI_TIMEOUT_MS: Final = 20_000
PHONES: Final[dict[str, ViewportSize]] = {"420": {"width": 420, "height": 800},
                                          "360": {"width": 360, "height": 740}}
DESKTOP: Final[ViewportSize] = {"width": 1280, "height": 800}
SCREENSHOTS: Final = Path(os.environ.get("REFDESK_SCREENSHOTS", "/tmp/refdesk-screenshots"))
OFFER_TIMEOUT_S: Final = 30.0
STAFFING: Final = {"Database login for co-op librarians", "Alert: renewals are down this week"}
HIDDEN: Final = "How do I renew by fax?"
STAFF_ONLY: Final = (*STAFFING, "Which printer jams on the second floor?",
                     "Who approves overtime for evening shifts?", HIDDEN)
INJECTED: Final = "<img src=x onerror=\"window.refdeskInjected=1\">Renew <b>online</b>?"


async def open_widget(page: Page, widget: dict[str, Any], greeting: str) -> Locator:
    """The widget opened on its sample page; its question box, once shown."""
    await page.goto(widget["page"])
    await page.get_by_role("button", name=widget["name"]).click()
    await expect(page.get_by_text(greeting)).to_be_visible(timeout=UI_TIMEOUT_MS)
    return page.get_by_label("Your question")


def suggested(page: Page) -> Locator:
    return page.get_by_role("region", name="Answers that may help")


async def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"widget-faq-{name}.png"))


async def test_latest_search_wins_a_failed_one_shows_nothing_and_faq_text_stays_text(
    lab: dict[str, Any], page: Page,
) -> None:
    # faq.alpha.test is played by the test here, so as to answer searches out of order.
    searches = HeldSearches()
    await page.route_web_socket("**/xmpp-websocket", searches.route)
    widget = lab["libraries"][0]["widgets"][0]
    async with operator(lab, "bea@beta.test") as bea:
        await join(bea, coop_room(lab, "coop-247"), "Bea")
        question = await open_widget(page, widget, "A librarian will answer you here.")
        await question.press_sequentially("renew my")
        first = await searches.search_for("renew my")
        assert first.get("to") == "faq.alpha.test"
        await question.press_sequentially(" books")
        second = await searches.search_for("renew my books")
        searches.answer(results_frame(second, [(INJECTED, "Sign in to <i>My account</i>.")]))
        await expect(suggested(page)).to_be_visible(timeout=UI_TIMEOUT_MS)
        searches.answer(results_frame(first, [("Stale question?", "Stale answer.")]))

        # Shown as typed in the FAQ, markup and all, never as markup.
        summary = suggested(page).get_by_text(INJECTED, exact=True)
        await summary.click()
        await expect(suggested(page).get_by_text("Sign in to <i>My account</i>.", exact=True)
                     ).to_be_visible()
        assert await page.evaluate("window.refdeskInjected") is None
        await expect(suggested(page).locator("img, b, i")).to_have_count(0)
        await expect(page.get_by_role("status").filter(has_text="may help")).to_have_text(
            "1 answer from the library's FAQs may help: see under your question.")
        await expect(suggested(page).get_by_text("Stale question?")).to_have_count(0)

        await question.press_sequentially(" online")
        failing = await searches.search_for("renew my books online")
        searches.answer(error_frame(failing))
        await expect(suggested(page)).to_be_hidden(timeout=UI_TIMEOUT_MS)

        await page.get_by_role("button", name="Start chat").click()
        await expect(page.get_by_text("You are number 1 in the queue.")).to_be_visible(
            timeout=UI_TIMEOUT_MS)
        await page.get_by_role("button", name="Cancel").click()
        await expect(page.get_by_text("You left the queue.")).to_be_visible()


def word() -> str:
    """A word no FAQ of the lab holds but the ones a story seeds (a lab may be reused)."""
    return f"quillwort{secrets.token_hex(3)}"


async def test_patron_typing_a_question_sees_a_public_faq_suggested_and_still_reaches_bea(
    lab: dict[str, Any], page: Page,
) -> None:
    topic = word()
    faq = f"Can I borrow {topic} atlases overnight?"
    reply = f"Yes: {topic} atlases go out overnight from the map room, back by 10:00."
    await seed_faq(lab, "alpha.test", Availability.PUBLIC, faq, reply)
    traffic = FaqTraffic()
    await page.route_web_socket("**/xmpp-websocket", traffic.route)
    await page.set_viewport_size(DESKTOP)
    widget = lab["libraries"][0]["widgets"][0]
    async with operator(lab, "bea@beta.test") as bea:
        await join(bea, coop_room(lab, "coop-247"), "Bea")
        # A page where nobody opens the widget costs the library no session.
        await page.goto(widget["page"])
        await expect(page.get_by_role("button", name=widget["name"])).to_be_visible()
        await page.wait_for_load_state("networkidle")
        assert traffic.opened == 0
        question = await open_widget(page, widget, "A librarian will answer you here.")
        typed = f"Could I take the {topic} atlas home tonight?"
        await question.press_sequentially(typed)
        found = await traffic.answered(typed)
        assert found.to == "faq.alpha.test"
        assert found.questions is not None and found.questions[0] == faq  # best first
        await expect(page.get_by_role("status").filter(has_text="may help")).to_have_text(
            f"{len(found.questions)} answer{'s' if len(found.questions) > 1 else ''} from "
            "the library's FAQs may help: see under your question.", timeout=UI_TIMEOUT_MS)
        await expect(suggested(page).locator("summary")).to_have_text(list(found.questions))
        # By keyboard: from the question to the best suggestion, which opens on Enter.
        await question.press("Tab")
        await expect(suggested(page).get_by_text(faq)).to_be_focused()
        await page.keyboard.press("Enter")
        await expect(suggested(page).get_by_text(reply)).to_be_visible()
        await screenshot(page, "desktop")
        assert await axe_violations(page) == []

        await page.set_viewport_size(PHONES["420"])
        await screenshot(page, "phone-420")
        assert await axe_violations(page) == []
        await page.get_by_role("button", name="Start chat").click()
        offer = await bea.messages.wait_for(
            lambda m: payload(m, "offer") is not None and typed in m["body"],
            timeout=OFFER_TIMEOUT_S)
        bea.xmpp.send_message(mto=payload(offer, "offer").get("chat"), mbody="/claim",
                              mtype="chat")
        await expect(page.get_by_text("You are chatting with Bea (Beta Public Library).")
                     ).to_be_visible(timeout=UI_TIMEOUT_MS)
        await page.get_by_role("button", name="End chat").click()


async def test_patron_is_never_suggested_alphas_staffing_internal_or_hidden_faqs(
    lab: dict[str, Any], page: Page,
) -> None:
    # Alpha's sample FAQs (refdesk/lab/sample_faqs.py): each of these words is in one of its
    # 24/7 Staffing, Internal, Restricted Internal or Hidden FAQs, and in no Public one.
    staff_words = "login password tulip outage printer jam overtime fax"
    mixed = "How do I renew my books, and what is the database login password?"
    async with operator(lab, "ann@alpha.test") as ann, \
            operator(lab, "bea@beta.test") as bea:
        # They do find them, for Alpha's local admin and for co-op staff at Beta.
        found_by_ann = set(await search_as(ann, "alpha.test", staff_words))
        assert found_by_ann == set(STAFF_ONLY) - {HIDDEN}  # Hidden: searched by no one
        assert set(await search_as(bea, "alpha.test", mixed)) >= STAFFING
        traffic = FaqTraffic()
        await page.route_web_socket("**/xmpp-websocket", traffic.route)
        await join(bea, coop_room(lab, "coop-247"), "Bea")
        question = await open_widget(page, lab["libraries"][0]["widgets"][0],
                                     "A librarian will answer you here.")
        await question.press_sequentially(mixed)
        found = await traffic.answered(mixed)
        assert found.questions is not None and found.questions[0] == "How do I renew my books?"
        await expect(suggested(page).locator("summary")).to_have_text(list(found.questions))
        await question.fill("")
        await question.press_sequentially(staff_words)
        assert (await traffic.answered(staff_words)).questions == ()
        await expect(suggested(page)).to_be_hidden()
    for search in traffic.searches.values():
        assert not set(search.questions or ()) & set(STAFF_ONLY)
    await expect(page.get_by_text("tulip-harbor-42")).to_have_count(0)


async def test_offline_form_suggests_public_faqs_on_a_phone_and_the_question_is_still_left(
    lab: dict[str, Any], page: Page,
) -> None:
    topic = word()
    faq = f"Is the {topic} herbarium open to visitors?"
    reply = f"The {topic} herbarium opens to visitors on Wednesdays from 14:00 to 16:00."
    await seed_faq(lab, "alpha.test", Availability.PUBLIC, faq, reply)
    traffic = FaqTraffic()
    await page.route_web_socket("**/xmpp-websocket", traffic.route)
    await page.set_viewport_size(PHONES["360"])
    # Nobody monitors Alpha's science desk: the widget offers the offline form.
    widget = lab["libraries"][0]["widgets"][1]
    question = await open_widget(page, widget, "No librarian is online")
    typed = f"When can I visit the {topic} herbarium?"
    await question.press_sequentially(typed)
    found = (await traffic.answered(typed)).questions
    assert found is not None and found[0] == faq  # best first
    await suggested(page).get_by_text(faq).click()
    await expect(suggested(page).get_by_text(reply)).to_be_visible()
    await screenshot(page, "offline-phone-360")
    assert await axe_violations(page) == []
    # An address of its own: other stories count the tickets left by pat@example.org.
    await page.get_by_label("Your email").fill(f"pat-{topic}@example.org")
    await page.get_by_role("button", name="Send question").click()
    await expect(page.get_by_text("Your question was sent to the library")).to_be_visible(
        timeout=UI_TIMEOUT_MS)
