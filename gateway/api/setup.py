"""The API's URLs and its state in the gateway app."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from functools import partial

from aiohttp import web

from gateway.api import views
from gateway.api.access import ApiAccess
from gateway.api.credentials import FailedLogins
from gateway.api.keys import API, API_COOPS
from gateway.api.link import ServerAddress, XmppLink
from gateway.api.openapi import openapi
from gateway.api.sessions import ApiSessions
from gateway.keys import DATABASE, LIMITER, PROXIES, SETTINGS
from refdesk.db.stores.coopregistries import CoopRegistryStore

PREFIX = "/api/v0"


def setup_api(app: web.Application) -> None:
    app.cleanup_ctx.append(_api)
    app.router.add_get(f"{PREFIX}/openapi.json", openapi)
    app.router.add_get(f"{PREFIX}/report", views.library_report)
    app.router.add_get(f"{PREFIX}/dashboard", views.dashboard)
    app.router.add_get(f"{PREFIX}/coops/{{coop}}/report", views.coop_report)
    app.router.add_get(f"{PREFIX}/coops/{{coop}}/activity", views.activity)
    app.router.add_get(f"{PREFIX}/coops/{{coop}}/contribution", views.contribution)
    app.router.add_get(f"{PREFIX}/coops/{{coop}}/schedule", views.schedule)


async def _api(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    server = ServerAddress(settings.server.address, settings.server.c2s_direct_tls_port,
                           settings.server.ca_file)
    gateway = settings.gateway
    sessions = ApiSessions(partial(XmppLink.login, server), gateway.api_session_idle_s,
                           gateway.api_max_sessions)
    failures = FailedLogins(gateway.api_max_failed_logins,
                            ipv6_prefix=gateway.ipv6_prefix_length)
    app[API] = ApiAccess(settings.library.domain, sessions, failures, app[LIMITER],
                         app[PROXIES])
    app[API_COOPS] = CoopRegistryStore(app[DATABASE])
    sweeping = asyncio.create_task(sessions.sweep_forever(), name="API sessions")
    yield
    sweeping.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await sweeping
    await sessions.close_all()
