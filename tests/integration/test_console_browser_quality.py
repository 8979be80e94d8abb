"""The Quality team in the console: Sue, on the 24/7 co-op's team, reviews a session an Alpha
admin forwarded, from the keyboard; Ben, who handled it, reads the comments in his console;
Sam, a Co-Op Admin, sets the review rotation and Sue draws a sample."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from playwright.async_api import Browser, Page, expect

from refdesk.db.stores.activity import Summary
from tests.integration.browser import browser
from tests.integration.consolepage import UI_TIMEOUT_MS, axe_clean, console, section, shoot
from tests.integration.quality import (
    OBSERVE_QUALITY,
    ask,
    forward,
    rotation,
    summarised,
    valid_quality_stanzas,
)
from tests.integration.xmpp import operator

__all__ = ["browser"]  # fixtures

CONCERN = "The patron asked for a source and got none."
COMMENTS = "Give the citation with every fact; the co-op guide has examples."
SECTION = "Quality review"


def _case(page: Page, heading: str, chat_id: str) -> Any:
    return page.get_by_role("list", name=heading).get_by_role("listitem").filter(
        has_text=chat_id)


async def test_sue_reviews_a_forwarded_session_in_the_console_and_ben_reads_the_comments(
        lab: dict[str, Any], browser: Browser) -> None:
    requested = datetime.now(UTC) - timedelta(hours=5)
    chat = Summary("coop-247", "alpha.test", f"qc-{uuid.uuid4().hex[:10]}", "alpha-main",
                   requested, requested + timedelta(minutes=9), requested, "ben@beta.test",
                   "beta.test")
    await summarised(lab, [chat])
    async with operator(lab, "ann@alpha.test") as ann:
        await ask(ann, "set", forward("coop-247", "alpha.test", chat.chat_id, CONCERN), "case")

    async with console(browser, lab, "sue@coop.test") as page:
        await page.evaluate(OBSERVE_QUALITY)
        await section(page, SECTION)
        case = _case(page, "Open cases", chat.chat_id)
        await expect(case).to_contain_text(CONCERN, timeout=UI_TIMEOUT_MS)
        await expect(case).to_contain_text("ben@beta.test")
        await axe_clean(page)
        await shoot(page, "20-quality-open")
        await case.get_by_role("textbox").focus()
        await page.keyboard.type(COMMENTS)
        await page.keyboard.press("Tab")
        await page.keyboard.press("Enter")
        done = _case(page, "Reviewed", chat.chat_id)
        await expect(done).to_contain_text(COMMENTS, timeout=UI_TIMEOUT_MS)
        await expect(done).to_contain_text("sue@coop.test")
        assert await valid_quality_stanzas(page) >= 3  # cases, rotation, review, …

    async with console(browser, lab, "ben@beta.test") as page:
        await section(page, SECTION)
        his = _case(page, "Reviewed", chat.chat_id)
        await expect(his).to_contain_text(COMMENTS, timeout=UI_TIMEOUT_MS)
        await expect(his).not_to_contain_text(CONCERN)
        await expect(page.get_by_role("button", name="Draw now")).to_have_count(0)
        await axe_clean(page)
        await shoot(page, "21-quality-librarian")


async def test_sam_sets_the_review_rotation_in_the_console_and_sue_draws_a_sample(
        lab: dict[str, Any], browser: Browser) -> None:
    async with console(browser, lab, "sam@coop.test") as page:
        await page.evaluate(OBSERVE_QUALITY)
        await section(page, SECTION)
        form = page.get_by_role("form", name="Review rotation of 24/7 Reference")
        await form.get_by_label("Sessions from each librarian").fill("1")
        await form.get_by_label("Every how many days").fill("14")
        await form.get_by_role("button", name="Save rotation").click()
        await expect(form.get_by_label("Every how many days")).to_have_value(
            "14", timeout=UI_TIMEOUT_MS)
        await axe_clean(page)
        assert await valid_quality_stanzas(page) >= 3
    async with operator(lab, "sue@coop.test") as sue:
        saved = await ask(sue, "get", rotation(), "rotation")
        assert (saved.get("per-librarian"), saved.get("every-days")) == ("1", "14")

    async with console(browser, lab, "sue@coop.test") as page:
        await section(page, SECTION)
        form = page.get_by_role("form", name="Review rotation of 24/7 Reference")
        await expect(form.get_by_role("button", name="Save rotation")).to_have_count(
            0, timeout=UI_TIMEOUT_MS)
        await form.get_by_role("button", name="Draw now").click()
        await expect(form).to_contain_text("Last drawn", timeout=UI_TIMEOUT_MS)
        await shoot(page, "22-quality-rotation")
