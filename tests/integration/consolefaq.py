"""The console's FAQs in a real browser: a librarian's console whose every urn:refdesk:faq:0
payload, sent or received, is kept and validated against faq.xsd; and a local admin's
stock client writing a library's FAQs over XMPP, validated the same way."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

import xmlschema
from playwright.async_api import Browser, Page, ViewportSize, WebSocket

from tests.integration.consolepage import DESKTOP, log_in
from tests.integration.xmpp import Session, find_account

FAQ_NS: Final = "urn:refdesk:faq:0"
SCHEMA: Final = xmlschema.XMLSchema(str(Path(__file__).parents[2] / "schemas" / "faq.xsd"))


@dataclass
class FaqConsole:
    """A logged-in console page and the WebSocket frames that carried FAQ payloads."""

    page: Page
    frames: list[str] = field(default_factory=list)

    def valid_faq_payloads(self) -> int:
        """Validates each urn:refdesk:faq:0 payload of the frames (RFC 7395: one stanza a
        frame) against faq.xsd; how many there were."""
        count = 0
        for frame in self.frames:
            for element in ET.fromstring(frame):
                if element.tag.startswith(f"{{{FAQ_NS}}}"):
                    SCHEMA.validate(ET.tostring(element))
                    count += 1
        return count


@asynccontextmanager
async def faq_console(browser: Browser, lab: dict[str, Any], jid: str,
                      viewport: ViewportSize = DESKTOP) -> AsyncIterator[FaqConsole]:
    """A librarian logged in to their library's console, its FAQ traffic watched from the
    first frame."""
    site, account = find_account(lab, jid)
    context = await browser.new_context(viewport=viewport, accept_downloads=True)
    page = await context.new_page()
    watched = FaqConsole(page)

    def keep(frame: str | bytes) -> None:
        if isinstance(frame, str) and FAQ_NS in frame:
            watched.frames.append(frame)

    def watch(socket: WebSocket) -> None:
        socket.on("framesent", keep)
        socket.on("framereceived", keep)

    page.on("websocket", watch)
    try:
        await page.goto(f"{site['gateway']['http']}/console")
        await log_in(page, jid, account["password"])
        yield watched
    finally:
        await context.close()


async def faq_request(session: Session, domain: str, itype: Literal["get", "set"],
                      payload: str) -> ET.Element:
    """Sends `payload` (a urn:refdesk:faq:0 element, as XML) to faq.<domain>; the answer's
    FAQ payload (an empty <done/> when it has none). Both are validated."""
    SCHEMA.validate(payload)
    iq = session.xmpp.make_iq(ito=f"faq.{domain}", itype=itype)
    iq.append(ET.fromstring(payload))
    reply = await iq.send(timeout=15)
    answer: ET.Element
    for answer in reply.xml:
        if answer.tag.startswith(f"{{{FAQ_NS}}}"):
            SCHEMA.validate(ET.tostring(answer))
            return answer
    return ET.Element("done")


def _xml(tag: str, attrs: dict[str, str], *children: tuple[str, str]) -> str:
    element = ET.Element(f"{{{FAQ_NS}}}{tag}", attrs)
    for name, text in children:
        ET.SubElement(element, f"{{{FAQ_NS}}}{name}").text = text
    return ET.tostring(element, encoding="unicode")


async def create_group(admin: Session, domain: str, name: str, availability: str) -> str:
    """A new group's id; the library's one 24/7 Staffing group is `staffing_group`'s."""
    made = await faq_request(admin, domain, "set", _xml(
        "group", {"name": name, "availability": availability}))
    return made.attrib["id"]


async def staffing_group(admin: Session, domain: str) -> str:
    """The library's 24/7 Staffing group, made if it has none yet."""
    groups = await faq_request(admin, domain, "get", _xml("groups", {}))
    for group in groups:
        if group.get("availability") == "staffing":
            return group.attrib["id"]
    return await create_group(admin, domain, "24/7 Staffing", "staffing")


async def save_faq(admin: Session, domain: str, group: str, question: str, answer: str,
                   keywords: str = "") -> str:
    """A new FAQ's id."""
    parts = [("question", question), ("answer", answer)]
    if keywords:
        parts.append(("keywords", keywords))
    saved = await faq_request(admin, domain, "set", _xml("faq", {"group": group}, *parts))
    return saved.attrib["id"]


async def delete(admin: Session, domain: str, what: str, ident: str) -> None:
    """delete-group or delete-faq."""
    await faq_request(admin, domain, "set", _xml(f"delete-{what}", {"id": ident}))


async def groups(admin: Session, domain: str) -> dict[str, ET.Element]:
    """The groups the admin reads, by name."""
    listed = await faq_request(admin, domain, "get", _xml("groups", {}))
    return {group.attrib["name"]: group for group in listed}


async def delete_group_named(admin: Session, domain: str, name: str) -> None:
    """What a story made, gone, if it is there (a story that failed half-way included)."""
    group = (await groups(admin, domain)).get(name)
    if group is not None:
        await delete(admin, domain, "group", group.attrib["id"])
