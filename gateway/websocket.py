"""RFC 7395 at /xmpp-websocket: admission (origin, subprotocol, per-IP limits), then a bridge."""

from __future__ import annotations

import logging
from typing import Final

from aiohttp import web

from gateway import refusals
from gateway.keys import LIMITER, ORIGINS, PROXIES, REFUSALS, SETTINGS, UPSTREAM, WEBSOCKETS
from gateway.limits import client_ip
from gateway.wsbridge import BridgeLimits, WebSocketBridge

log = logging.getLogger(__name__)

SUBPROTOCOL: Final = "xmpp"
# aiohttp's own cap, a backstop: frames between max_stanza_bytes and this get a stream error,
# bigger ones a bare WebSocket close (1009), since aiohttp must buffer a frame to see its end.
FRAME_BACKSTOP_FACTOR: Final = 4


async def xmpp_websocket(request: web.Request) -> web.StreamResponse:
    app = request.app
    # RFC 6455 section 10.2: a page from an origin we do not serve gets 403 at the handshake.
    if not await app[ORIGINS].allows(request.headers.get("Origin"), request.host):
        log.info("WebSocket refused: origin not allowed")
        raise web.HTTPForbidden(text="this page's origin may not use this chat service")
    settings = app[SETTINGS].gateway
    ws = web.WebSocketResponse(
        protocols=(SUBPROTOCOL,), compress=False, decode_text=False, autoping=True,
        max_msg_size=settings.max_stanza_bytes * FRAME_BACKSTOP_FACTOR,
    )
    if ws.can_prepare(request).protocol != SUBPROTOCOL:
        raise web.HTTPBadRequest(text="offer the 'xmpp' WebSocket subprotocol (RFC 7395)")
    await ws.prepare(request)
    ip = client_ip(request, app[PROXIES])
    limits = BridgeLimits(settings.max_stanza_bytes, settings.idle_timeout_s,
                          settings.session_timeout_s)
    bridge = WebSocketBridge(ws, ip, app[LIMITER], app[UPSTREAM], limits)
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
