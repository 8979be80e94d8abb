"""`refdesk gateway`: serve the gateway app until SIGTERM or SIGINT."""

from __future__ import annotations

import asyncio
import logging
import signal
from pathlib import Path

from aiohttp import web

from gateway.app import create_app
from gateway.xmlguard import ParserTooOld
from refdesk.settings import Settings

log = logging.getLogger(__name__)


async def serve(settings: Settings, ready_file: Path | None = None) -> None:
    try:
        app = create_app(settings)
    except ParserTooOld as error:
        log.error("refusing to start: %s", error)
        raise SystemExit(1) from None
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, settings.gateway.address, settings.gateway.port)
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
