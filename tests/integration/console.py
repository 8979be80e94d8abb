"""What the supervision stories share: urn:refdesk:console:0 requests to a chat's JID, each
payload validated against schemas/console.xsd on the way out and on the way in."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import pytest
import xmlschema
from slixmpp import JID, Iq
from slixmpp.exceptions import IqError
from slixmpp.xmlstream import ET, tostring

from tests.integration.xmpp import Session

CONSOLE = "urn:refdesk:console:0"
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
