"""Scripts in the console, in Chromium: a Beta librarian covering an Alpha patron finds one of
Alpha's scripts by typing in the Scripts tab beside the chat and sends it with Enter (another
with a click); the patron sees Alpha's text as her line, and the transcript marks it "script:
<name>". Alpha's admin adds, edits and deletes a script in the Scripts section, by keyboard."""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from playwright.async_api import Browser, Page, expect

from refdesk.lab.sample_scripts import SCRIPTS
from tests.integration.browser import browser
from tests.integration.consolearchive import transcript_row
from tests.integration.consolepage import DESKTOP, UI_TIMEOUT_MS, axe_clean, log_in, section, shoot
from tests.integration.queue import asking
from tests.integration.scripts import FaqTraffic, scripts
from tests.integration.xmpp import find_account, operator, patron

__all__ = ["browser"]  # fixture

ALPHA = SCRIPTS["alpha.test"]
RUN = secrets.token_hex(3)  # a lab kept between runs holds earlier patrons and scripts


@asynccontextmanager
async def console(browser: Browser, lab: dict[str, Any], jid: str
                  ) -> AsyncIterator[tuple[Page, FaqTraffic]]:
    """A librarian logged in to their library's console, their faq traffic watched."""
    site, account = find_account(lab, jid)
    context = await browser.new_context(viewport=DESKTOP)
    page = await context.new_page()
    traffic = FaqTraffic()
    page.on("websocket", traffic.watch)
    try:
        await page.goto(f"{site['gateway']['http']}/console")
        await log_in(page, jid, account["password"])
        yield page, traffic
    finally:
        await context.close()


async def test_a_beta_librarian_sends_alpha_scripts_from_the_console_and_the_patron_sees_them(
        lab: dict[str, Any], browser: Browser) -> None:
    name = f"Sasha {RUN}"
    async with console(browser, lab, "bruno@beta.test") as (page, traffic), \
            patron(lab, "alpha.test") as pat:
        async with asking(pat, "alpha.test", "alpha-main", "Where are course reserves?",
                          name=name) as chat:
            item = page.get_by_role("list", name="Waiting and active chats").get_by_role(
                "listitem").filter(has_text=name)
            await item.get_by_role("button").click(timeout=UI_TIMEOUT_MS)
            await page.get_by_role("button", name="Claim chat").click()
            panel = page.get_by_role("complementary", name="The patron's library")
            await panel.get_by_role("button", name="Scripts").click()
            finder = panel.get_by_label("Find a script (name or words)")
            await expect(panel.get_by_role("button", name="Send homework")).to_be_visible(
                timeout=UI_TIMEOUT_MS)

            await finder.press_sequentially("circulation desk")  # words of the reserves text
            await expect(panel.get_by_role("button", name=re.compile("^Send "))).to_have_count(1)
            await expect(panel).to_contain_text("Enter sends reserves")
            await axe_clean(page)
            await shoot(page, "scripts-01-type-ahead")
            await finder.press("Enter")
            await pat.messages.wait_for(
                lambda m: m["from"] == chat and m["body"] == ALPHA["reserves"],
                timeout=UI_TIMEOUT_MS / 1000)
            await finder.fill("")
            await finder.press("ArrowDown")  # homework, offcampus, reserves
            await expect(panel).to_contain_text("Enter sends offcampus")
            await finder.press("Enter")
            await pat.messages.wait_for(
                lambda m: m["from"] == chat and m["body"] == ALPHA["offcampus"],
                timeout=UI_TIMEOUT_MS / 1000)
            await panel.get_by_role("button", name="Send homework").click()
            await pat.messages.wait_for(
                lambda m: m["from"] == chat and m["body"] == ALPHA["homework"],
                timeout=UI_TIMEOUT_MS / 1000)
            conversation = page.get_by_role("log", name=re.compile("Conversation"))
            await expect(conversation.get_by_text(ALPHA["offcampus"])).to_be_visible()
            await expect(conversation).to_contain_text("script: homework")
            await axe_clean(page)
            await shoot(page, "scripts-02-sent")
            await page.get_by_role("button", name="End chat").click()
            await expect(page.get_by_text("The chat has ended.")).to_be_visible(
                timeout=UI_TIMEOUT_MS)
        assert traffic.validated("send-script") == 3
        assert traffic.validated("scripts") >= 2  # asked and answered

        await section(page, "Transcripts")
        await transcript_row(page, name).get_by_role("button").click(timeout=UI_TIMEOUT_MS)
        lines = page.get_by_role("list", name="Transcript lines")
        await expect(lines.get_by_role("listitem").filter(has_text=ALPHA["reserves"])
                     ).to_contain_text("script: reserves", timeout=UI_TIMEOUT_MS)
        for sent in ("offcampus", "homework"):
            await expect(lines.get_by_role("listitem").filter(has_text=ALPHA[sent])
                         ).to_contain_text(f"script: {sent}")
        await axe_clean(page)
        await shoot(page, "scripts-03-transcript")


async def test_alpha_admin_adds_edits_and_deletes_a_script_by_keyboard(
        lab: dict[str, Any], browser: Browser) -> None:
    script = f"wifi-{RUN}"
    async with console(browser, lab, "ann@alpha.test") as (page, traffic), \
            operator(lab, "ben@beta.test") as ben:
        await page.get_by_role("navigation", name="Console sections").get_by_role(
            "button", name="Scripts", exact=True).click()  # not Transcripts
        region = page.get_by_role("region", name="Scripts")
        await expect(region.get_by_role("list")).to_contain_text("homework",
                                                                timeout=UI_TIMEOUT_MS)
        await region.get_by_label("Name (one word, as typed after !script)").fill(script)
        await region.get_by_label("Text the patron sees").fill("Join the AlphaGuest network.")
        await region.get_by_role("button", name="Save script").press("Enter")
        await expect(region.get_by_role("list")).to_contain_text(script, timeout=UI_TIMEOUT_MS)
        assert (await scripts(ben, "alpha.test"))[script] == "Join the AlphaGuest network."
        await axe_clean(page)
        await shoot(page, "scripts-04-section")

        await region.get_by_role("button", name=f"Edit {script}").focus()
        await page.keyboard.press("Enter")
        text = region.get_by_label("Text the patron sees")
        await expect(text).to_be_focused()
        await text.fill("Join AlphaGuest; the password is at the front desk.")
        await region.get_by_role("button", name="Save script").press("Enter")
        await expect(region.get_by_role("list")).to_contain_text("password is at the front",
                                                                timeout=UI_TIMEOUT_MS)
        assert (await scripts(ben, "alpha.test"))[script].startswith("Join AlphaGuest;")

        await region.get_by_role("button", name=f"Delete {script}").focus()
        await page.keyboard.press("Enter")
        await expect(region.get_by_role("list")).not_to_contain_text(script,
                                                                    timeout=UI_TIMEOUT_MS)
        assert script not in await scripts(ben, "alpha.test")
        await region.get_by_label("Name (one word, as typed after !script)").fill("two words")
        await region.get_by_label("Text the patron sees").fill("Never saved.")
        await region.get_by_role("button", name="Save script").press("Enter")
        await expect(region.get_by_role("alert")).to_contain_text("one word")
        await axe_clean(page)
        assert traffic.validated("script") >= 2
