"""The supervision payloads of urn:refdesk:console:0 (schemas/console.xsd): history, supervise,
unsupervise, block, the <note/> marker and the <line/> copied to staff."""

from __future__ import annotations

from slixmpp import Iq, Message
from slixmpp.xmlstream import ET, ElementBase, register_stanza_plugin

from refdesk.db.models import Sender
from refdesk.db.stores.chats import Line

CONSOLE_NS = "urn:refdesk:console:0"


class History(ElementBase):
    name = "history"
    namespace = CONSOLE_NS
    plugin_attrib = "console_history"


class Supervise(ElementBase):
    name = "supervise"
    namespace = CONSOLE_NS
    plugin_attrib = "console_supervise"


class Unsupervise(ElementBase):
    name = "unsupervise"
    namespace = CONSOLE_NS
    plugin_attrib = "console_unsupervise"


class Block(ElementBase):
    """Block the chat's patron for `minutes`, with a reason kept on record."""

    name = "block"
    namespace = CONSOLE_NS
    plugin_attrib = "console_block"
    interfaces = {"minutes", "reason"}
    sub_interfaces = {"reason"}


class Note(ElementBase):
    """In a message to a chat's JID: its body is an internal note for staff."""

    name = "note"
    namespace = CONSOLE_NS
    plugin_attrib = "console_note"


def register_staff_stanzas() -> None:
    for payload in (History, Supervise, Unsupervise, Block):
        register_stanza_plugin(Iq, payload)
    register_stanza_plugin(Message, Note)


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
