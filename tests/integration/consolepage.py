"""Librarians in the console, in a real browser: logged in at their own library's gateway,
with the chime and desktop notifications observed, axe-core and screenshots at hand."""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Final

import xmlschema
from lxml import etree
from playwright.async_api import Browser, Locator, Page, ViewportSize, expect

from tests.integration.browser import AXE
from tests.integration.xmpp import find_account

SCHEMA: Final = xmlschema.XMLSchema(str(Path(__file__).parents[2] / "schemas" / "console.xsd"))
CONSOLE_NS: Final = "urn:refdesk:console:0"
DESKTOP: Final[ViewportSize] = {"width": 1280, "height": 800}
NARROW: Final[ViewportSize] = {"width": 420, "height": 800}
UI_TIMEOUT_MS: Final = 20_000
# Where the screenshots go, for a person to review; never into the repository.
SHOTS: Final = Path(os.environ.get("REFDESK_CONSOLE_SHOTS")
                    or Path(tempfile.gettempdir()) / "refdesk-console-shots")

# The chime is a WebAudio tone: each one starts oscillators, counted here. Notifications are
# granted and recorded as the page makes them.
OBSERVE_ALERTS: Final = """
window.__chimes = 0;
window.__notifications = [];
const RealAudio = window.AudioContext;
window.AudioContext = class extends RealAudio {
    createOscillator() {
        const oscillator = super.createOscillator();
        const start = oscillator.start.bind(oscillator);
        oscillator.start = (...args) => { window.__chimes += 1; return start(...args); };
        return oscillator;
    }
};
const RealNotification = window.Notification;
window.Notification = class extends RealNotification {
    constructor(title, options) {
        super(title, options);
        window.__notifications.push({ title, body: (options || {}).body || '' });
    }
};
"""
# And every urn:refdesk:console:0 stanza the page sends, kept for validation.
OBSERVE_SENT: Final = """
window.__consoleSent = [];
const realSend = WebSocket.prototype.send;
WebSocket.prototype.send = function (data) {
    if (typeof data === 'string' && data.includes('urn:refdesk:console:0')) {
        window.__consoleSent.push(data);
    }
    return realSend.call(this, data);
};
"""


@asynccontextmanager
async def console(browser: Browser, lab: dict[str, Any], jid: str,
                  viewport: ViewportSize = DESKTOP) -> AsyncIterator[Page]:
    """A librarian logged in to the console of their own library."""
    site, account = find_account(lab, jid)
    gateway = site["gateway"]["http"]
    context = await browser.new_context(viewport=viewport)
    await context.grant_permissions(["notifications"], origin=gateway)
    await context.add_init_script(OBSERVE_ALERTS + OBSERVE_SENT)
    page = await context.new_page()
    try:
        await page.goto(f"{gateway}/console")
        await log_in(page, jid, account["password"])
        yield page
    finally:
        await context.close()


async def log_in(page: Page, jid: str, password: str) -> None:
    await page.get_by_label("Address").fill(jid)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Log in").click()
    await expect(page.get_by_role("navigation", name="Console sections")).to_be_visible(
        timeout=UI_TIMEOUT_MS)


async def section(page: Page, name: str) -> None:
    await page.get_by_role("navigation", name="Console sections").get_by_role(
        "button", name=name).click()


def chat_item(page: Page, text: str) -> Locator:
    """The Patron Chats list entry that mentions `text` (a patron's name)."""
    return page.get_by_role("list", name="Waiting and active chats").get_by_role(
        "listitem").filter(has_text=text)


async def chimes(page: Page) -> int:
    return int(await page.evaluate("window.__chimes"))


async def notifications(page: Page) -> list[dict[str, str]]:
    shown: list[dict[str, str]] = await page.evaluate("window.__notifications")
    return shown


async def valid_console_stanzas(page: Page) -> int:
    """Validates each urn:refdesk:console:0 element the page sent against console.xsd; how
    many there were."""
    sent: list[str] = await page.evaluate("window.__consoleSent")
    count = 0
    for frame in sent:  # RFC 7395: one stanza a frame; its payloads are its children
        for element in etree.fromstring(frame.encode()):
            if etree.QName(element).namespace == CONSOLE_NS:
                SCHEMA.validate(etree.tostring(element))
                count += 1
    return count


async def axe_clean(page: Page) -> None:
    """axe-core finds nothing. Loaded by evaluation: the page's policy (rightly) refuses the
    inline script tag the widget tests' helper adds."""
    if not await page.evaluate("typeof axe !== 'undefined'"):
        await page.evaluate(AXE.read_text() + "\n;window.axe = axe;")
    result = await page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in result["violations"]] == []


async def shoot(page: Page, name: str) -> None:
    """The page as it is now, at desktop width and in a narrow window, into SHOTS."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for viewport, suffix in ((DESKTOP, "1280"), (NARROW, "420")):
        await page.set_viewport_size(viewport)
        await page.screenshot(path=SHOTS / f"{name}-{suffix}.png", full_page=True)
    await page.set_viewport_size(DESKTOP)
