"""The console's Schedule, in Chromium: Sam, the 24/7 co-op's coordinator, adds a shift for
Beta staffed by Ben and a holiday, from the keyboard, and sees the week's gaps; Ben sees the
shift marked as his, and no coordinator's form; Bea, Beta's Institution Admin, records that
the shift was missed and its make-up; the coordinator deletes the shift."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

from playwright.async_api import Browser, Locator, Page, expect
from slixmpp.xmlstream import ET

from tests.integration.browser import browser
from tests.integration.consolepage import NARROW, UI_TIMEOUT_MS, axe_clean, section, shoot
from tests.integration.consolestats import SCHEDULE, asked, console
from tests.integration.xmpp import operator

__all__ = ["browser"]  # fixtures

RUN = secrets.token_hex(3)
# A quarter hour no other story uses, on today's weekday (the week shown first is this one).
TODAY = date.today()
WEEKDAY = TODAY.isoweekday()
DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
START, END = "05:15", "05:45"
SPAN = f"{START}\u2013{END}"  # as the console writes a span of time
HOLIDAY = f"Founders' Day {RUN}"
# Tomorrow, or today on a Sunday: in the week shown.
HOLIDAY_DATE = (TODAY + timedelta(days=1 if WEEKDAY < 7 else 0)).isoformat()


def shift_item(page: Page) -> Locator:
    """The Beta shift of this story, in the list of the week's shifts."""
    return page.get_by_role("list", name="Shifts by day").locator(".shift").filter(
        has_text=SPAN).filter(has_text="Beta Public Library")


async def _add_shift(page: Page) -> None:
    form = page.get_by_role("form", name="Shift")
    await form.get_by_label("Member library").select_option(label="Beta Public Library")
    await form.get_by_label("Day").select_option(label=DAY_NAMES[WEEKDAY - 1])
    await form.get_by_label("Starts").fill(START)
    await form.get_by_label("Ends").fill(END)
    await form.get_by_label("Staff (addresses)").focus()
    await page.keyboard.type("ben@beta.test")
    await page.keyboard.press("Enter")  # submits the form


