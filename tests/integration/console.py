"""What the console stories share: urn:refdesk:console:0 requests and the Patron Chats feed,
every element sent or received validated against schemas/console.xsd."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import xmlschema
from slixmpp import JID, Iq
from slixmpp.xmlstream import ET, tostring

from tests.integration.xmpp import Session

NS = "urn:refdesk:console:0"
SCHEMA = xmlschema.XMLSchema(str(Path(__file__).parents[2] / "schemas" / "console.xsd"))


def valid(element: ET.Element) -> ET.Element:
    SCHEMA.validate(tostring(element))
    return element


def console_payload(stanza: Any, name: str) -> ET.Element | None:
    """The urn:refdesk:console:0 element `name` in a stanza, validated against the XSD."""
    element = stanza.xml.find(f"{{{NS}}}{name}")
    return valid(element) if element is not None else None


async def ask(session: Session, to: str, kind: Literal["get", "set"], name: str,
              attributes: dict[str, str] | None = None, note: str | None = None) -> Iq:
    """Send a console request (validated first); the result, or IqError."""
    iq = session.xmpp.make_iq(ito=JID(to), itype=kind)
    element = ET.Element(f"{{{NS}}}{name}", attributes or {})
    if note is not None:
        ET.SubElement(element, f"{{{NS}}}note").text = note
    iq.xml.append(valid(element))
    reply: Iq = await iq.send(timeout=15)
    return reply


async def subscribe(session: Session, domain: str) -> dict[str, ET.Element]:
    """Follow a library's Patron Chats; the chats listed at once, by JID."""
    reply = await ask(session, f"queue.{domain}", "set", "subscribe")
    chats = console_payload(reply, "chats")
    assert chats is not None and chats.get("library") == domain
    return {str(chat.get("jid")): chat for chat in chats}


def pushed(chat: str, state: str | None = None) -> Callable[[Any], bool]:
    """Matches a feed push about `chat` (in `state`, if given)."""
    def match(message: Any) -> bool:
        return _chat_in(message, chat, state) is not None
    return match


def _chat_in(message: Any, chat: str, state: str | None) -> ET.Element | None:
    if message["from"].user or not message["from"].domain.startswith("queue."):
        return None
    chats = console_payload(message, "chats")
    found = next((c for c in chats if c.get("jid") == chat), None) if chats is not None else None
    return found if found is not None and state in (None, found.get("state")) else None


async def push(session: Session, chat: str, state: str | None = None,
               since: int = 0) -> ET.Element:
    """The next push about `chat` (in `state`) to this session."""
    message = await session.messages.wait_for(pushed(chat, state), since=since)
    found = _chat_in(message, chat, state)
    assert found is not None
    return found


def pushes_about(session: Session, chat: str, since: int = 0) -> list[ET.Element]:
    return [found for message in session.messages.items[since:]
            if (found := _chat_in(message, chat, None)) is not None]


async def round_trip(session: Session, domain: str) -> None:
    """A disco#info to the queue and its answer: whatever the queue sent this session before
    it answered has arrived (one stream, in order)."""
    await session.xmpp.plugin["xep_0030"].get_info(jid=JID(f"queue.{domain}"), timeout=15)


def field(element: ET.Element, name: str) -> str | None:
    child = element.find(f"{{{NS}}}{name}")
    return None if child is None else child.text
