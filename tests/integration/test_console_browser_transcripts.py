"""The console's Transcripts, in Chromium: a Beta librarian finds the Alpha chat she answered
among her co-ops' transcripts and reads it, with nothing to change; Alpha's admin edits a line,
leaves feedback Beta then reads, and deletes a chat, gone for Beta at once; a search narrows
the list, and what is listed exports as CSV and JSON."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page, expect
from slixmpp.exceptions import IqError

from tests.integration.browser import browser
from tests.integration.consolearchive import (
    ARCHIVE,
    QUALITY,
    answered_chat,
    console,
    seeded_chats,
    transcript,
    transcript_row,
)
from tests.integration.consolepage import UI_TIMEOUT_MS, axe_clean, section, shoot
from tests.integration.quality import ask, cases, listed
from tests.integration.queue import coop_room, join
from tests.integration.tickets import mail_to
from tests.integration.xmpp import operator, patron

__all__ = ["browser"]  # fixtures

PANE = "Transcript:"
PAGE = 20  # transcripts asked of each archive at a time (web/src/console/gather.js)
# In this run's patrons' names: a lab kept between runs (REFDESK_TEST_LAB) holds earlier ones.
RUN = secrets.token_hex(3)
PETRA, QUENTIN, ROSA = f"Petra Atlas {RUN}", f"Quentin Hours {RUN}", f"Rosa Card {RUN}"
OLGA, NED = f"Olga Okapi {RUN}", f"Ned Narwhal {RUN}"
COPY = f"records-{RUN}@alpha.example.org"


def pane(page: Page) -> Any:
    return page.get_by_role("region", name=PANE)


async def test_a_beta_librarian_finds_the_alpha_chat_she_answered_and_only_reads_it(
        lab: dict[str, Any], browser: Browser) -> None:
    async with operator(lab, "bea@beta.test") as bea, patron(lab, "alpha.test") as pat:
        await join(bea, coop_room(lab, "coop-247"), "Bea")
        await answered_chat(bea, pat, "alpha.test", "alpha-main", "Is the 1851 atlas digitised?",
                            ("Is the 1851 atlas digitised?", "Yes: see the map collection."),
                            name=PETRA, rating=(4, "Quick and kind"),
                            note="Check the scan is public before linking it.")

    async with console(browser, lab, "bea@beta.test") as (page, traffic):
        await section(page, "Transcripts")
        row = transcript_row(page, PETRA)
        await expect(row).to_contain_text("Alpha University Library", timeout=UI_TIMEOUT_MS)
        await expect(row).to_contain_text("Bea")
        await expect(row).to_contain_text("Rated 4 of 5")
        await axe_clean(page)
        await shoot(page, "10-transcripts")

        await row.get_by_role("button").click()
        shown = pane(page)
        await expect(shown.get_by_role("list", name="Transcript lines")).to_contain_text(
            "Yes: see the map collection.", timeout=UI_TIMEOUT_MS)
        await expect(shown).to_contain_text("Quick and kind")
        note = shown.get_by_role("listitem").filter(has_text="Check the scan is public")
        await expect(note).to_contain_text("Internal note")
        await expect(shown).to_contain_text("Read only")
        for action in ("Edit", "Delete transcript…", "Send email", "Save feedback"):
            await expect(shown.get_by_role("button", name=action)).to_have_count(0)
        await axe_clean(page)
        await shoot(page, "11-transcript-read-only")
        assert traffic.validated() >= 4  # transcripts asked and answered, one transcript

    # The 24/7 co-op's Quality team reads every chat of the co-op, from its host's console; the
    # host has no patrons, so no archive to ask and no tickets.
    async with console(browser, lab, "sue@coop.test") as (page, _):
        await section(page, "Transcripts")
        await expect(transcript_row(page, PETRA)).to_have_count(1, timeout=UI_TIMEOUT_MS)
        await expect(page.get_by_text("Not reachable now")).to_have_count(0)
        await expect(page.get_by_role("navigation", name="Console sections").get_by_role(
            "button", name="Tickets")).to_have_count(0)


async def test_alpha_admin_edits_a_line_leaves_feedback_and_deletes_a_chat_gone_for_beta(
        lab: dict[str, Any], browser: Browser) -> None:
    async with operator(lab, "bea@beta.test") as bea, patron(lab, "alpha.test") as pat:
        await join(bea, coop_room(lab, "coop-247"), "Bea")
        kept = await answered_chat(bea, pat, "alpha.test", "alpha-main", "Opening hours?",
                                   ("When do you open on Sunday?", "At 10, till 6."),
                                   name=QUENTIN)
        gone = await answered_chat(bea, pat, "alpha.test", "alpha-main", "Lost my card",
                                   ("I lost my library card", "Ask at the front desk."),
                                   name=ROSA)

        async with console(browser, lab, "ann@alpha.test") as (page, traffic):
            await section(page, "Transcripts")
            await transcript_row(page, QUENTIN).get_by_role("button").click(
                timeout=UI_TIMEOUT_MS)
            shown = pane(page)
            lines = shown.get_by_role("list", name="Transcript lines")
            await expect(lines).to_contain_text("At 10, till 6.", timeout=UI_TIMEOUT_MS)
            await lines.get_by_role("listitem").filter(has_text="At 10, till 6.").get_by_role(
                "button", name="Edit line").click()
            await shown.get_by_label("New text of line").fill("At 10, till 6 (5 in August).")
            await shown.get_by_role("button", name="Save line").click()
            edited = lines.get_by_role("listitem").filter(has_text="5 in August")
            await expect(edited).to_contain_text("edited", timeout=UI_TIMEOUT_MS)

            await shown.get_by_label("Feedback for the librarian").fill(
                "Give the August hours unasked.")
            await shown.get_by_label("Rating").select_option("4")
            await shown.get_by_role("button", name="Save feedback").click()
            await expect(shown.get_by_role("list", name="Feedback")).to_contain_text(
                "Give the August hours unasked.", timeout=UI_TIMEOUT_MS)
            await expect(transcript_row(page, QUENTIN)).to_contain_text("1 feedback")

            await shown.get_by_label("Email address").fill(COPY)
            await shown.get_by_role("button", name="Send email").click()
            await expect(shown).to_contain_text(f"Transcript emailed to {COPY}.",
                                                timeout=UI_TIMEOUT_MS)

            await shown.get_by_label("Co-op").select_option(label="24/7 Reference")
            await shown.get_by_label("Concern").fill("The August hours were left out.")
            await shown.get_by_role("button", name="Forward to Quality").click()
            await expect(shown).to_contain_text("Forwarded to the Quality team of 24/7 Reference",
                                                timeout=UI_TIMEOUT_MS)
            await axe_clean(page)
            await shoot(page, "12-transcript-home-admin")

            await transcript_row(page, ROSA).get_by_role("button").click()
            await pane(page).get_by_role("button", name="Delete transcript…").click()
            await axe_clean(page)
            await pane(page).get_by_role("button", name="Delete for good").click()
            await expect(transcript_row(page, ROSA)).to_have_count(
                0, timeout=UI_TIMEOUT_MS)
            assert traffic.validated() >= 8

        read = await transcript(bea, "alpha.test", kept.id)
        assert "5 in August" in "".join(line.text for line in read.iter(f"{{{ARCHIVE}}}line"))
        feedback = read.find(f"{{{ARCHIVE}}}feedback")
        assert (feedback.text, feedback.get("rating"), feedback.get("author")) == (
            "Give the August hours unasked.", "4", "ann@alpha.test")
        with pytest.raises(IqError) as refused:
            await transcript(bea, "alpha.test", gone.id)
        assert refused.value.condition == "item-not-found"

    mailed = await mail_to(lab, COPY)
    assert "At 10, till 6 (5 in August)." in str(mailed.get_content())

    async with operator(lab, "sue@coop.test") as sue:  # on coop-247's Quality team
        case = listed(await ask(sue, "get", cases("coop-247"), "cases"))[kept.id]
        assert (case.get("forwarded-by"), case.get("librarian")) == (
            "ann@alpha.test", "bea@beta.test")
        assert case.findtext(f"{{{QUALITY}}}concern") == "The August hours were left out."


async def test_a_search_narrows_the_transcripts_and_the_list_exports_as_csv_and_json(
        lab: dict[str, Any], browser: Browser, tmp_path: Path) -> None:
    async with operator(lab, "ben@beta.test") as ben, patron(lab, "beta.test") as pat:
        await join(ben, coop_room(lab, "coop-local"), "Ben")
        for name, question in ((OLGA, f"Books about okapis ({RUN})?"),
                               (NED, f"Books about narwhals ({RUN})?")):
            await answered_chat(ben, pat, "beta.test", "beta-main", question,
                                (question, "Try shelf 599."), name=name)

    async with console(browser, lab, "ben@beta.test") as (page, traffic):
        await section(page, "Transcripts")
        await expect(transcript_row(page, OLGA)).to_have_count(1, timeout=UI_TIMEOUT_MS)
        await expect(transcript_row(page, NED)).to_have_count(1)

        search = page.get_by_role("search", name="Search transcripts")
        await search.get_by_label("Text").fill(f"okapis ({RUN})")
        await search.get_by_label("Institution").select_option(label="Beta Public Library")
        await search.get_by_role("button", name="Search").click()
        await expect(transcript_row(page, NED)).to_have_count(0,
                                                                        timeout=UI_TIMEOUT_MS)
        await expect(transcript_row(page, OLGA)).to_have_count(1)
        await axe_clean(page)
        await shoot(page, "13-transcripts-search")

        async with page.expect_download() as csv_download:
            await page.get_by_role("button", name="Export CSV").click()
        csv = tmp_path / "transcripts.csv"
        await (await csv_download.value).save_as(csv)
        assert OLGA in csv.read_text() and NED not in csv.read_text()
        async with page.expect_download() as json_download:
            await page.get_by_role("button", name="Export JSON").click()
        exported = tmp_path / "transcripts.json"
        await (await json_download.value).save_as(exported)
        assert {row["patron"] for row in json.loads(exported.read_text())} == {OLGA}

        await search.get_by_role("button", name="Clear").click()
        await expect(transcript_row(page, NED)).to_have_count(1,
                                                                        timeout=UI_TIMEOUT_MS)
        assert traffic.validated() >= 6


async def test_more_brings_the_next_page_of_transcripts_in_order_newest_first(
        lab: dict[str, Any], browser: Browser) -> None:
    questions = [f"Seeded {RUN} question {n:02}" for n in range(1, PAGE + 4)]
    await seeded_chats(lab, "alpha.test", "alpha-main", "abe@alpha.test", questions)

    async with console(browser, lab, "ann@alpha.test") as (page, traffic):
        await section(page, "Transcripts")
        search = page.get_by_role("search", name="Search transcripts")
        await search.get_by_label("Text").fill(f"Seeded {RUN}")
        await search.get_by_role("button", name="Search").click()
        rows = page.get_by_role("list", name="Results").get_by_role("listitem")
        await expect(rows).to_have_count(PAGE, timeout=UI_TIMEOUT_MS)
        await expect(page.get_by_text(f"{PAGE} shown, more to see.")).to_be_visible()
        await page.get_by_role("button", name="More").click()
        await expect(rows).to_have_count(len(questions), timeout=UI_TIMEOUT_MS)
        await expect(page.get_by_role("button", name="More")).to_have_count(0)
        shown = [text.split("“")[-1].rstrip("”") for text in await rows.all_inner_texts()]
        assert shown == list(reversed(questions))
        assert traffic.validated() >= 6
