"""The requests of urn:refdesk:archive:0 (schemas/archive.xsd) as slixmpp stanza plugins, so
that each is routed to its handler by its payload; their content is read in
components.archive.wire."""

from __future__ import annotations

from slixmpp import Iq
from slixmpp.xmlstream import ElementBase, register_stanza_plugin

NS = "urn:refdesk:archive:0"
RSM = "http://jabber.org/protocol/rsm"


def _payload(element: str) -> type[ElementBase]:
    """A plugin for <element xmlns=NS/>, routed as `archive_<element>`."""
    return type(f"Archive_{element.replace('-', '_')}", (ElementBase,), {
        "name": element, "namespace": NS, "plugin_attrib": f"archive_{element}",
        "interfaces": set()})


PAYLOADS = {name: _payload(name) for name in (
    "transcripts", "transcript", "edit", "delete", "feedback")}


def register_stanzas(*more: str) -> None:
    """Register the archive's request payloads (and `more` of them, for other modules)."""
    for name in more:
        PAYLOADS.setdefault(name, _payload(name))
    for plugin in PAYLOADS.values():
        register_stanza_plugin(Iq, plugin)


def route(kind: str, element: str) -> tuple[str, str]:
    """The iqroutes key of a request: (iq type, plugin_attrib)."""
    return kind, f"archive_{element}"
