"""A patron's XMPP stream to the library's own server: TLS from the first byte (XEP-0368)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from asyncio import sslproto
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from gateway.framing import CLIENT_NS, SASL_SUCCESS_TAG, STREAM_END, stream_header
from gateway.xmlguard import StreamClosed, StreamElement, StreamEvent, StreamParser

log = logging.getLogger(__name__)

READ_SIZE: Final = 16384
CLOSE_TIMEOUT_S: Final = 2.0
# The server is ours and trusted; this only bounds what one stream can make the gateway hold.
MAX_SERVER_ELEMENT_BYTES: Final = 1 << 20
TLS_BUFFER_BYTES: Final = 16 * 1024
BIND_NS: Final = "urn:ietf:params:xml:ns:xmpp-bind"
BOUND_JID_PATH: Final = f"{{{BIND_NS}}}bind/{{{BIND_NS}}}jid"


class UpstreamError(Exception):
    """The library's server could not be reached; `condition` is the stream error to report."""

    def __init__(self, condition: str, text: str) -> None:
        super().__init__(text)
        self.condition, self.text = condition, text


def trim_tls_buffers() -> None:
    """Give each TLS connection of this process a 16 KiB buffer instead of asyncio's 256 KiB.

    asyncio allocates sslproto.SSLProtocol.max_size, zero-filled and so resident, for every
    TLS connection: 250 MiB for 1,000 idle patrons. A TLS record holds at most 16 KiB, so a
    smaller buffer only means more, smaller reads when a lot arrives at once. The gateway's
    only TLS connections are its streams to the server, so it is safe to set process-wide.
    """
    sslproto.SSLProtocol.max_size = TLS_BUFFER_BYTES


def tls_context(ca_file: Path | None) -> ssl.SSLContext:
    """Verifying TLS to the server, against ca_file or the system's CAs, made once per app."""
    context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.set_alpn_protocols(["xmpp-client"])  # XEP-0368 section 3
    return context


@dataclass(frozen=True)
class UpstreamConfig:
    """Where patrons' streams go, and which stream 'to' domains the gateway will carry."""

    address: str
    port: int
    domain: str
    tls: ssl.SSLContext
    connect_timeout_s: float = 10.0

    def serves(self, to: str) -> bool:
        """The library's domain and its subdomains (guest.<domain>); nothing else."""
        to = to.lower()
        return to == self.domain or to.endswith("." + self.domain)


class Upstream:
    """One XML stream to the server, re-opened on every stream restart."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader, self._writer = reader, writer
        self._parser = StreamParser(MAX_SERVER_ELEMENT_BYTES)
        self._open = False
        self._restart_due = False
        self._bound = False
        self.on_bound: Callable[[str], None] = lambda jid: None
        """Told the session's full JID when the server answers its resource binding."""

    @classmethod
    async def connect(cls, config: UpstreamConfig, to: str) -> Upstream:
        """Connect and verify the server's certificate for `to` (its SNI name too)."""
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(config.address, config.port, ssl=config.tls,
                                        server_hostname=to, limit=READ_SIZE),
                config.connect_timeout_s,
            )
        except (OSError, TimeoutError) as error:
            log.warning("cannot reach %s:%d for %s: %s", config.address, config.port, to, error)
            raise UpstreamError("remote-connection-failed",
                                "the library's chat server cannot be reached") from None
        return cls(reader, writer)

    def open_stream(self, to: str, lang: str | None) -> None:
        """Send the first stream header."""
        self._parser = StreamParser(MAX_SERVER_ELEMENT_BYTES)
        self._writer.write(stream_header(to, lang))
        self._open = True

    def restart_stream(self, to: str, lang: str | None) -> bool:
        """Send a new stream header after SASL success (RFC 6120 section 6.4.6); False, and
        nothing sent, at any other time: the server would not expect one."""
        if not self._restart_due:
            return False
        self._restart_due = False
        self.open_stream(to, lang)
        return True

    def send(self, data: bytes) -> None:
        self._writer.write(data)

    async def drain(self) -> None:
        """Wait while the server reads slower than this patron writes."""
        await self._writer.drain()

    async def events(self) -> AsyncIterator[StreamEvent]:
        """The server's side of the stream, until it ends; raises XmlRefused on bad XML."""
        while chunk := await self._reader.read(READ_SIZE):
            for event in self._parser.feed(chunk):
                if isinstance(event, StreamElement) and event.element.tag == SASL_SUCCESS_TAG:
                    self._restart_due = True
                elif isinstance(event, StreamElement):
                    self._note_bind(event)
                yield event
                if isinstance(event, StreamClosed):
                    self._open = False
                    return
        self._open = False
        yield StreamClosed()

    def _note_bind(self, event: StreamElement) -> None:
        """The first bind result is the server's answer to this session's own bind: before
        it, no stanza of anyone else's can be routed here. Any later one is a stanza someone
        sent to pass as it (to move a block onto this session), and is not believed."""
        element = event.element
        if self._bound or element.tag != f"{{{CLIENT_NS}}}iq" or element.get("type") != "result":
            return
        jid = element.findtext(BOUND_JID_PATH)
        if jid:
            self._bound = True
            self.on_bound(jid.strip())

    def end_stream(self) -> None:
        """Send </stream:stream>; the server answers with its own, then closes."""
        if self._open and not self._writer.is_closing():
            self._open = False
            self._writer.write(STREAM_END)

    async def close(self) -> None:
        """End the stream if still open and close the connection, without waiting long."""
        self.end_stream()
        self._writer.close()
        with contextlib.suppress(OSError, TimeoutError, ssl.SSLError):
            await asyncio.wait_for(self._writer.wait_closed(), CLOSE_TIMEOUT_S)