async def test_the_coordinator_schedules_ben_who_sees_his_shift_and_bea_records_a_miss(
        lab: dict[str, Any], browser: Browser) -> None:
    async with console(browser, lab, "sam@coop.test") as (page, traffic):
        await section(page, "Schedule")
        await expect(page.get_by_role("heading", name="24/7 Reference: week of")).to_be_visible(
            timeout=UI_TIMEOUT_MS)
        await _add_shift(page)
        await expect(shift_item(page)).to_have_count(1, timeout=UI_TIMEOUT_MS)
        await expect(shift_item(page)).to_contain_text("ben@beta.test")
        await expect(page.locator(".gap").first).to_be_visible()  # the week is not all covered
        holiday = page.get_by_role("form", name="Holiday")
        await holiday.get_by_label("Holiday date").fill(HOLIDAY_DATE)
        await holiday.get_by_label("Holiday name").fill(HOLIDAY)
        await holiday.get_by_role("button", name="Add holiday").click()
        await expect(page.get_by_text(f"Holiday: {HOLIDAY}")).to_be_visible(
            timeout=UI_TIMEOUT_MS)
        settings = page.get_by_role("form", name="Schedule settings")
        zone = await settings.get_by_label("Time zone of the shifts").input_value()
        await settings.get_by_role("button", name="Save settings").click()  # as they were
        await expect(page.locator(".visually-hidden[aria-live]")).to_contain_text(
            "Schedule settings saved.", timeout=UI_TIMEOUT_MS)
        await expect(settings.get_by_label("Time zone of the shifts")).to_have_value(zone)
        await expect(page.get_by_role("alert")).to_have_count(0)
        await axe_clean(page)
        await shoot(page, "40-schedule-coordinator")
        assert traffic.validated(SCHEDULE) >= 8  # the week, a shift, a holiday, the settings

    async with console(browser, lab, "ben@beta.test") as (page, traffic):
        await page.set_viewport_size(NARROW)
        await section(page, "Schedule")
        his = shift_item(page)
        await expect(his).to_contain_text("Your shift", timeout=UI_TIMEOUT_MS)
        await expect(his).to_have_class("shift mine")
        await expect(page.get_by_role("form", name="Shift")).to_have_count(0)
        await expect(page.get_by_role("form", name="Missed shift")).to_have_count(0)
        await expect(page.locator(".gap")).to_have_count(0)  # gaps are the coordinator's
        await axe_clean(page)
        await shoot(page, "41-schedule-mine")
        next_week = (TODAY + timedelta(days=8 - WEEKDAY)).isoformat()
        await page.get_by_role("button", name="Next week").click()
        await expect(page.get_by_role("heading", name=f"week of {next_week}")).to_be_visible(
            timeout=UI_TIMEOUT_MS)
        await expect(shift_item(page)).to_contain_text("Your shift")  # every week
        assert traffic.validated(SCHEDULE) >= 2

    async with console(browser, lab, "bea@beta.test") as (page, _):
        await section(page, "Schedule")
        missed = page.get_by_role("form", name="Missed shift")
        await expect(shift_item(page)).to_have_count(1, timeout=UI_TIMEOUT_MS)
        await expect(shift_item(page)).not_to_contain_text("Your shift")
        await missed.get_by_label("Shift missed").select_option(
            label=f"{DAY_NAMES[WEEKDAY - 1]} {SPAN}, Beta Public Library")
        await missed.get_by_label("Date missed").fill(TODAY.isoformat())
        await missed.get_by_label("Reason").fill(f"Snow {RUN}")
        await missed.get_by_role("button", name="Record missed shift").click()
        await expect(shift_item(page)).to_contain_text(f"Missed {TODAY.isoformat()} (Snow {RUN})",
                                                       timeout=UI_TIMEOUT_MS)
        make_up = page.get_by_role("form", name="Make-up")
        await make_up.get_by_label("Missed shift").select_option(
            label=f"{TODAY.isoformat()} (Snow {RUN})")
        await make_up.get_by_label("Made up on").fill(TODAY.isoformat())
        await make_up.get_by_label("From").fill("06:00")
        await make_up.get_by_label("To").fill("06:30")
        await make_up.get_by_role("button", name="Record make-up").click()
        await expect(shift_item(page)).to_contain_text("made up", timeout=UI_TIMEOUT_MS)
        await axe_clean(page)
        await shoot(page, "42-schedule-missed")

    async with console(browser, lab, "sam@coop.test") as (page, _):
        await section(page, "Schedule")
        form = page.get_by_role("form", name="Shift")
        await expect(shift_item(page)).to_have_count(1, timeout=UI_TIMEOUT_MS)
        await form.get_by_label("Shift to edit").select_option(
            label=f"{DAY_NAMES[WEEKDAY - 1]} {SPAN}, Beta Public Library")
        await form.get_by_role("button", name="Delete shift").click()
        await expect(shift_item(page)).to_have_count(0, timeout=UI_TIMEOUT_MS)
        await page.get_by_role("button", name=f"Delete holiday {HOLIDAY_DATE}").click()
        await expect(page.get_by_text(f"Holiday: {HOLIDAY}")).to_have_count(
            0, timeout=UI_TIMEOUT_MS)

    async with operator(lab, "sam@coop.test") as sam:
        week = await asked(sam, "coop.coop.test", "get", ET.Element(
            f"{{{SCHEDULE}}}schedule", {"coop": "coop-247", "week": (
                TODAY - timedelta(days=WEEKDAY - 1)).isoformat()}))
        assert not [s for s in week.iter(f"{{{SCHEDULE}}}shift")
                    if (s.get("start"), s.get("institution")) == (START, "beta.test")]
