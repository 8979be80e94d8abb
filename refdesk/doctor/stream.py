"""Just enough of an XMPP stream to ask a server whether it answers: open, read, close."""

from __future__ import annotations

import asyncio
import errno
from dataclasses import dataclass
from types import TracebackType

from lxml import etree

STREAMS = "http://etherx.jabber.org/streams"
STREAM_ERRORS = "urn:ietf:params:xml:ns:xmpp-streams"
MAX_BYTES = 65536
"""Doctor reads no more than this from one server: a header and a few elements."""
CLOSE = b"</stream:stream>"


class Unreachable(Exception):
    """No stream could be had; str() says why in a few words (connection refused, …)."""


def describe_error(error: BaseException, timeout: float) -> str:
    """A few words for why a connection failed."""
    if isinstance(error, TimeoutError):
        return f"no answer within {timeout:g} s"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, OSError) and error.errno is not None:
        return (error.strerror or errno.errorcode.get(error.errno, str(error))).lower()
    return str(error) or type(error).__name__


def stream_header(namespace: str, to: str, sender: str | None = None,
                  version: bool = True) -> bytes:
    """The opening of a stream to `to` in `namespace` (jabber:server, …)."""
    extra = f" from='{sender}'" if sender else ""
    extra += " version='1.0'" if version else ""
    return (f"<?xml version='1.0'?><stream:stream xmlns='{namespace}' "
            f"xmlns:stream='{STREAMS}' to='{to}'{extra}>").encode()


@dataclass(frozen=True)
class StreamError:
    condition: str
    text: str


def stream_error(element: etree._Element) -> StreamError | None:
    """The condition and text of a <stream:error/>, or None for any other element."""
    if element.tag != f"{{{STREAMS}}}error":
        return None
    condition, text = "undefined-condition", ""
    for child in element:
        name = etree.QName(child).localname
        if etree.QName(child).namespace == STREAM_ERRORS and name == "text":
            text = child.text or ""
        elif etree.QName(child).namespace == STREAM_ERRORS:
            condition = name
    return StreamError(condition, text)


class Stream:
    """One TCP connection carrying an XMPP stream, read element by element, with a timeout
    on every step; use it as `async with Stream(address, port, timeout) as stream`."""

    def __init__(self, address: str, port: int, timeout: float) -> None:
        self.address, self.port, self.timeout = address, port, timeout
        self.header: dict[str, str] | None = None
        self._parser = etree.XMLPullParser(events=("start", "end"), resolve_entities=False,
                                           no_network=True, load_dtd=False)
        self._elements: list[etree._Element] = []
        self._depth = 0
        self._read = 0
        self._writer: asyncio.StreamWriter | None = None
        self._reader: asyncio.StreamReader | None = None

    async def __aenter__(self) -> Stream:
        try:
            async with asyncio.timeout(self.timeout):
                self._reader, self._writer = await asyncio.open_connection(
                    self.address, self.port)
        except (OSError, TimeoutError) as error:
            raise Unreachable(describe_error(error, self.timeout)) from None
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        traceback: TracebackType | None) -> None:
        assert self._writer is not None
        try:
            if self.header is not None:
                self._writer.write(CLOSE)
            self._writer.close()
            async with asyncio.timeout(self.timeout):
                await self._writer.wait_closed()
        except (OSError, TimeoutError):
            pass  # the other end went first: nothing is left to close

    async def send(self, data: bytes) -> None:
        assert self._writer is not None
        try:
            self._writer.write(data)
            async with asyncio.timeout(self.timeout):
                await self._writer.drain()
        except (OSError, TimeoutError) as error:
            raise Unreachable(describe_error(error, self.timeout)) from None

    async def open(self, header: bytes) -> dict[str, str]:
        """Send a stream header; the attributes of the one that comes back."""
        await self.send(header)
        while self.header is None:
            await self._feed()
        return self.header

    async def element(self) -> etree._Element:
        """The next whole top-level element of the stream."""
        while not self._elements:
            await self._feed()
        return self._elements.pop(0)

    async def _feed(self) -> None:
        assert self._reader is not None
        try:
            async with asyncio.timeout(self.timeout):
                data = await self._reader.read(4096)
        except (OSError, TimeoutError) as error:
            raise Unreachable(describe_error(error, self.timeout)) from None
        self._read += len(data)
        if not data:
            raise Unreachable("connection closed without an answer")
        if self._read > MAX_BYTES:
            raise Unreachable(f"more than {MAX_BYTES} bytes without an answer")
        try:
            self._parser.feed(data)
            self._collect()
        except etree.XMLSyntaxError as error:
            raise Unreachable(f"not XMPP ({error.msg})") from None

    def _collect(self) -> None:
        for event, element in self._parser.read_events():
            if event == "start":
                if self._depth == 0 and etree.QName(element).text != f"{{{STREAMS}}}stream":
                    raise Unreachable(f"not an XMPP stream (<{etree.QName(element).localname}>)")
                if self._depth == 0:
                    self.header = {str(key): str(value)
                                   for key, value in element.attrib.items()}
                self._depth += 1
            else:
                self._depth -= 1
                if self._depth == 1:
                    self._elements.append(element)
