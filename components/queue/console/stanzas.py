"""The requests of urn:refdesk:console:0 the queue answers (schemas/console.xsd), as slixmpp
stanza plugins, and the elements it answers and pushes with."""

from __future__ import annotations

from slixmpp import Iq, Message
from slixmpp.xmlstream import ET, ElementBase, register_stanza_plugin

NS = "urn:refdesk:console:0"


class DeskQuery(ElementBase):
    """A librarian asks for their desk: who they are, their rooms and co-ops."""

    name = "desk"
    namespace = NS
    plugin_attrib = "console_desk"


class Subscribe(ElementBase):
    """Start the Patron Chats feed of this queue."""

    name = "subscribe"
    namespace = NS
    plugin_attrib = "console_subscribe"


class Unsubscribe(ElementBase):
    name = "unsubscribe"
    namespace = NS
    plugin_attrib = "console_unsubscribe"


class TransferTargets(ElementBase):
    """Where the chat can be handed on to now."""

    name = "transfer-targets"
    namespace = NS
    plugin_attrib = "console_transfer_targets"


class TransferTo(ElementBase):
    """Hand the chat on to `to`, with a note for staff."""

    name = "transfer"
    namespace = NS
    plugin_attrib = "console_transfer"
    interfaces = {"to", "note"}
    sub_interfaces = {"note"}


class BlocksQuery(ElementBase):
    """An admin asks for the blocks of the library's patrons."""

    name = "blocks"
    namespace = NS
    plugin_attrib = "console_blocks"


class Unblock(ElementBase):
    """An admin lifts the block `id`."""

    name = "unblock"
    namespace = NS
    plugin_attrib = "console_unblock"
    interfaces = {"id"}


class History(ElementBase):
    name = "history"
    namespace = NS
    plugin_attrib = "console_history"


class Supervise(ElementBase):
    name = "supervise"
    namespace = NS
    plugin_attrib = "console_supervise"


class Unsupervise(ElementBase):
    name = "unsupervise"
    namespace = NS
    plugin_attrib = "console_unsupervise"


class Block(ElementBase):
    """Block the chat's patron for `minutes`, with a reason kept on record."""

    name = "block"
    namespace = NS
    plugin_attrib = "console_block"
    interfaces = {"minutes", "reason"}
    sub_interfaces = {"reason"}


class Note(ElementBase):
    """In a message to a chat's JID: its body is an internal note for staff."""

    name = "note"
    namespace = NS
    plugin_attrib = "console_note"


def register_stanzas() -> None:
    for payload in (DeskQuery, Subscribe, Unsubscribe, TransferTargets, TransferTo,
                    BlocksQuery, Unblock, History, Supervise, Unsupervise, Block):
        register_stanza_plugin(Iq, payload)
    register_stanza_plugin(Message, Note)


def element(name: str, attributes: dict[str, str | None] | None = None,
            text: str | None = None) -> ET.Element:
    """An element of the console namespace; attributes that are None are left out."""
    made = ET.Element(f"{{{NS}}}{name}",
                      {key: value for key, value in (attributes or {}).items()
                       if value is not None})
    made.text = text
    return made


def child(parent: ET.Element, name: str, attributes: dict[str, str | None] | None = None,
          text: str | None = None) -> ET.Element:
    made = element(name, attributes, text)
    parent.append(made)
    return made


def boolean(value: bool) -> str:
    return "true" if value else "false"
