"""Policy pages in the console: Ben, covering an Alpha patron, reads Alpha's page beside the
chat and puts its database login in his reply with one click; Bea edits Beta's out-of-date
page and the warning goes; Sam, Co-Op Admin of coop-247, sees which members are out of date
and sets the age limit. Every urn:refdesk:faq:0 stanza the page sends or receives is valid."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

import xmlschema
from lxml import etree
from playwright.async_api import Browser, Page, expect
from sqlalchemy import update

from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.models import PolicyPage
from tests.integration.browser import browser
from tests.integration.consolepage import (
    DESKTOP,
    OBSERVE_ALERTS,
    OBSERVE_SENT,
    UI_TIMEOUT_MS,
    axe_clean,
    log_in,
    section,
    shoot,
)
from tests.integration.policy import (
    REGISTRY,
    ask,
    element,
    fields,
    members,
    page,
    policy,
    stale,
)
from tests.integration.queue import asking, database_url
from tests.integration.test_console_browser_chats import claim_in_console
from tests.integration.xmpp import eventually, find_account, operator, patron

__all__ = ["browser"]  # fixture

FAQ_NS: Final = "urn:refdesk:faq:0"
SCHEMA: Final = xmlschema.XMLSchema(str(Path(__file__).parents[2] / "schemas" / "faq.xsd"))
# Every WebSocket frame either way that carries urn:refdesk:faq:0, kept for validation.
OBSERVE_FAQ: Final = """(() => {
window.__faqFrames = [];
const keep = (data) => {
    if (typeof data === 'string' && data.includes('urn:refdesk:faq:0')) {
        window.__faqFrames.push(data);
    }
};
const sendBefore = WebSocket.prototype.send;
WebSocket.prototype.send = function (data) { keep(data); return sendBefore.call(this, data); };
const Real = window.WebSocket;
window.WebSocket = class extends Real {
    constructor(...args) {
        super(...args);
        this.addEventListener('message', (event) => keep(event.data));
    }
};
})()"""
SECTION = "Policy page"


@asynccontextmanager
async def policy_console(browser: Browser, lab: dict[str, Any], jid: str
                         ) -> AsyncIterator[Page]:
    """consolepage.console, with the faq stanzas observed from the first frame on."""
    site, account = find_account(lab, jid)
    gateway = site["gateway"]["http"]
    context = await browser.new_context(viewport=DESKTOP)
    await context.add_init_script(OBSERVE_ALERTS + OBSERVE_SENT + OBSERVE_FAQ)
    page_ = await context.new_page()
    try:
        await page_.goto(f"{gateway}/console")
        await log_in(page_, jid, account["password"])
        yield page_
    finally:
        await context.close()


async def valid_faq_stanzas(page_: Page) -> int:
    """Validates each urn:refdesk:faq:0 element sent or received since the page loaded."""
    frames: list[str] = await page_.evaluate("window.__faqFrames || []")
    count = 0
    for frame in frames:
        for payload in etree.fromstring(frame.encode()):
            if etree.QName(payload).namespace == FAQ_NS:
                SCHEMA.validate(etree.tostring(payload))
                count += 1
    return count


async def test_ben_reads_alpha_policy_page_beside_an_alpha_patron_chat_and_inserts_a_field(
        lab: dict[str, Any], browser: Browser) -> None:
    async with policy_console(browser, lab, "ben@beta.test") as beta, \
            patron(lab, "alpha.test") as pat, \
            asking(pat, "alpha.test", "alpha-main", "Can I get into JSTOR from home?",
                   name="Pol"):
        await claim_in_console(beta, "Pol")
        panel = beta.get_by_role("complementary", name="The patron's library")
        await panel.get_by_role("button", name="Policy page").click()
        await expect(panel).to_contain_text("Database access for co-op librarians",
                                            timeout=UI_TIMEOUT_MS)
        await expect(panel).to_contain_text("Last updated")
        await expect(panel.get_by_role("status")).to_have_count(0)  # Alpha's page is current
        await panel.get_by_role("button", name="Insert Database access for co-op librarians"
                                ).click()
        await expect(beta.get_by_label("Message to the patron")).to_have_value(
            "Co-op librarians: sign in through proxy.alpha.test as coop247 / "
            "tulip-harbor-42 (changed each term).")
        await axe_clean(beta)
        await shoot(beta, "40-policy-tab")
        assert await valid_faq_stanzas(beta) >= 2  # the request and the page
        await beta.get_by_label("Message to the patron").fill("")
        await beta.get_by_role("button", name="End chat").click()


async def test_bea_updates_beta_out_of_date_policy_page_and_the_warning_goes(
        lab: dict[str, Any], browser: Browser) -> None:
    async with operator(lab, "bea@beta.test") as bea:
        kept = fields(await page(bea, "beta.test"))
    async with policy_console(browser, lab, "bea@beta.test") as beta:
        await section(beta, SECTION)
        editor = beta.locator("form.policy-editor")
        await expect(editor.get_by_role("status").filter(has_text="Out of date")).to_have_count(
            2, timeout=UI_TIMEOUT_MS)
        hours = editor.get_by_label("Hours", exact=True)
        await expect(hours).to_have_value(kept["hours"])
        await axe_clean(beta)
        await shoot(beta, "41-policy-editor-stale")
        await editor.get_by_label("Renewals").fill("Three times online, unless on hold.")
        await editor.get_by_role("button", name="Save policy page").click()
        await expect(editor).to_contain_text("Policy page saved.", timeout=UI_TIMEOUT_MS)
        await expect(editor.get_by_role("status").filter(has_text="Out of date")).to_have_count(0)
        await expect(editor).to_contain_text("by bea@beta.test")
        assert await valid_faq_stanzas(beta) >= 4
    async with operator(lab, "bea@beta.test") as bea:
        assert fields(await page(bea, "beta.test"))["renewals"].startswith("Three times")
        await _back_to_old_page(lab, kept)


async def _back_to_old_page(lab: dict[str, Any], kept: dict[str, str]) -> None:
    """Beta's page as the lab made it, long out of date again, for the stories that follow."""
    async with operator(lab, "bea@beta.test") as bea:
        await ask(bea, "faq.beta.test", policy(kept), "set")
    engine = create_engine(database_url(lab, "beta.test"))
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            await session.execute(update(PolicyPage).values(
                updated_at=datetime.now(UTC) - timedelta(days=400)))
    finally:
        await engine.dispose()
    async with operator(lab, "sam@coop.test") as sam:
        # Any change at the registry republishes the co-op, and Beta's faq component then
        # reports the date it has not told yet.
        async with operator(lab, "bea@beta.test") as bea:
            for days in (181, 180):
                await ask(sam, REGISTRY, element("policy-age", coop="coop-247",
                                                 max_age_days=str(days)), "set")

                async def beta_limit() -> int:
                    return stale(await page(bea, "beta.test")).get("coop-247", 0)
                await eventually(beta_limit, expected=days)

        async def beta_out_of_date() -> bool:
            return (await members(sam, "coop-247"))["beta.test"][1]
        await eventually(beta_out_of_date)


