"""One BOSH session (XEP-0124, XEP-0206): held requests, the server's data waiting for them,
request ids in order, and the XMPP stream to the server behind it.

The server's data waits for the patron's next request in the gateway's memory, so only up to
a cap: past it, the session reads no more of its stream until the patron collects what waits.
The server's writes then wait in TCP and in the server, which has limits of its own, and a
patron who stops polling costs the gateway a bounded amount until inactivity ends the session.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from gateway.framing import STREAM_ERROR_TAG, STREAM_NS, attributes
from gateway.limits import Clock
from gateway.ridwindow import RidWindow
from gateway.upstream import Upstream
from gateway.xmlguard import StreamClosed, StreamElement, StreamOpened, XmlRefused

log = logging.getLogger(__name__)

BOSH_NS: Final = "http://jabber.org/protocol/httpbind"
XBOSH_NS: Final = "urn:xmpp:xbosh"
BOSH_VERSION: Final = "1.6"
MAX_PENDING_BYTES: Final = 256 * 1024
_BODY_OPEN: Final = f'<body xmlns="{BOSH_NS}" xmlns:stream="{STREAM_NS}" xmlns:xmpp="{XBOSH_NS}"'


@dataclass(frozen=True)
class BoshRequest:
    """What one <body/> asks for; `stanzas` are serialized, ready for the server."""

    rid: int
    stanzas: tuple[bytes, ...] = ()
    restart: bool = False
    terminate: bool = False


@dataclass(frozen=True)
class BoshParams:
    """What the session creation response promised (XEP-0124 section 7.1)."""

    to: str
    lang: str | None
    wait: float
    hold: int
    inactivity: float
    polling: float

    @property
    def requests(self) -> int:
        return self.hold + 1


@dataclass
class _Held:
    rid: int
    answer: asyncio.Future[bytes]
    timer: asyncio.TimerHandle


class BoshSession:
    """A patron's session; `on_end` is called once when it is over, whatever ended it."""

    def __init__(self, sid: str, ip: str, upstream: Upstream, params: BoshParams,
                 first_rid: int, clock: Clock = time.monotonic,
                 max_pending: int = MAX_PENDING_BYTES) -> None:
        self.sid, self.ip, self.params = sid, ip, params
        self._upstream, self._first_rid, self._clock = upstream, first_rid, clock
        self._window: RidWindow[BoshRequest, asyncio.Future[bytes]] = RidWindow(
            first_rid - 1, params.requests)
        self._held: deque[_Held] = deque()
        self._outbox: list[bytes] = []
        self._pending, self._max_pending = 0, max_pending  # bytes in _outbox, and the cap
        self._collected = asyncio.Event()
        self._stream: dict[str, str] = {}
        self._ended: str | None = None  # the terminate condition; "" for a plain terminate
        self._lock = asyncio.Lock()
        self._in_flight = 0
        self.started = self.last_activity = clock()
        self._pump: asyncio.Task[None] | None = None
        self.on_end: Callable[[BoshSession], None] = lambda session: None

    def start(self) -> None:
        self._pump = asyncio.create_task(self._read_server(), name=f"bosh {self.sid[:6]}")

    @property
    def _patience(self) -> float:
        return self.params.wait + self.params.inactivity

    def idle_for(self, now: float) -> float:
        """Seconds without any request outstanding (0 while one is)."""
        return 0.0 if self._in_flight else now - self.last_activity

    async def handle(self, request: BoshRequest) -> bytes:
        """The response body to `request`; raises RidRejected for a rid outside the window."""
        self._in_flight += 1
        self.last_activity = self._clock()
        try:
            answer = self._window.known(request.rid)
            if answer is None:
                if self._ended is not None:
                    return self._body([], creation=False)
                answer = asyncio.get_running_loop().create_future()
                self._window.admit(request.rid, request, answer)
                await self._execute_ready()
            # Shielded: a retransmission may be waiting for the same answer.
            return await asyncio.wait_for(asyncio.shield(answer), self._patience)
        except TimeoutError:
            # Only a request still waiting for a missing rid gets here: the client has had
            # longer than its wait and our inactivity period to send that one again.
            await self.terminate("item-not-found")
            return self._body([], creation=False)
        finally:
            self._in_flight -= 1
            self.last_activity = self._clock()

    async def terminate(self, condition: str) -> None:
        """End the session now: answer every held request with `condition`, close upstream."""
        self._end(condition)
        await self._upstream.close()

    async def _execute_ready(self) -> None:
        async with self._lock:  # requests run one at a time, in rid order
            for rid, request, answer in self._window.take_ready():
                await self._execute(request)
                self._hold(rid, answer)

    async def _execute(self, request: BoshRequest) -> None:
        if self._ended is not None:
            return
        if request.restart and not self._upstream.restart_stream(self.params.to,
                                                                 self.params.lang):
            self._end("bad-request")  # a restart before SASL success
            return
        for stanza in request.stanzas:
            self._upstream.send(stanza)
        if request.terminate:
            self._upstream.end_stream()
            self._end("")
        try:
            await self._upstream.drain()
        except (OSError, ssl.SSLError):
            self._end("remote-connection-failed")

    def _hold(self, rid: int, answer: asyncio.Future[bytes]) -> None:
        timer = asyncio.get_running_loop().call_later(self.params.wait, self._expire, rid)
        self._held.append(_Held(rid, answer, timer))
        self._flush()

    def _expire(self, rid: int) -> None:
        for held in list(self._held):
            if held.rid == rid:
                self._held.remove(held)
                self._answer(held)

    def _flush(self) -> None:
        """Answer held requests while there is data, the session is over, or too many wait."""
        while self._held and (self._outbox or self._ended is not None
                              or len(self._held) > self.params.hold):
            held = self._held.popleft()
            held.timer.cancel()
            self._answer(held)

    def _answer(self, held: _Held) -> None:
        payload, self._outbox, self._pending = self._outbox, [], 0
        self._collected.set()
        if not held.answer.done():
            held.answer.set_result(self._body(payload, creation=held.rid == self._first_rid))

    def _end(self, condition: str) -> None:
        if self._ended is None:
            self._ended = condition
        self._collected.set()  # the reader must not wait for a patron who is gone
        self._flush()
        for answer in self._window.drop_waiting():
            if not answer.done():
                answer.set_result(self._body([], creation=False))

    async def _read_server(self) -> None:
        try:
            async for event in self._upstream.events():
                if isinstance(event, StreamOpened):
                    self._stream = event.attributes
                elif isinstance(event, StreamElement):
                    self._outbox.append(event.xml)
                    self._pending += len(event.xml)
                    if event.element.tag == STREAM_ERROR_TAG:
                        self._end("remote-stream-error")  # XEP-0206 section 6
                elif isinstance(event, StreamClosed):
                    self._end("")
                self._flush()
                await self._collection()
        except (OSError, ssl.SSLError, XmlRefused) as error:
            log.info("BOSH session's server stream failed: %s", error)
            self._end("remote-connection-failed")
        finally:
            self._end("remote-connection-failed")
            with contextlib.suppress(OSError, ssl.SSLError):
                await self._upstream.close()
            self.on_end(self)

    async def _collection(self) -> None:
        """Wait, reading nothing more, while more than the cap waits for the patron."""
        while self._pending > self._max_pending and self._ended is None:
            self._collected.clear()
            await self._collected.wait()

    def _body(self, payload: list[bytes], creation: bool) -> bytes:
        shown: dict[str, str | None] = self._creation_attributes() if creation else {}
        if self._ended is not None:
            shown |= {"type": "terminate", "condition": self._ended or None}
        return b"".join((f"{_BODY_OPEN}{attributes(shown)}>".encode(), *payload, b"</body>"))

    def _creation_attributes(self) -> dict[str, str | None]:
        params = self.params
        return {
            "sid": self.sid, "wait": f"{params.wait:g}", "inactivity": f"{params.inactivity:g}",
            "polling": f"{params.polling:g}", "requests": str(params.requests),
            "hold": str(params.hold), "ver": BOSH_VERSION, "from": params.to,
            "authid": self._stream.get("id"), "xmpp:version": "1.0",
            "xmpp:restartlogic": "true",
        }
