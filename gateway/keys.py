"""The gateway app's shared state, one typed key each (set up in gateway.app)."""

from __future__ import annotations

import jinja2
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.blocks import BlockWatch
from gateway.boshregistry import BoshRegistry
from gateway.limits import IpLimiter, IpNetwork
from gateway.origins import OriginPolicy
from gateway.refusals import RefusalLog
from gateway.upstream import UpstreamConfig
from gateway.widgetstatus import WidgetStatusWatcher
from gateway.wsbridge import WebSocketSessions
from refdesk.db.stores.widgets import WidgetStore
from refdesk.settings import Settings

SETTINGS = web.AppKey("settings", Settings)
LIMITER = web.AppKey("limiter", IpLimiter)
REFUSALS = web.AppKey("refusals", RefusalLog)
PROXIES = web.AppKey("trusted_proxies", tuple[IpNetwork, ...])
ORIGINS = web.AppKey("origins", OriginPolicy)
UPSTREAM = web.AppKey("upstream", UpstreamConfig)
BOSH_SESSIONS = web.AppKey("bosh_sessions", BoshRegistry)
WEBSOCKETS = web.AppKey("websockets", WebSocketSessions)
TEMPLATES = web.AppKey("templates", jinja2.Environment)
WIDGETS = web.AppKey("widgets", WidgetStore)
WIDGET_STATUS = web.AppKey("widget_status", WidgetStatusWatcher)
BLOCKS = web.AppKey("blocks", BlockWatch)
DATABASE: web.AppKey[async_sessionmaker[AsyncSession]] = web.AppKey("database")