async def test_sam_sees_members_out_of_date_and_sets_the_age_limit_in_the_console(
        lab: dict[str, Any], browser: Browser) -> None:
    async with policy_console(browser, lab, "sam@coop.test") as coop:
        await section(coop, SECTION)
        members = coop.get_by_role("region", name="24/7 Reference: members' policy pages")
        await expect(members.get_by_role("row", name="Alpha University Library")
                     ).to_contain_text("Current", timeout=UI_TIMEOUT_MS)
        await expect(members.get_by_role("row", name="Gamma County Library")
                     ).to_contain_text("No page reported")
        # The co-op's host has no patrons: no FAQs or scripts of its own to keep.
        sections = coop.get_by_role("navigation", name="Console sections")
        for kept_by_libraries in ("FAQs", "Scripts"):
            await expect(sections.get_by_role("button", name=kept_by_libraries, exact=True)
                         ).to_have_count(0)
        await axe_clean(coop)
        await shoot(coop, "42-policy-coop-admin")
        limit = members.get_by_label("Out of date after (days)")
        await expect(limit).to_have_value("180")
        await limit.fill("2000")
        await members.get_by_role("button", name="Set age limit").click()
        async with operator(lab, "sam@coop.test") as sam:
            async def limit_at_registry() -> str:
                reply = await ask(sam, REGISTRY, element("policies", coop="coop-247"))
                found = reply.xml.find(f"{{{FAQ_NS}}}policies")
                return "" if found is None else str(found.get("max-age-days"))
            try:
                await eventually(limit_at_registry, expected="2000")
                await expect(members.get_by_role("row", name="Beta Public Library")
                             ).to_contain_text("Current", timeout=UI_TIMEOUT_MS)
                assert await valid_faq_stanzas(coop) >= 4  # policies, policy-age, policies
            finally:
                await ask(sam, REGISTRY, element("policy-age", coop="coop-247",
                                                 max_age_days="180"), "set")
