"""The gateway's URLs."""

from __future__ import annotations

from aiohttp import web

from gateway import bosh, console, widgets
from gateway.health import health
from gateway.websocket import xmpp_websocket


def setup_routes(app: web.Application) -> None:
    app.router.add_get("/health", health)
    app.router.add_get("/xmpp-websocket", xmpp_websocket)
    app.router.add_post("/http-bind", bosh.http_bind)
    app.router.add_route("OPTIONS", "/http-bind", bosh.preflight)
    app.router.add_get("/widget.js", widgets.script)
    app.router.add_get("/widgets/{widget_id}", widgets.config)
    app.router.add_get("/widgets/{widget_id}/status", widgets.status)
    app.router.add_get("/demo/{widget_id}", widgets.demo)
    app.router.add_get("/console", console.page)
    app.router.add_get("/console/{name}", console.asset)
