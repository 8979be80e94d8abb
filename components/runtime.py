"""Keeps a component connected: back-off while its server is away, reconnect when it returns."""

from __future__ import annotations

import asyncio
import logging

from components.base import RefdeskComponent

log = logging.getLogger(__name__)

FIRST_RETRY_S = 0.25
ATTEMPT_TIMEOUT_S = 10.0


class ConnectionSupervisor:
    """Runs one component's connection until stop(), retrying with capped exponential back-off.

    slixmpp retries a failed first connection by itself (up to 300 s apart) but never
    reconnects a stream that was lost; a library's queue must come back within seconds
    of its server, so the supervisor owns both.
    """

    def __init__(self, component: RefdeskComponent, max_delay_s: float) -> None:
        self.component = component
        self.max_delay_s = max_delay_s
        self.connected = asyncio.Event()
        self._stopping = False

    async def run(self) -> None:
        delay = FIRST_RETRY_S
        while not self._stopping:
            if await self._attempt():
                delay = FIRST_RETRY_S
                self.connected.set()
                await self._until_disconnected()
                self.connected.clear()
                log.warning("%s lost its connection; reconnecting", self.component.boundjid)
                continue
            if self._stopping:
                break
            log.info("%s cannot connect yet; retrying in %.2f s", self.component.boundjid, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, self.max_delay_s)

    async def stop(self) -> None:
        self._stopping = True
        self.component.close()
        self.component.cancel_connection_attempt()
        await self.component.disconnect(wait=1.0)

    async def _attempt(self) -> bool:
        """One connection attempt: True once the server accepted the component handshake."""
        outcome: asyncio.Future[bool] = asyncio.get_running_loop().create_future()

        def settle(result: bool) -> None:
            if not outcome.done():
                outcome.set_result(result)

        events = {
            "session_start": lambda _: settle(True),
            "connection_failed": lambda _: settle(False),
            "disconnected": lambda _: settle(False),
        }
        for event, handler in events.items():
            self.component.add_event_handler(event, handler)
        try:
            self.component.connect()
            return await asyncio.wait_for(outcome, ATTEMPT_TIMEOUT_S)
        except TimeoutError:
            return False
        finally:
            for event, handler in events.items():
                self.component.del_event_handler(event, handler)
            if not outcome.done() or not outcome.result():
                self.component.cancel_connection_attempt()

    async def _until_disconnected(self) -> None:
        lost: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def on_disconnected(_: object) -> None:
            if not lost.done():
                lost.set_result(None)

        self.component.add_event_handler("disconnected", on_disconnected, disposable=True)
        await lost
