"""What the scripts stories share: the scripts requests of urn:refdesk:faq:0 at
faq.<library>, and <send-script/> in a chat, every payload sent and received validated
against schemas/faq.xsd."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import xmlschema
from lxml import etree
from playwright.async_api import WebSocket
from slixmpp import JID, Iq
from slixmpp.exceptions import IqError
from slixmpp.xmlstream import ET, tostring

from components.faq.stanzas import NS
from tests.integration.xmpp import Session

Kind = Literal["get", "set"]
SCHEMA = xmlschema.XMLSchema(str(Path(__file__).parents[2] / "schemas" / "faq.xsd"))


def valid(element: ET.Element) -> ET.Element:
    SCHEMA.validate(tostring(element))
    return element


def element(tag: str, text: str | None = None, /, **attributes: str) -> ET.Element:
    made = ET.Element(f"{{{NS}}}{tag}", attributes)
    made.text = text
    return made


async def ask(session: Session, domain: str, payload: ET.Element, kind: Kind = "get",
              invalid: bool = False) -> Iq:
    """One request to faq.<domain>; the result (IqError if refused). `invalid` sends a
    payload the XSD refuses, as an attacker or a broken client might."""
    iq = session.xmpp.make_iq(ito=f"faq.{domain}", itype=kind)
    iq.xml.append(payload if invalid else valid(payload))
    reply: Iq = await iq.send(timeout=15)
    for child in reply.xml:
        if child.tag.startswith(f"{{{NS}}}"):
            valid(child)
    return reply


async def refusal(session: Session, domain: str, payload: ET.Element,
                  kind: Kind = "get", invalid: bool = False) -> tuple[str, str]:
    """The error condition and text a request is refused with."""
    try:
        await ask(session, domain, payload, kind, invalid)
    except IqError as error:
        return str(error.iq["error"]["condition"]), str(error.iq["error"]["text"])
    raise AssertionError(f"{session.jid} was answered")


async def scripts(session: Session, domain: str) -> dict[str, str]:
    """The library's scripts as the asker reads them: name -> text."""
    reply = await ask(session, domain, element("scripts"))
    listing = reply.xml.find(f"{{{NS}}}scripts")
    assert listing is not None, str(reply)
    return {script.get("name", ""): script.text or "" for script in listing}


async def save(session: Session, domain: str, name: str, text: str) -> ET.Element:
    reply = await ask(session, domain, element("script", text, name=name), "set")
    saved = reply.xml.find(f"{{{NS}}}script")
    assert saved is not None, str(reply)
    return saved


def send_script(session: Session, chat: str, name: str, body: str) -> None:
    """What the console sends: the operator's line naming the script, its text as body."""
    message = session.xmpp.make_message(mto=JID(chat), mbody=body, mtype="chat")
    message.xml.append(valid(element("send-script", name=name)))
    message.send()


@dataclass
class FaqTraffic:
    """The WebSocket frames of one console page that carry urn:refdesk:faq:0 payloads."""

    frames: list[str] = field(default_factory=list)

    def watch(self, socket: WebSocket) -> None:
        socket.on("framesent", self._keep)
        socket.on("framereceived", self._keep)

    def _keep(self, payload: str | bytes) -> None:
        text = payload.decode() if isinstance(payload, bytes) else payload
        if NS in text:
            self.frames.append(text)

    def validated(self, name: str) -> int:
        """Validates every faq element sent or received; how many were `name`."""
        count = 0
        for frame in self.frames:  # RFC 7395: one stanza a frame; payloads are its children
            for payload in etree.fromstring(frame.encode()):
                if etree.QName(payload).namespace == NS:
                    SCHEMA.validate(etree.tostring(payload))
                    count += etree.QName(payload).localname == name
        return count
