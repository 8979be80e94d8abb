"""The requests of urn:refdesk:faq:0 (schemas/faq.xsd) as slixmpp stanza plugins, so that
each is routed to its handler by its payload."""

from __future__ import annotations

from slixmpp import Iq
from slixmpp.xmlstream import ElementBase, register_stanza_plugin

NS = "urn:refdesk:faq:0"


def _payload(element: str) -> type[ElementBase]:
    """A plugin for <element xmlns=NS/>, routed as `faq_<element>`."""
    return type(f"Faq_{element.replace('-', '_')}", (ElementBase,), {
        "name": element, "namespace": NS, "plugin_attrib": f"faq_{element}",
        "interfaces": set()})


PAYLOADS = {name: _payload(name) for name in (
    "search", "groups", "group", "delete-group", "faqs", "faq", "delete-faq", "export",
    "import", "policy", "scripts", "script", "delete-script", "policy-status", "policies",
    "policy-age")}


def register_stanzas() -> None:
    for plugin in PAYLOADS.values():
        register_stanza_plugin(Iq, plugin)


def route(kind: str, element: str) -> tuple[str, str]:
    """The iqroutes key of a request: (iq type, plugin_attrib)."""
    return kind, f"faq_{element}"
