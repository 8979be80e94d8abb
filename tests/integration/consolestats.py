"""What the console's Reports and Schedule stories share: a librarian's console whose
urn:refdesk:stats:0 and urn:refdesk:schedule:0 traffic (both ways) is kept and validated
against stats.xsd and schedule.xsd, and the same requests asked over XMPP, to compare."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any, Final, Literal

import xmlschema
from lxml import etree
from playwright.async_api import Browser, Locator, Page
from slixmpp import JID, Iq
from slixmpp.xmlstream import ET, tostring

from tests.integration.consoletraffic import Traffic, watched_console
from tests.integration.xmpp import Session

SCHEMAS: Final = Path(__file__).parents[2] / "schemas"
STATS: Final = "urn:refdesk:stats:0"
SCHEDULE: Final = "urn:refdesk:schedule:0"
VALIDATORS: Final = {STATS: xmlschema.XMLSchema(str(SCHEMAS / "stats.xsd")),
                     SCHEDULE: xmlschema.XMLSchema(str(SCHEMAS / "schedule.xsd"))}


def valid(element: Any) -> Any:
    """An urn:refdesk:stats:0 or schedule:0 element, checked against its XSD."""
    VALIDATORS[etree.QName(element.tag).namespace or ""].validate(tostring(element))
    return element




def console(browser: Browser, lab: dict[str, Any], jid: str
            ) -> AbstractAsyncContextManager[tuple[Page, Traffic]]:
    """A librarian logged in to their library's console, their stats traffic watched."""
    return watched_console(browser, lab, jid, VALIDATORS)


async def asked(session: Session, to: str, kind: Literal["get", "set"],
                element: ET.Element) -> Any:
    """`element` sent in an iq of `kind` to `to`; the answer's payload of the same name,
    both validated."""
    iq: Iq = session.xmpp.make_iq(ito=JID(to), itype=kind)
    iq.append(valid(element))
    reply = await iq.send(timeout=20)
    answer = reply.xml.find(element.tag)
    assert answer is not None, f"no answer to {element.tag} in {reply}"
    return valid(answer)


def stats(name: str, **attributes: str) -> ET.Element:
    return ET.Element(f"{{{STATS}}}{name}", attributes)


def table_rows(page: Page, caption: str) -> Locator:
    """The body rows of the figures table captioned `caption`."""
    return page.get_by_role("table", name=caption).locator("tbody tr")


async def cells(row: Locator) -> list[str]:
    """A table row's header and data cells, as shown."""
    return [text.strip() for text in await row.locator("th, td").all_inner_texts()]
