"""The gateway's listening socket: each accepted connection is counted before aiohttp sees it,
and one over a cap gets a short HTTP answer (429 or 503) and is closed.

aiohttp has no connection cap of its own. Its sites are the extension point for how
connections are accepted, so GuardedSite is one: it gives every connection a GuardedConnection,
which either hands it to aiohttp's protocol or refuses it without building one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Final

from aiohttp import web

from gateway.connections import ConnectionCounter
from gateway.refusals import Refusal, RefusalLog

log = logging.getLogger(__name__)

LINGER_S: Final = 2.0  # for a refused client to read its answer before the socket closes
MAX_LINGERING: Final = 64  # refused sockets left open meanwhile; past it they close at once
# Connections waiting to be accepted, and how many asyncio accepts at once: that many sockets
# are open before any of them can be refused.
BACKLOG: Final = 128
RETRY_AFTER_S: Final = 10


def refusal_answer(refusal: Refusal) -> bytes:
    """A whole HTTP/1.1 response, written before the request is read."""
    text = f"{refusal.text}\n".encode()
    return (
        f"HTTP/1.1 {refusal.status} {HTTPStatus(refusal.status).phrase}\r\n"
        f"Content-Type: text/plain; charset=utf-8\r\nContent-Length: {len(text)}\r\n"
        f"Retry-After: {RETRY_AFTER_S}\r\nConnection: close\r\n\r\n"
    ).encode() + text


@dataclass
class Admission:
    """What every connection of one site shares: the count, the log, aiohttp's protocol."""

    counter: ConnectionCounter
    refusals: RefusalLog
    protocol: Callable[[], asyncio.Protocol]
    lingering: int = 0


class GuardedConnection(asyncio.Protocol):
    """One accepted connection: counted and handed to aiohttp, or answered and closed."""

    def __init__(self, admission: Admission) -> None:
        self._admission = admission
        self._inner: asyncio.Protocol | None = None
        self._address = ""
        self._linger: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        peer = transport.get_extra_info("peername")
        self._address = str(peer[0]) if isinstance(peer, tuple) else ""
        refusal = self._admission.counter.admit(self._address)
        if refusal is not None:
            self._refuse(refusal, transport)
            return
        self._inner = self._admission.protocol()
        self._inner.connection_made(transport)

    def data_received(self, data: bytes) -> None:
        if self._inner is not None:
            self._inner.data_received(data)

    def eof_received(self) -> bool | None:
        # A refused client that has read its answer: None closes the socket.
        return self._inner.eof_received() if self._inner is not None else None

    def pause_writing(self) -> None:
        if self._inner is not None:
            self._inner.pause_writing()

    def resume_writing(self) -> None:
        if self._inner is not None:
            self._inner.resume_writing()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._inner is not None:
            self._admission.counter.release(self._address)
            self._inner.connection_lost(exc)
        elif self._linger is not None:
            self._linger.cancel()
            self._admission.lingering -= 1

    def _refuse(self, refusal: Refusal, transport: asyncio.BaseTransport) -> None:
        admission = self._admission
        admission.refusals.refused(refusal, self._address)
        assert isinstance(transport, asyncio.WriteTransport)
        transport.write(refusal_answer(refusal))
        # Closing a socket with the client's request unread resets it, and the client may lose
        # the answer: half-close, drop what comes, close when it does or after LINGER_S.
        if admission.lingering >= MAX_LINGERING or not transport.can_write_eof():
            transport.close()
            return
        transport.write_eof()
        admission.lingering += 1
        self._linger = asyncio.get_running_loop().call_later(LINGER_S, transport.close)


class GuardedSite(web.BaseSite):
    """A TCP site whose connections are counted, and capped, as they are accepted."""

    def __init__(self, runner: web.BaseRunner, host: str, port: int,
                 counter: ConnectionCounter, refusals: RefusalLog, backlog: int = BACKLOG) -> None:
        super().__init__(runner, backlog=backlog)
        self._host, self._port = host, port
        self._counter, self._refusals = counter, refusals

    @property
    def name(self) -> str:
        return f"http://{self._host}:{self._port}"

    async def start(self) -> None:
        await super().start()
        protocol = self._runner.server
        assert protocol is not None  # the runner was set up before the site was made
        admission = Admission(self._counter, self._refusals, protocol)
        self._server = await asyncio.get_running_loop().create_server(
            lambda: GuardedConnection(admission), self._host, self._port,
            backlog=self._backlog, reuse_address=True)
