"""Transcript lines for staff in urn:refdesk:console:0 (schemas/console.xsd): the <line/> of a
history or a copy to a supervisor, the same line as a stock client shows it, and the <note/>
marker of an internal note."""

from __future__ import annotations

from slixmpp import Message
from slixmpp.xmlstream import ET

from components.queue.console.stanzas import NS as CONSOLE_NS
from refdesk.db.models import Sender
from refdesk.db.stores.chats import Line


def is_note(message: Message) -> bool:
    return message.xml.find(f"{{{CONSOLE_NS}}}note") is not None


def line_element(line: Line, chat: str | None = None) -> ET.Element:
    """<line/> for a transcript line; `chat` names the chat in a copy sent on its own."""
    attributes = {"seq": str(line.seq), "sender": line.sender.value,
                  "at": line.at.isoformat()}
    if chat:
        attributes["chat"] = chat
    if line.nick:
        attributes["nick"] = line.nick
    element = ET.Element(f"{{{CONSOLE_NS}}}line", attributes)
    element.text = line.body
    return element


def line_text(line: Line) -> str:
    """The line as a stock client shows a copy of it."""
    if line.sender == Sender.SYSTEM:
        return f"[{line.body}]"
    if line.sender == Sender.NOTE:
        return f"[Note from {line.nick or 'staff'}] {line.body}"
    who = "Patron" if line.sender == Sender.PATRON else (line.nick or "Librarian")
    return f"{who}: {line.body}"
