"""`refdesk serve`: all of one deployment's components in one process."""

from __future__ import annotations

import asyncio
import logging
import signal
from pathlib import Path

from components.registry import COMPONENTS
from components.runtime import ConnectionSupervisor
from refdesk.settings import Settings

log = logging.getLogger(__name__)


def build_supervisors(settings: Settings) -> list[ConnectionSupervisor]:
    return [
        ConnectionSupervisor(
            COMPONENTS[name](settings),
            settings.components.reconnect_max_delay,
        )
        for name in settings.components.enabled
    ]


async def serve(settings: Settings, ready_file: Path | None = None) -> None:
    """Run until SIGTERM or SIGINT; touch ready_file once every component is connected and
    set up (rooms joined and configured, registries heard)."""
    supervisors = build_supervisors(settings)
    runs = [asyncio.create_task(supervisor.run()) for supervisor in supervisors]
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await _announce_ready(supervisors, stop, ready_file)
    await stop.wait()
    log.info("stopping %d components", len(supervisors))
    await asyncio.gather(*(supervisor.stop() for supervisor in supervisors))
    for run in runs:
        run.cancel()
    await asyncio.gather(*runs, return_exceptions=True)


async def _announce_ready(supervisors: list[ConnectionSupervisor], stop: asyncio.Event,
                          ready_file: Path | None) -> None:
    ready: list[asyncio.Task[object]] = [asyncio.create_task(_set_up(s)) for s in supervisors]
    stopped = asyncio.create_task(stop.wait())
    waiting = set(ready)
    while waiting and not stopped.done():
        _, waiting = await asyncio.wait(waiting | {stopped}, return_when=asyncio.FIRST_COMPLETED)
        waiting.discard(stopped)
    for task in (*ready, stopped):
        task.cancel()
    if waiting:
        return
    names = ", ".join(str(s.component.boundjid) for s in supervisors)
    log.info("ready: %s", names)
    if ready_file is not None:
        ready_file.write_text(names + "\n")


async def _set_up(supervisor: ConnectionSupervisor) -> None:
    await supervisor.connected.wait()
    await supervisor.component.until_set_up()
