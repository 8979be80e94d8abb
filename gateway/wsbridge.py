"""One RFC 7395 session: a browser's WebSocket frames bridged to an XMPP stream to the server.

Each client frame is one complete element, parsed on its own: <open/> opens (or, after SASL
success, restarts) the server stream with a <stream:stream> header; <close/> ends it with
</stream:stream>; anything else is a stanza, forwarded re-serialized. The server's stream is
parsed incrementally and cut back into frames: its header becomes <open/>, each top-level
element one frame, its </stream:stream> a <close/>.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import ssl
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Final

from aiohttp import WSMsgType, web

from gateway import refusals
from gateway.framing import (
    CLOSE_FRAME,
    CLOSE_TAG,
    OPEN_TAG,
    XML_LANG,
    open_frame,
    stream_error,
)
from gateway.limits import Clock, IpLimiter
from gateway.upstream import Upstream, UpstreamConfig, UpstreamError
from gateway.xmlguard import (
    StreamClosed,
    StreamElement,
    StreamOpened,
    XmlRefused,
    parse_frame,
    serialize,
)

log = logging.getLogger(__name__)

CLOSE_WAIT_S: Final = 5.0  # for the server's </stream:stream> after the client's <close/>


class StreamFailure(Exception):
    """Ends the session with a stream error; `condition` is from RFC 6120 section 4.9.3."""

    def __init__(self, condition: str, text: str) -> None:
        super().__init__(f"{condition}: {text}")
        self.condition, self.text = condition, text


@dataclass(frozen=True)
class BridgeLimits:
    max_stanza_bytes: int
    idle_timeout_s: float
    session_timeout_s: float


class WebSocketBridge:
    """Carries one patron's stream; `run()` returns once both sides are closed."""

    def __init__(self, ws: web.WebSocketResponse, ip: str, limiter: IpLimiter,
                 config: UpstreamConfig, limits: BridgeLimits,
                 clock: Clock = time.monotonic) -> None:
        self._ws, self._ip, self._limiter = ws, ip, limiter
        self._config, self._limits, self._clock = config, limits, clock
        self._upstream: Upstream | None = None
        self._to = ""
        self._relay: asyncio.Task[None] | None = None
        self._opened = False  # an <open/> went to the client
        self.on_bound: Callable[[str], None] = lambda jid: None
        """Told the JID the server bound for this session (gateway.blocks)."""
        self.admits: Callable[[str], refusals.Refusal | None] = lambda to: None
        """Asked before the first stream to host `to` is opened; a refusal ends the session
        (a blocked patron's address, gateway.blocks)."""

    async def run(self) -> None:
        try:
            await self._serve(self._clock() + self._limits.session_timeout_s)
        except StreamFailure as failure:
            log.info("WebSocket session ended by the gateway: %s", failure)
            await self.fail(failure.condition, failure.text)
        except (OSError, ssl.SSLError) as error:
            log.info("WebSocket session lost its server stream: %s", error)
            await self.fail("remote-connection-failed", "the connection to the server was lost")
        finally:
            await self._release()

    async def fail(self, condition: str, text: str) -> None:
        """Send a stream error and close both sides (also how shutdown ends a session)."""
        if self._relay is not None and self._relay is not asyncio.current_task():
            self._relay.cancel()
        if not self._ws.closed:
            with contextlib.suppress(ConnectionError, RuntimeError):
                if not self._opened:  # RFC 6120 section 4.9.1.1: a stream must be open first
                    await self._ws.send_str(open_frame({
                        "from": self._config.domain, "id": secrets.token_hex(8),
                        "version": "1.0"}))
                    self._opened = True
                await self._ws.send_str(stream_error(condition, text))
                await self._ws.send_str(CLOSE_FRAME)
                await self._ws.close()

    async def _serve(self, deadline: float) -> None:
        while True:
            remaining = deadline - self._clock()
            if remaining <= 0:
                raise StreamFailure("policy-violation", "this session reached its time limit")
            try:
                message = await self._ws.receive(min(self._limits.idle_timeout_s, remaining))
            except TimeoutError:
                if self._clock() < deadline:
                    raise StreamFailure("connection-timeout",
                                        "nothing was sent for too long") from None
                continue
            if message.type is WSMsgType.BINARY:
                raise StreamFailure("bad-format", "XMPP frames are text frames (RFC 7395)")
            if message.type is not WSMsgType.TEXT or await self._on_frame(message.data):
                return

    async def _on_frame(self, data: bytes | str) -> bool:
        """Handle one client frame; True once the client has closed the stream."""
        if not self._limiter.allow_request(self._ip):
            refusal = refusals.REQUESTS_PER_ADDRESS
            raise StreamFailure(refusal.condition, refusal.text)
        raw = data.encode() if isinstance(data, str) else data
        if not raw.strip():
            return False  # a whitespace keep-alive; RFC 7395 prefers pings but it is harmless
        try:
            element = parse_frame(raw, self._limits.max_stanza_bytes)
        except XmlRefused as refused:
            raise StreamFailure(refused.condition, refused.text) from None
        if element.tag == OPEN_TAG:
            await self._open(element.get("to") or "", element.get(XML_LANG))
            return False
        if element.tag == CLOSE_TAG:
            await self._close()
            return True
        if self._upstream is None:
            raise StreamFailure("bad-format", "the first frame must be <open/>")
        self._upstream.send(serialize(element))
        await self._upstream.drain()
        return False

    async def _open(self, to: str, lang: str | None) -> None:
        to = to.lower()
        if not self._config.serves(to):
            raise StreamFailure("host-unknown", f"this service is for {self._config.domain}")
        if self._upstream is None:
            if refusal := self.admits(to):
                raise StreamFailure(refusal.condition, refusal.text)
            try:
                self._upstream = await Upstream.connect(self._config, to)
            except UpstreamError as error:
                raise StreamFailure(error.condition, error.text) from None
            self._upstream.on_bound = self.on_bound
            self._to = to
            self._relay = asyncio.create_task(self._relay_server(self._upstream))
            self._upstream.open_stream(to, lang)
        elif to != self._to:
            raise StreamFailure("host-unknown", "a restarted stream must stay on its host")
        elif not self._upstream.restart_stream(to, lang):
            raise StreamFailure("bad-format", "a stream restarts only after SASL success")
        await self._upstream.drain()

    async def _close(self) -> None:
        if self._upstream is not None and self._relay is not None:
            self._upstream.end_stream()
            with contextlib.suppress(TimeoutError, OSError):
                await asyncio.wait_for(asyncio.shield(self._relay), CLOSE_WAIT_S)
        if not self._ws.closed:
            await self._ws.send_str(CLOSE_FRAME)
            await self._ws.close()

    async def _relay_server(self, upstream: Upstream) -> None:
        """The server's stream, cut into frames for the client."""
        try:
            async for event in upstream.events():
                if isinstance(event, StreamOpened):
                    await self._ws.send_str(open_frame(event.attributes))
                    self._opened = True
                elif isinstance(event, StreamElement):
                    await self._ws.send_frame(event.xml, WSMsgType.TEXT)
                elif isinstance(event, StreamClosed) and not self._ws.closed:
                    await self._ws.send_str(CLOSE_FRAME)
            await self._ws.close()
        except (OSError, ssl.SSLError, XmlRefused) as error:
            log.info("WebSocket session's server stream failed: %s", error)
            await self.fail("remote-connection-failed", "the connection to the server was lost")

    async def _release(self) -> None:
        if self._relay is not None:
            self._relay.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._relay
        if self._upstream is not None:
            await self._upstream.close()
        if not self._ws.closed:
            await self._ws.close()


class WebSocketSessions:
    """The live bridges, so that a shutdown can tell each patron rather than drop them."""

    def __init__(self) -> None:
        self._bridges: set[WebSocketBridge] = set()

    def __len__(self) -> int:
        return len(self._bridges)

    @contextlib.contextmanager
    def tracking(self, bridge: WebSocketBridge) -> Iterator[None]:
        self._bridges.add(bridge)
        try:
            yield
        finally:
            self._bridges.discard(bridge)

    async def close_all(self) -> None:
        for bridge in list(self._bridges):
            await bridge.fail("system-shutdown", "the chat service is restarting")
