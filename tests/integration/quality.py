"""What the Quality stories share: urn:refdesk:quality:0 requests to a co-op's registry, and
every payload sent or received validated against schemas/quality.xsd."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import xmlschema
from lxml import etree
from slixmpp import JID, Iq
from slixmpp.exceptions import IqError
from slixmpp.xmlstream import ET, tostring

from components.coop.quality_wire import NS
from components.errors import error_condition
from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.stores.activity import ActivityStore, Summary
from tests.integration.queue import database_url
from tests.integration.xmpp import Session

SCHEMA = xmlschema.XMLSchema(str(Path(__file__).parents[2] / "schemas" / "quality.xsd"))
REGISTRY = "coop.coop.test"
Kind = Literal["get", "set"]


def valid(element: ET.Element) -> ET.Element:
    SCHEMA.validate(tostring(element))
    return element


def found(stanza: Any, name: str) -> ET.Element | None:
    """The urn:refdesk:quality:0 element `name` of a stanza, validated."""
    element = stanza.xml.find(f"{{{NS}}}{name}")
    return valid(element) if element is not None else None


async def ask(session: Session, kind: Kind, element: ET.Element, answer: str) -> ET.Element:
    """Send `element` in an iq of `kind` to the registry; the `answer` element it returns."""
    iq: Iq = session.xmpp.make_iq(ito=JID(REGISTRY), itype=kind)
    iq.append(valid(element))
    reply = await iq.send(timeout=15)
    result = found(reply, answer)
    assert result is not None, f"no <{answer}/> in {reply}"
    return result


async def refusal(session: Session, kind: Kind, element: ET.Element) -> tuple[str, str]:
    """The error condition and text a request is refused with."""
    iq: Iq = session.xmpp.make_iq(ito=JID(REGISTRY), itype=kind)
    iq.append(valid(element))
    try:
        reply = await iq.send(timeout=15)
    except IqError as error:
        return error_condition(error.iq), str(error.iq["error"]["text"])
    raise AssertionError(f"not refused: {reply}")


def forward(coop: str, library: str, chat: str, concern: str) -> ET.Element:
    element = ET.Element(f"{{{NS}}}forward", {"coop": coop, "library": library, "chat": chat})
    ET.SubElement(element, f"{{{NS}}}concern").text = concern
    return element


def cases(coop: str, state: str = "open") -> ET.Element:
    return ET.Element(f"{{{NS}}}cases", {"coop": coop, "state": state})


def review(case: str, comments: str) -> ET.Element:
    element = ET.Element(f"{{{NS}}}review", {"case": case})
    element.text = comments
    return element


def rotation(**attributes: str) -> ET.Element:
    return ET.Element(f"{{{NS}}}rotation", {"coop": "coop-247", **attributes})


def listed(answer: ET.Element) -> dict[str, ET.Element]:
    """The cases of a <cases/> answer by chat id."""
    return {case.get("chat", ""): case for case in answer.iterfind(f"{{{NS}}}case")}


async def summarised(lab: dict[str, Any], summaries: list[Summary]) -> None:
    """Chat summaries recorded at coop.test, as member libraries would have sent them."""
    engine = create_engine(database_url(lab, "coop.test"))
    try:
        store = ActivityStore(create_sessionmaker(engine))
        for summary in summaries:
            await store.record_summary(summary)
    finally:
        await engine.dispose()


async def summary_at_registry(lab: dict[str, Any], chat_id: str) -> bool:
    """Whether coop.test has the summary of an Alpha chat (sent when the chat ends)."""
    engine = create_engine(database_url(lab, "coop.test"))
    try:
        summaries = await ActivityStore(create_sessionmaker(engine)).summaries("coop-247")
    finally:
        await engine.dispose()
    return any(s.home == "alpha.test" and s.chat_id == chat_id for s in summaries)


# Every urn:refdesk:quality:0 frame the console sends from now on, kept for validation.
# Wrapped so that its value is no function: page.evaluate would call one.
OBSERVE_QUALITY = """(() => {
window.__qualitySent = [];
const sendBefore = WebSocket.prototype.send;
WebSocket.prototype.send = function (data) {
    if (typeof data === 'string' && data.includes('urn:refdesk:quality:0')) {
        window.__qualitySent.push(data);
    }
    return sendBefore.call(this, data);
};
})()"""


async def valid_quality_stanzas(page: Any) -> int:
    """Validates each urn:refdesk:quality:0 element the page sent since OBSERVE_QUALITY ran
    against quality.xsd; how many there were."""
    sent: list[str] = await page.evaluate("window.__qualitySent")
    count = 0
    for frame in sent:
        for element in etree.fromstring(frame.encode()):
            if etree.QName(element).namespace == NS:
                SCHEMA.validate(etree.tostring(element))
                count += 1
    return count
