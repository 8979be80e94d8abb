"""The payloads of urn:refdesk:coop-admin:0 (schemas/coop-admin.xsd): a library joins a
co-op. Shared by the library's queue, which asks, and the co-op's registry, which answers."""

from __future__ import annotations

from typing import ClassVar

from slixmpp import Iq
from slixmpp.xmlstream import ElementBase, register_stanza_plugin

NS = "urn:refdesk:coop-admin:0"


class Join(ElementBase):
    """A library asks to join a co-op it was invited to."""

    name = "join"
    namespace = NS
    plugin_attrib = "refdesk_coop_join"
    interfaces: ClassVar[set[str]] = {"coop", "name", "kind"}


class Joined(ElementBase):
    """The registry admitted the library: the co-op as the library records it."""

    name = "joined"
    namespace = NS
    plugin_attrib = "refdesk_coop_joined"
    interfaces: ClassVar[set[str]] = {
        "coop", "name", "kind", "audience", "host", "room", "component", "contributing"}


def register_stanzas() -> None:
    for payload in (Join, Joined):
        register_stanza_plugin(Iq, payload)
