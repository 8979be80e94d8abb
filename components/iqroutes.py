"""Payload iqs routed to their handlers: one table per module that answers a protocol."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from slixmpp import ComponentXMPP, Iq
from slixmpp.xmlstream.handler import CoroutineCallback
from slixmpp.xmlstream.matcher import StanzaPath

Route = tuple[str, str]
"""(iq type, the payload's plugin_attrib), e.g. ("set", "refdesk_request")."""


def register_iq_routes(xmpp: ComponentXMPP,
                       routes: Mapping[Route, Callable[[Iq], Awaitable[None]]]) -> None:
    """Send each iq of that type carrying that payload to its handler."""
    for (kind, payload), handler in routes.items():
        xmpp.register_handler(CoroutineCallback(
            payload, StanzaPath(f"iq@type={kind}/{payload}"),
            handler,  # type: ignore[arg-type]  # the matcher guarantees an Iq
        ))
