"""The gateway's aiohttp application: BOSH and WebSocket to the library's server, the widget,
and health."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from gateway.api.setup import setup_api
from gateway.blocks import BlockWatch
from gateway.boshregistry import BoshRegistry
from gateway.keys import (
    BLOCKS,
    BOSH_SESSIONS,
    DATABASE,
    LIMITER,
    ORIGINS,
    PROXIES,
    REFUSALS,
    SETTINGS,
    TEMPLATES,
    UPSTREAM,
    WEBSOCKETS,
    WIDGET_STATUS,
    WIDGETS,
)
from gateway.limits import IpLimiter, parse_networks
from gateway.origins import OriginPolicy
from gateway.refusals import RefusalLog
from gateway.routes import setup_routes
from gateway.upstream import UpstreamConfig, tls_context, trim_tls_buffers
from gateway.widgets import template_environment
from gateway.widgetstatus import WidgetStatusWatcher
from gateway.wsbridge import WebSocketSessions
from gateway.xmlguard import check_parser
from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.models import RevisionScope
from refdesk.db.stores.blocks import BlockStore
from refdesk.db.stores.revisions import RevisionStore
from refdesk.db.stores.widgets import WidgetStore
from refdesk.settings import Settings

log = logging.getLogger(__name__)


def create_app(settings: Settings) -> web.Application:
    """The gateway for one library; raises ParserTooOld on an unsafe libxml2."""
    check_parser()
    trim_tls_buffers()
    gateway = settings.gateway
    app = web.Application()
    app[SETTINGS] = settings
    app[LIMITER] = IpLimiter(gateway.max_sessions_per_ip, gateway.max_requests_per_minute_per_ip,
                             gateway.max_sessions, gateway.ipv6_prefix_length)
    app[REFUSALS] = RefusalLog()
    app[PROXIES] = parse_networks(gateway.trusted_proxies)
    app[UPSTREAM] = UpstreamConfig(
        settings.server.address, settings.server.c2s_direct_tls_port,
        settings.library.domain, tls_context(settings.server.ca_file),
    )
    app[WEBSOCKETS] = WebSocketSessions()
    app[TEMPLATES] = template_environment()
    app.cleanup_ctx.extend((_database, _bosh_sessions, _widget_status))
    app.on_shutdown.append(_end_sessions)
    app.on_cleanup.append(_log_refusals)
    setup_routes(app)
    setup_api(app)
    return app


async def _database(app: web.Application) -> AsyncIterator[None]:
    engine = create_engine(app[SETTINGS].database.url)
    sessions = app[DATABASE] = create_sessionmaker(engine)
    widgets = app[WIDGETS] = WidgetStore(sessions)
    revisions = RevisionStore(sessions)
    app[ORIGINS] = OriginPolicy(widgets,
                                revision=lambda: revisions.current(RevisionScope.DIRECTORY))
    blocks = app[BLOCKS] = BlockWatch(
        BlockStore(sessions), app[SETTINGS].components.secret.get_secret_value(),
        app[SETTINGS].library.domain, lambda: revisions.current(RevisionScope.BLOCKS),
        ipv6_prefix=app[SETTINGS].gateway.ipv6_prefix_length)
    watching = asyncio.create_task(blocks.run(), name="blocked patrons")
    yield
    watching.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await watching
    await engine.dispose()


async def _widget_status(app: web.Application) -> AsyncIterator[None]:
    watcher = app[WIDGET_STATUS] = WidgetStatusWatcher(app[SETTINGS])
    # A co-op's coordinating host has no widgets, nor the guest host to watch them from.
    if app[SETTINGS].library.kind != "coordinating":
        watcher.start()
    yield
    await watcher.stop()


async def _bosh_sessions(app: web.Application) -> AsyncIterator[None]:
    registry = app[BOSH_SESSIONS] = BoshRegistry(
        app[LIMITER], app[SETTINGS].gateway.session_timeout_s)
    sweeper = asyncio.create_task(registry.sweep_forever(), name="bosh sweeper")
    yield
    sweeper.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await sweeper


async def _end_sessions(app: web.Application) -> None:
    # Runs before aiohttp waits for the handlers, which only return once their WebSocket is
    # closed or their held BOSH request answered: tell every patron instead of making them wait.
    await app[WEBSOCKETS].close_all()
    await app[BOSH_SESSIONS].close_all()


async def _log_refusals(app: web.Application) -> None:
    app[REFUSALS].flush()
