"""What the console stories share: urn:refdesk:console:0 requests, the Patron Chats feed and
copies to staff, every element sent or received validated against schemas/console.xsd."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import pytest
import xmlschema
from slixmpp import JID, Iq
from slixmpp.exceptions import IqError
from slixmpp.xmlstream import ET, tostring

from tests.integration.xmpp import Session

CONSOLE = NS = "urn:refdesk:console:0"
SCHEMA = xmlschema.XMLSchema(str(Path(__file__).parents[2] / "schemas" / "console.xsd"))
NO_SUCH_CHAT = ("item-not-found", "There is no such chat.")


def valid(element: Any) -> Any:
    SCHEMA.validate(tostring(element))
    return element


def console(name: str, attributes: dict[str, str] | None = None, **children: str) -> Any:
    """A urn:refdesk:console:0 element, checked against the XSD before it is sent."""
    element = ET.Element(f"{{{CONSOLE}}}{name}", attributes or {})
    for child, text in children.items():
        ET.SubElement(element, f"{{{CONSOLE}}}{child}").text = text
    return valid(element)


Kind = Literal["get", "set"]


async def ask(session: Session, chat: str, kind: Kind, element: Any) -> Iq:
    iq = session.xmpp.make_iq(ito=JID(chat), itype=kind)
    iq.xml.append(element)
    reply: Iq = await iq.send(timeout=15)
    return reply


async def refused(session: Session, chat: str, kind: Kind, element: Any) -> tuple[str, str]:
    """The error condition and text a request was answered with."""
    with pytest.raises(IqError) as error:
        await ask(session, chat, kind, element)
    return str(error.value.condition), str(error.value.text)


def line_in(message: Any) -> Any:
    """The <line/> a copy to staff carries, validated; None if it has none."""
    element = message.xml.find(f"{{{CONSOLE}}}line")
    return valid(element) if element is not None else None


def copy_of(chat: str, sender: str, text: str) -> Any:
    """Matches a copy of a transcript line of `chat`, by `sender`, with this text."""
    def match(message: Any) -> bool:
        line = line_in(message)
        return (line is not None and line.get("chat") == chat and line.get("sender") == sender
                and line.text == text)
    return match


async def history(session: Session, chat: str) -> list[Any]:
    reply = await ask(session, chat, "get", console("history"))
    found = valid(reply.xml.find(f"{{{CONSOLE}}}history"))
    return list(found)


def note(session: Session, chat: str, text: str) -> None:
    message = session.xmpp.make_message(mto=JID(chat), mbody=text, mtype="chat")
    message.xml.append(console("note"))
    message.send()


def console_payload(stanza: Any, name: str) -> ET.Element | None:
    """The urn:refdesk:console:0 element `name` in a stanza, validated against the XSD."""
    element = stanza.xml.find(f"{{{NS}}}{name}")
    return valid(element) if element is not None else None


async def subscribe(session: Session, domain: str) -> dict[str, ET.Element]:
    """Follow a library's Patron Chats; the chats listed at once, by JID."""
    reply = await ask(session, f"queue.{domain}", "set", console("subscribe"))
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
