"""The gateway's aiohttp application: health now; BOSH, WebSocket and the widget next."""

from __future__ import annotations

import asyncio

from aiohttp import web

from refdesk.settings import Settings

SETTINGS = web.AppKey("settings", Settings)
PROBE_TIMEOUT_S = 2.0


async def _server_reachable(settings: Settings) -> bool:
    try:
        _, writer = await asyncio.wait_for(
            asyncio.open_connection(settings.server.address, settings.server.c2s_port),
            PROBE_TIMEOUT_S,
        )
    except (TimeoutError, OSError):
        return False
    writer.close()
    await writer.wait_closed()
    return True


async def health(request: web.Request) -> web.Response:
    """200 while the library's XMPP server takes connections, 503 otherwise."""
    settings = request.app[SETTINGS]
    reachable = await _server_reachable(settings)
    body = {"domain": settings.library.domain, "xmpp": "up" if reachable else "down"}
    return web.json_response(body, status=200 if reachable else 503)


def create_app(settings: Settings) -> web.Application:
    app = web.Application()
    app[SETTINGS] = settings
    app.router.add_get("/health", health)
    return app
