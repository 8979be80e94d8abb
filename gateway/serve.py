"""`refdesk gateway`: serve the gateway app until SIGTERM or SIGINT."""

from __future__ import annotations

import asyncio
import logging
import signal
from pathlib import Path

from aiohttp import web

from gateway.app import create_app
from gateway.connections import ConnectionCounter
from gateway.descriptors import fit_open_files
from gateway.keys import PROXIES, REFUSALS
from gateway.listener import GuardedSite
from gateway.xmlguard import ParserTooOld
from refdesk.settings import Settings

log = logging.getLogger(__name__)


async def serve(settings: Settings, ready_file: Path | None = None) -> None:
    settings = settings.model_copy(update={"gateway": fit_open_files(settings.gateway)})
    try:
        app = create_app(settings)
    except ParserTooOld as error:
        log.error("refusing to start: %s", error)
        raise SystemExit(1) from None
    runner = await _runner(app, settings)
    gateway = settings.gateway
    counter = ConnectionCounter(gateway.max_connections_per_ip, gateway.max_connections,
                                gateway.ipv6_prefix_length, app[PROXIES])
    site = GuardedSite(runner, gateway.address, gateway.port, counter, app[REFUSALS])
    await site.start()
    log.info("gateway listening on http://%s:%d", settings.gateway.address, settings.gateway.port)
    if ready_file is not None:
        ready_file.write_text(f"http://{settings.gateway.address}:{settings.gateway.port}\n")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await runner.cleanup()


async def _runner(app: web.Application, settings: Settings) -> web.AppRunner:
    # aiohttp closes a connection that has not sent a whole request head keepalive_timeout
    # after it opened or was last answered: the header timeout, and the keep-alive one too.
    runner = web.AppRunner(app, access_log=None,
                           keepalive_timeout=settings.gateway.header_timeout_s)
    await runner.setup()
    return runner
