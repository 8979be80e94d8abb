"""The console's Reports, in Chromium: Ben answers real chats, then finds them in his report
(his own chats only) and downloads the CSV whose rows are the table's; at the 24/7 co-op, Bea,
Beta's Institution Admin, sees her librarians' chats where Ben sees his own, and Sam, its
coordinator, the co-op's; a year of every chat of Beta's patrons, as Bea sees them, draws
within a second of the answer; the Co-op dashboard, Monitoring activity and Contribution show
the co-op's figures to whom they belong."""

from __future__ import annotations

import csv
import io
import secrets
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, Locator, Page, expect

from tests.integration.browser import browser
from tests.integration.consolearchive import answered_chat
from tests.integration.consolepage import UI_TIMEOUT_MS, axe_clean, section, shoot
from tests.integration.consolestats import (
    STATS,
    asked,
    cells,
    console,
    stats,
    table_rows,
)
from tests.integration.queue import coop_room, join, room
from tests.integration.xmpp import Session, eventually, operator, patron

__all__ = ["browser"]  # fixtures

RUN = secrets.token_hex(3)
BY_LIBRARIAN = "By librarian"
REGISTRY = "coop.coop.test"


async def _show(page: Page, kind: str, where: str, since: date, until: date) -> None:
    """Reports asked from the filters' form, the answer awaited."""
    form = page.get_by_role("form", name="Report filters")
    await form.get_by_label("Report").select_option(label=kind)
    await form.get_by_label("Chats of").select_option(label=where)
    await form.get_by_label("From").fill(since.isoformat())
    await form.get_by_label("To").fill(until.isoformat())
    await form.get_by_role("button", name="Show report").click()
    await expect(page.get_by_role("heading", name=kind, exact=True)).to_be_visible(
        timeout=UI_TIMEOUT_MS)
    await expect(form.get_by_role("button", name="Show report")).to_be_enabled(
        timeout=UI_TIMEOUT_MS)


async def test_ben_finds_the_chats_he_answered_in_his_report_and_the_csv_rows_match(
        lab: dict[str, Any], browser: Browser, tmp_path: Path) -> None:
    async with operator(lab, "ben@beta.test") as ben:
        await join(ben, room(lab, "beta.test", "Adult Services"), "Ben")
        for n in range(2):  # a patron each: one's inbox would mix the two chats' ends
            async with patron(lab, "beta.test") as pat:
                question = f"Local history of the mill ({RUN} {n})?"
                await answered_chat(ben, pat, "beta.test", "beta-main", question,
                                    (question, "The archive has the deeds."),
                                    name=f"Mira Mill {RUN}", rating=(5, "Thanks"))
        today = date.today()
        mine = await asked(ben, "stats.beta.test", "get", stats(
            "report", kind="staff", **{"from": today.isoformat()}, to=today.isoformat()))
    assert mine.get("scope") == "mine"
    his = {row.get("key"): row for row in mine.iter(f"{{{STATS}}}row")}
    assert int(his["ben@beta.test"].get("chats")) >= 2

    async with console(browser, lab, "ben@beta.test") as (page, traffic):
        await section(page, "Reports")
        await _show(page, "Clients/Staff", "My library (Beta Public Library)", today, today)
        await expect(page.get_by_text("the chats you answered")).to_be_visible()
        rows = table_rows(page, BY_LIBRARIAN)
        await expect(rows).to_have_count(1)  # his own, nobody else's
        shown = await cells(rows.first)
        assert shown[:3] == ["Ben (ben@beta.test)", his["ben@beta.test"].get("chats"),
                             his["ben@beta.test"].get("answered")]
        await axe_clean(page)
        await shoot(page, "30-reports-staff")

        async with page.expect_download() as download:
            await page.get_by_role("button", name="Download CSV").click()
        saved = tmp_path / "report.csv"
        await (await download.value).save_as(saved)
        exported = list(csv.DictReader(io.StringIO(saved.read_text())))
        users = [row for row in exported if row["table"] == "user"]
        assert [(r["key"], r["chats"], r["answered"], r["ratings"]) for r in users] == [
            ("ben@beta.test", his["ben@beta.test"].get("chats"),
             his["ben@beta.test"].get("answered"), his["ben@beta.test"].get("ratings"))]
        assert {row["table"] for row in exported} == {"user", "institution"}

        await _show(page, "Browser/OS & Referrer", "My library (Beta Public Library)", today,
                    today)
        for caption in ("By page asked from", "By browser", "By operating system", "By device"):
            await expect(table_rows(page, caption).first).to_be_visible()
        await shoot(page, "30-reports-sources")
        assert traffic.validated(STATS) >= 6  # three reports asked and answered


def _figure(page: Page, caption: str) -> Locator:
    """A chart and its table (or the words that there is nothing to show) by caption."""
    return page.locator("figure").filter(has=page.locator("figcaption", has_text=caption))


async def _report_chats(session: Session, coop: str, day: date) -> dict[str, int]:
    """Chats per librarian in `session`'s own report of the co-op's chats of `day`."""
    answer = await asked(session, REGISTRY, "get", stats(
        "report", kind="staff", coop=coop, **{"from": day.isoformat()}, to=day.isoformat()))
    return {row.get("key"): int(row.get("chats")) for row in answer.iter(f"{{{STATS}}}row")
            if row.get("key", "").count("@") == 1}


