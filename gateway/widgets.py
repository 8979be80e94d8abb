"""The patron widget: its script, its public settings, and a sample library page for each."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Final

import jinja2
from aiohttp import web

from gateway.keys import SETTINGS, TEMPLATES, WIDGET_STATUS, WIDGETS
from refdesk.db.stores.widgets import PublicWidget

WEB_DIR: Final = Path(__file__).resolve().parents[1] / "web"
# Built by `npm run build` (scripts/bootstrap.sh runs it) from web/src.
SCRIPT: Final = WEB_DIR / "static" / "widget.js"
# Short enough that a new build reaches patrons within minutes, long enough to spare the
# gateway a download on every page view.
SCRIPT_MAX_AGE_S: Final = 300


def template_environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(WEB_DIR / "templates"),
        autoescape=jinja2.select_autoescape(), undefined=jinja2.StrictUndefined,
    )


async def _widget(request: web.Request) -> PublicWidget:
    widget = await request.app[WIDGETS].public(request.match_info["widget_id"])
    if widget is None:
        raise web.HTTPNotFound(text="no such widget")
    return widget


async def script(request: web.Request) -> web.StreamResponse:
    """/widget.js, the embeddable script."""
    if not SCRIPT.is_file():
        raise web.HTTPServiceUnavailable(text="the widget is not built: run npm run build")
    return web.FileResponse(SCRIPT, headers={
        "Cache-Control": f"public, max-age={SCRIPT_MAX_AGE_S}",
        "Content-Type": "text/javascript; charset=utf-8",
    })


async def config(request: web.Request) -> web.Response:
    """/widgets/<id>: the widget's settings for the script, readable from any page."""
    widget = await _widget(request)
    settings = request.app[SETTINGS]
    body = asdict(widget) | {
        "guest_host": f"guest.{settings.library.domain}",
        "websocket": "/xmpp-websocket", "bosh": "/http-bind",
        # Where the widget searches the library's public FAQs as the patron types; null
        # where no faq component runs, and the widget suggests nothing.
        "faq": f"faq.{settings.library.domain}" if "faq" in settings.components.enabled
        else None,
    }
    return web.json_response(body, headers={"Access-Control-Allow-Origin": "*"})


async def status(request: web.Request) -> web.Response:
    """/widgets/<id>/status: online or offline, as the queue last pushed it; 503 until the
    queue has answered (the library's server or queue is down)."""
    widget = await _widget(request)
    online = await request.app[WIDGET_STATUS].online(widget.id)
    return web.json_response({"widget": widget.id, "online": online},
                             status=503 if online is None else 200,
                             headers={"Access-Control-Allow-Origin": "*",
                                      "Cache-Control": "no-store"})


async def demo(request: web.Request) -> web.Response:
    """/demo/<id>: a sample library page with the widget embedded, as a library would."""
    widget = await _widget(request)
    page = request.app[TEMPLATES].get_template("demo.html").render(
        widget=widget, gateway=f"{request.scheme}://{request.host}",
        transport=request.query.get("transport"),
    )
    return web.Response(text=page, content_type="text/html")
