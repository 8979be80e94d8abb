"""An Alpha admin in the console sees the patrons of Alpha that are blocked, with when, until,
why, by whom and in which chat, and lifts a block a Beta librarian made by mistake, from the
keyboard; the patron may ask again at once. A Regular librarian has no such section."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.async_api import Browser, Page, expect
from slixmpp.exceptions import IqError

from tests.integration.browser import browser
from tests.integration.console import ask, console
from tests.integration.consolepage import (
    UI_TIMEOUT_MS,
    axe_clean,
    section,
    shoot,
    valid_console_stanzas,
)
from tests.integration.consolepage import console as console_page
from tests.integration.queue import carrying, claim_by_text, coop_room, join, request
from tests.integration.test_console_browser_chats import nobody_left_waiting
from tests.integration.xmpp import operator, patron

__all__ = ["browser", "nobody_left_waiting"]  # fixtures

REASON = "Spam links (blocked by mistake: it was the patron before)"
NAVIGATION = "Console sections"


def _nav_button(page: Page) -> Any:
    return page.get_by_role("navigation", name=NAVIGATION).get_by_role(
        "button", name="Blocked patrons")


async def test_alpha_admin_lifts_a_block_in_the_console_and_a_regular_has_no_such_section(
        lab: dict[str, Any], browser: Browser) -> None:
    async with operator(lab, "ben@beta.test") as ben, patron(lab, "alpha.test") as pat:
        await join(ben, coop_room(lab, "coop-247"), "Ben")
        chat = str((await request(pat, "alpha.test", "alpha-main", "Any study rooms free?"))
                   ["refdesk_chat"]["jid"])
        await ben.messages.wait_for(carrying("offer", chat))
        await claim_by_text(ben, chat)
        await ask(ben, chat, "set", console("block", {"minutes": "120"}, reason=REASON))
        await pat.messages.wait_for(carrying("ended"))
        with pytest.raises(IqError):
            await request(pat, "alpha.test", "alpha-main", "Hello?")

        async with console_page(browser, lab, "abe@alpha.test") as regular:
            await expect(regular.get_by_role("navigation", name=NAVIGATION).get_by_role(
                "button", name="Settings")).to_be_visible(timeout=UI_TIMEOUT_MS)
            await expect(_nav_button(regular)).to_have_count(0)

        async with console_page(browser, lab, "ann@alpha.test") as page:
            await section(page, "Blocked patrons")
            in_force = page.get_by_role("list", name="In force").get_by_role(
                "listitem").filter(has_text=chat)
            await expect(in_force).to_contain_text(REASON, timeout=UI_TIMEOUT_MS)
            await expect(in_force).to_contain_text("ben@beta.test")
            await axe_clean(page)
            await shoot(page, "09-blocked-patrons")

            lift = in_force.get_by_role("button", name="Lift block")
            await lift.focus()
            await page.keyboard.press("Enter")

            lifted = page.get_by_role("list", name="Ended lately").get_by_role(
                "listitem").filter(has_text=chat)
            await expect(lifted).to_contain_text("Lifted by ann@alpha.test",
                                                 timeout=UI_TIMEOUT_MS)
            await expect(lifted).to_contain_text(REASON)
            await expect(lifted.get_by_role("button", name="Lift block")).to_have_count(0)
            await axe_clean(page)
            assert await valid_console_stanzas(page) >= 3  # desk, blocks, unblock, …

        again = await request(pat, "alpha.test", "alpha-main", "Hello again?")
        cancel = pat.xmpp.make_iq_set(ito=again["refdesk_chat"]["jid"])
        cancel.enable("refdesk_cancel")
        await cancel.send(timeout=15)
