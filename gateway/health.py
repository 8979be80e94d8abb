"""/health: whether the library's XMPP server takes connections, for monitors and the lab."""

from __future__ import annotations

import asyncio
from typing import Final

from aiohttp import web

from gateway.keys import SETTINGS
from refdesk.settings import Settings

PROBE_TIMEOUT_S: Final = 2.0


async def _server_reachable(settings: Settings) -> bool:
    try:
        _, writer = await asyncio.wait_for(
            asyncio.open_connection(settings.server.address,
                                    settings.server.c2s_direct_tls_port),
            PROBE_TIMEOUT_S,
        )
    except (TimeoutError, OSError):
        return False
    writer.close()
    await writer.wait_closed()
    return True


async def health(request: web.Request) -> web.Response:
    """200 while the library's XMPP server takes the gateway's connections, 503 otherwise."""
    settings = request.app[SETTINGS]
    reachable = await _server_reachable(settings)
    body = {"domain": settings.library.domain, "xmpp": "up" if reachable else "down"}
    return web.json_response(body, status=200 if reachable else 503)
