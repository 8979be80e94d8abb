"""Patrons in a real browser see answers from their library's public FAQs while they type
their question, on the pre-chat form and on the offline form, and can always still ask."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Final

from playwright.async_api import Locator, Page, ViewportSize, expect

from tests.integration.browser import browser, page
from tests.integration.queue import coop_room, join
from tests.integration.widgetfaq import HeldSearches, error_frame, results_frame
from tests.integration.xmpp import operator

__all__ = ["browser", "page"]  # fixtures

UI_TIMEOUT_MS: Final = 20_000
PHONES: Final[dict[str, ViewportSize]] = {"420": {"width": 420, "height": 800},
                                          "360": {"width": 360, "height": 740}}
DESKTOP: Final[ViewportSize] = {"width": 1280, "height": 800}
SCREENSHOTS: Final = Path(os.environ.get("REFDESK_SCREENSHOTS", "/tmp/refdesk-screenshots"))
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