async def test_at_the_coop_beta_institution_admin_sees_her_librarians_chats_where_ben_sees_his(
        lab: dict[str, Any], browser: Browser) -> None:
    today = date.today()
    async with operator(lab, "ben@beta.test") as ben:
        await join(ben, coop_room(lab, "coop-247"), "Ben")
        async with patron(lab, "alpha.test") as pat:
            question = f"Census records of 1911 ({RUN})?"
            await answered_chat(ben, pat, "alpha.test", "alpha-main", question,
                                (question, "Try the national archive."), name=f"Cy {RUN}")

        async def counted() -> bool:  # the summary reaches the registry when the chat ends
            return (await _report_chats(ben, "coop-247", today)).get("ben@beta.test", 0) >= 1
        await eventually(counted)

    async with console(browser, lab, "ben@beta.test") as (page, traffic):
        await section(page, "Reports")
        await _show(page, "Clients/Staff", "Co-op: 24/7 Reference", today, today)
        await expect(page.get_by_text("the chats you answered")).to_be_visible()
        await expect(table_rows(page, BY_LIBRARIAN)).to_have_count(1)
        await expect(table_rows(page, BY_LIBRARIAN)).to_contain_text("ben@beta.test")
        his = int((await page.locator(".report").get_attribute("data-chats")) or 0)
        assert traffic.validated(STATS) >= 2

    async with console(browser, lab, "bea@beta.test") as (page, traffic):
        await section(page, "Reports")
        await _show(page, "Clients/Staff", "Co-op: 24/7 Reference", today, today)
        await expect(page.get_by_text("your institution's chats")).to_be_visible()
        hers = int((await page.locator(".report").get_attribute("data-chats")) or 0)
        assert hers >= his >= 1
        await expect(table_rows(page, BY_LIBRARIAN).filter(has_text="ben@beta.test")
                     ).to_have_count(1)
        await axe_clean(page)
        await shoot(page, "32-reports-coop-institution")
        assert traffic.validated(STATS) >= 2

    # The co-op's coordinator, at its host with no patrons of its own: the co-op's chats only.
    async with console(browser, lab, "sam@coop.test") as (page, _):
        await section(page, "Reports")
        await expect(page.get_by_label("Chats of").locator("option")).to_have_text(
            ["Co-op: 24/7 Reference"])
        await _show(page, "Clients/Staff", "Co-op: 24/7 Reference", today, today)
        await expect(page.get_by_text("all of the co-op's chats")).to_be_visible()
        coop = int((await page.locator(".report").get_attribute("data-chats")) or 0)
        assert coop >= hers


async def test_coop_dashboard_monitoring_activity_and_contribution_for_beta_admin(
        lab: dict[str, Any], browser: Browser) -> None:
    async with console(browser, lab, "bea@beta.test") as (page, traffic):
        await section(page, "Co-op dashboard")
        summary = page.get_by_role("region", name="24/7 Reference")
        await expect(summary).to_contain_text("Institution Admin", timeout=UI_TIMEOUT_MS)
        await expect(summary).to_contain_text("Members")
        await axe_clean(page)
        await shoot(page, "33-coop-dashboard")

        await section(page, "Monitoring activity")
        await expect(_figure(page, "Your monitoring of 24/7 Reference")).to_have_count(
            1, timeout=UI_TIMEOUT_MS)
        theirs = table_rows(page, "Hours by institution in 24/7 Reference")
        await expect(theirs).to_have_count(1, timeout=UI_TIMEOUT_MS)  # her library's only
        await expect(theirs).to_contain_text("Beta Public Library")
        await axe_clean(page)
        await shoot(page, "34-monitoring-activity")

        await section(page, "Contribution")
        shown = table_rows(page, "Contribution Percentage in 24/7 Reference")
        await expect(shown.filter(has_text="Beta Public Library")).to_have_count(
            1, timeout=UI_TIMEOUT_MS)
        await expect(shown.filter(has_text="24/7 Reference as a whole")).to_have_count(1)
        await expect(shown.filter(has_text="Alpha University Library")).to_have_count(0)
        await axe_clean(page)
        await shoot(page, "35-contribution")
        assert traffic.validated(STATS) >= 10

    async with console(browser, lab, "ben@beta.test") as (page, _):
        await section(page, "Monitoring activity")
        await expect(_figure(page, "Your monitoring of 24/7 Reference")).to_have_count(
            1, timeout=UI_TIMEOUT_MS)
        await expect(_figure(page, "Hours by institution in 24/7 Reference")).to_have_count(0)


async def test_a_year_of_distributions_draws_within_a_second_of_the_answer(
        lab: dict[str, Any], browser: Browser) -> None:
    today = date.today()
    async with console(browser, lab, "bea@beta.test") as (page, traffic):
        await section(page, "Reports")
        await _show(page, "Distributions", "My library (Beta Public Library)",
                    today - timedelta(days=365), today)
        await expect(page.get_by_text("all of your library's patrons' chats")).to_be_visible()
        await expect(table_rows(page, "By day and hour")).to_have_count(7 * 24)
        await expect(table_rows(page, "By hour of day")).to_have_count(24)
        await expect(table_rows(page, "By day of week")).to_have_count(7)
        await expect(page.locator(".report canvas")).to_have_count(4)
        drawn_ms = float((await page.locator(".report").get_attribute("data-render-ms")) or 1e9)
        assert drawn_ms < 1000, drawn_ms
        await axe_clean(page)
        await shoot(page, "31-reports-distributions")
        assert traffic.validated(STATS) >= 2
