"""The librarians' console: its page and its bundle (web/src/console, built into web/static).

The page carries no inline script or style, so its Content-Security-Policy can allow only
this gateway: the bundle, its stylesheet, and XMPP over this gateway's own WebSocket and BOSH
(gateway.origins admits the gateway's own origin, and no other page but the widgets').
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from aiohttp import web

from gateway.keys import SETTINGS, TEMPLATES
from gateway.widgets import SCRIPT_MAX_AGE_S, WEB_DIR

ASSETS: Final = {
    "console.js": "text/javascript; charset=utf-8",
    "console.css": "text/css; charset=utf-8",
}
STATIC: Final = WEB_DIR / "static"


def content_security_policy(host: str, secure: bool) -> str:
    """Only this gateway: scripts, styles, XMPP connections; no frames, forms or plug-ins."""
    # CSP 2 browsers do not count ws: and wss: as 'self'; plain ws: only for a plain-HTTP page.
    websocket = f"wss://{host}" if secure else f"wss://{host} ws://{host}"
    return "; ".join((
        "default-src 'none'", "script-src 'self'", "style-src 'self'",
        f"connect-src 'self' {websocket}", "img-src 'self' data:",
        "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
    ))


async def page(request: web.Request) -> web.Response:
    """/console: the console's page for this library's librarians."""
    library = request.app[SETTINGS].library
    html = request.app[TEMPLATES].get_template("console.html").render(
        domain=library.domain, library_name=library.name)
    return web.Response(text=html, content_type="text/html", headers={
        "Content-Security-Policy": content_security_policy(request.host, request.secure),
        "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
    })


async def asset(request: web.Request) -> web.StreamResponse:
    """/console/<console.js|console.css>, built by `npm run build`."""
    name = request.match_info["name"]
    path: Path = STATIC / name
    if name not in ASSETS:
        raise web.HTTPNotFound()
    if not path.is_file():
        raise web.HTTPServiceUnavailable(text="the console is not built: run npm run build")
    return web.FileResponse(path, headers={
        "Cache-Control": f"public, max-age={SCRIPT_MAX_AGE_S}",
        "Content-Type": ASSETS[name], "X-Content-Type-Options": "nosniff",
    })
