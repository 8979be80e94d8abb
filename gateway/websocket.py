"""RFC 7395 at /xmpp-websocket: admission (origin, subprotocol, per-IP limits), then a bridge."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Final

from aiohttp import WSCloseCode, web

from gateway import refusals
from gateway.blocks import ENDED
from gateway.keys import (
    BLOCKS,
    LIMITER,
    ORIGINS,
    PROXIES,
    REFUSALS,
    SETTINGS,
    UPSTREAM,
    WEBSOCKETS,
)
from gateway.limits import client_ip
from gateway.wsbridge import BridgeLimits, WebSocketBridge

log = logging.getLogger(__name__)

SUBPROTOCOL: Final = "xmpp"


class XmppWebSocketResponse(web.WebSocketResponse):
    """aiohttp's WebSocket, except that a frame over max_msg_size ends the XMPP stream with a
    stream error before the WebSocket closes.

    aiohttp refuses such a frame from its length header, before buffering any of it, and
    closes with 1009 from inside receive(); a browser's XMPP library shows that as a lost
    connection. RFC 7395 section 3.6 wants a stream error, then <close/>: `before_too_big`
    sends them.
    """

    before_too_big: Callable[[], Awaitable[None]] | None = None

    async def close(self, *, code: int = WSCloseCode.OK, message: bytes = b"",
                    drain: bool = True) -> bool:
        if code == WSCloseCode.MESSAGE_TOO_BIG and self.before_too_big and not self.closed:
            before, self.before_too_big = self.before_too_big, None
            await before()
        return await super().close(code=code, message=message, drain=drain)


async def xmpp_websocket(request: web.Request) -> web.StreamResponse:
    app = request.app
    # RFC 6455 section 10.2: a page from an origin we do not serve gets 403 at the handshake.
    if not await app[ORIGINS].allows(request.headers.get("Origin"), request.host):
        log.info("WebSocket refused: origin not allowed")
        raise web.HTTPForbidden(text="this page's origin may not use this chat service")
    settings = app[SETTINGS].gateway
    ws = XmppWebSocketResponse(
        protocols=(SUBPROTOCOL,), compress=False, decode_text=False, autoping=True,
        max_msg_size=settings.max_stanza_bytes + 1,  # aiohttp refuses a frame this long
    )
    if ws.can_prepare(request).protocol != SUBPROTOCOL:
        raise web.HTTPBadRequest(text="offer the 'xmpp' WebSocket subprotocol (RFC 7395)")
    await ws.prepare(request)
    ip = client_ip(request, app[PROXIES])
    limits = BridgeLimits(settings.max_stanza_bytes, settings.idle_timeout_s,
                          settings.session_timeout_s)
    bridge = WebSocketBridge(ws, ip, app[LIMITER], app[UPSTREAM], limits)
    bridge.on_bound = lambda jid: app[BLOCKS].bound(
        jid, ip, lambda: bridge.fail("policy-violation", ENDED))
    bridge.admits = lambda to: _blocked(app, ip, to)
    ws.before_too_big = lambda: bridge.fail(
        "policy-violation", f"larger than the {settings.max_stanza_bytes} bytes allowed")
    await _admit_and_run(app, bridge, ip)
    return ws


async def _admit_and_run(app: web.Application, bridge: WebSocketBridge, ip: str) -> None:
    # Refused after the handshake, with a stream error: a browser script cannot read the
    # HTTP status of a failed handshake, but the XMPP library shows a stream error.
    limiter = app[LIMITER]
    refusal = (limiter.open_session(ip) if limiter.allow_request(ip)
               else refusals.REQUESTS_PER_ADDRESS)
    if refusal is not None:
        app[REFUSALS].refused(refusal, ip)
        await bridge.fail(refusal.condition, refusal.text)
        return
    try:
        with app[WEBSOCKETS].tracking(bridge):
            await bridge.run()
    finally:
        limiter.close_session(ip)


def _blocked(app: web.Application, ip: str, to: str) -> refusals.Refusal | None:
    """BLOCKED for a patron's stream from a blocked address; staff streams pass."""
    if not app[BLOCKS].refuses_stream(ip, to):
        return None
    app[REFUSALS].refused(refusals.BLOCKED, ip)
    return refusals.BLOCKED
