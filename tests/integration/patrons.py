"""Raw patron clients of the gateway, with hand-written frames: RFC 7395 and BOSH (XEP-0124).

They speak the wire protocol directly (no XMPP library), so that the tests see exactly what a
browser's strophe.js would send and receive.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import secrets
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from lxml import etree

FRAMING = "urn:ietf:params:xml:ns:xmpp-framing"
SASL = "urn:ietf:params:xml:ns:xmpp-sasl"
BIND = "urn:ietf:params:xml:ns:xmpp-bind"
STREAMS = "http://etherx.jabber.org/streams"
STREAM_ERRORS = "urn:ietf:params:xml:ns:xmpp-streams"
HTTPBIND = "http://jabber.org/protocol/httpbind"
CLIENT = "jabber:client"
QUEUE = "urn:refdesk:queue:0"
TIMEOUT_S = 10.0
GATEWAY_START_S = 30.0

Predicate = Callable[[etree._Element], bool]


def q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def open_frame(to: str) -> str:
    return f'<open xmlns="{FRAMING}" to="{to}" version="1.0"/>'


def chat(to: str, text: str) -> str:
    return (f'<message xmlns="{CLIENT}" to="{to}" type="chat" id="{secrets.token_hex(4)}">'
            f"<body>{text}</body></message>")


def has_body(text: str) -> Predicate:
    return lambda element: element.findtext(q(CLIENT, "body")) == text


def stream_error_condition(element: etree._Element) -> str | None:
    if element.tag != q(STREAMS, "error"):
        return None
    for child in element:
        if child.tag != q(STREAM_ERRORS, "text"):
            return etree.QName(child).localname
    return None


def connector(local_address: str | None) -> aiohttp.TCPConnector:
    """A connector whose connections come from `local_address` (another patron's IP)."""
    return aiohttp.TCPConnector(local_addr=(local_address, 0) if local_address else None)


class WsPatron:
    """A patron on the gateway's WebSocket; `frames` is everything received, parsed."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.frames: list[etree._Element] = []
        self.header: etree._Element | None = None  # the first <open/> from the server
        self.jid = ""

    async def send(self, frame: str | bytes) -> None:
        """One text frame, as RFC 7395 wants."""
        await self.ws.send_str(frame if isinstance(frame, str) else frame.decode())

    async def receive(self, timeout: float = TIMEOUT_S) -> etree._Element | None:
        """The next frame, or None once the WebSocket is closed."""
        message = await self.ws.receive(timeout)
        if message.type is not aiohttp.WSMsgType.TEXT:
            return None
        frame = etree.fromstring(message.data.encode())
        self.frames.append(frame)
        return frame

    async def expect(self, predicate: Predicate, timeout: float = TIMEOUT_S) -> etree._Element:
        """The first frame (new or already received) that matches."""
        for frame in self.frames:
            if predicate(frame):
                return frame
        async with asyncio.timeout(timeout):
            while (received := await self.receive(timeout)) is not None:
                if predicate(received):
                    return received
        raise AssertionError(f"closed without the expected frame; got {self.shown()}")

    async def closed(self, timeout: float = TIMEOUT_S) -> list[etree._Element]:
        """Every frame until the server closes the WebSocket."""
        async with asyncio.timeout(timeout):
            while await self.receive(timeout) is not None:
                pass
        return self.frames

    def shown(self) -> list[str]:
        return [etree.tostring(frame).decode()[:200] for frame in self.frames]

    async def login(self, host: str, opened: bool = False) -> str:
        """SASL ANONYMOUS, the stream restart, resource binding; returns the full JID.
        `opened`: the stream is open already."""
        if not opened:
            await self.send(open_frame(host))
        self.header = await self.expect(lambda f: f.tag == q(FRAMING, "open"))
        await self.expect(lambda f: f.tag == q(STREAMS, "features"))
        await self.send(f'<auth xmlns="{SASL}" mechanism="ANONYMOUS"/>')
        await self.expect(lambda f: f.tag == q(SASL, "success"))
        self.frames.clear()
        await self.send(open_frame(host))
        await self.expect(lambda f: f.find(q(BIND, "bind")) is not None)
        await self.send(f'<iq xmlns="{CLIENT}" type="set" id="bind1">'
                        f'<bind xmlns="{BIND}"/></iq>')
        bound = await self.expect(lambda f: f.get("id") == "bind1")
        self.jid = bound.findtext(f"{q(BIND, 'bind')}/{q(BIND, 'jid')}") or ""
        await self.send(f'<presence xmlns="{CLIENT}"/>')
        return self.jid

    async def ask(self, queue: str, widget: str, question: str) -> str:
        """The widget's request for a chat, as raw frames; the chat's JID."""
        asked = secrets.token_hex(4)
        await self.send(f'<iq xmlns="{CLIENT}" type="set" id="{asked}" to="{queue}">'
                        f'<request xmlns="{QUEUE}" widget="{widget}">'
                        f"<question>{question}</question></request></iq>")
        reply = await self.expect(lambda f: f.get("id") == asked)
        opened = reply.find(q(QUEUE, "chat"))
        assert reply.get("type") == "result" and opened is not None, self.shown()
        return str(opened.get("jid"))


@asynccontextmanager
async def ws_patron(site: dict[str, Any], origin: str | None = "own",
                    local_address: str | None = None) -> AsyncIterator[WsPatron]:
    """A WebSocket to the site's gateway, from its own origin unless told otherwise."""
    headers = {"Origin": site["gateway"]["http"] if origin == "own" else origin} if origin else {}
    async with aiohttp.ClientSession(connector=connector(local_address)) as http, \
            http.ws_connect(site["gateway"]["websocket"], protocols=("xmpp",),
                            headers=headers) as ws:
        yield WsPatron(ws)


class BoshPatron:
    """A patron on the gateway's BOSH endpoint, choosing its own rids."""

    def __init__(self, http: aiohttp.ClientSession, site: dict[str, Any],
                 origin: str | None) -> None:
        self.http, self.url = http, site["gateway"]["bosh"]
        self.headers = {"Content-Type": "text/xml; charset=utf-8"}
        if origin:
            self.headers["Origin"] = origin
        self.rids = itertools.count(secrets.randbelow(2**40) + 1)
        self.sid = ""
        self.jid = ""

    def body(self, inner: str = "", rid: int | None = None, **attributes: str) -> str:
        shown = {"rid": str(next(self.rids) if rid is None else rid), "sid": self.sid,
                 **attributes}
        text = "".join(f' {name.replace("_", ":")}="{value}"'
                       for name, value in shown.items() if value)
        return f'<body xmlns="{HTTPBIND}" xmlns:xmpp="urn:xmpp:xbosh"{text}>{inner}</body>'

    async def post(self, body: str | bytes) -> tuple[int, etree._Element]:
        async with self.http.post(self.url, data=body, headers=self.headers) as response:
            return response.status, etree.fromstring(await response.read())

    async def request(self, inner: str = "", **attributes: str) -> etree._Element:
        status, reply = await self.post(self.body(inner, None, **attributes))
        assert status == 200, (status, etree.tostring(reply))
        return reply

    async def poll_until(self, predicate: Predicate, timeout: float = TIMEOUT_S) -> etree._Element:
        """Empty requests, each held until the server has data, until a payload matches."""
        async with asyncio.timeout(timeout):
            while True:
                reply = await self.request()
                assert reply.get("type") != "terminate", etree.tostring(reply)
                for payload in reply:
                    if predicate(payload):
                        return payload

    async def login(self, host: str) -> str:
        created = await self.request(to=host, wait="5", hold="1", xmpp_version="1.0",
                                     xml_lang="en")
        self.sid = created.get("sid") or ""
        assert created.find(q(STREAMS, "features")) is not None
        success = await self.request(f'<auth xmlns="{SASL}" mechanism="ANONYMOUS"/>')
        assert success.find(q(SASL, "success")) is not None
        restarted = await self.request(to=host, xmpp_restart="true")
        assert restarted.find(f"{q(STREAMS, 'features')}/{q(BIND, 'bind')}") is not None
        bound = await self.request(f'<iq xmlns="{CLIENT}" type="set" id="bind1">'
                                   f'<bind xmlns="{BIND}"/></iq>')
        self.jid = bound.findtext(f".//{q(BIND, 'jid')}") or ""
        return self.jid


@asynccontextmanager
async def bosh_patron(site: dict[str, Any], origin: str | None = "own",
                      local_address: str | None = None) -> AsyncIterator[BoshPatron]:
    async with aiohttp.ClientSession(connector=connector(local_address)) as http:
        patron = BoshPatron(http, site, site["gateway"]["http"] if origin == "own" else origin)
        try:
            yield patron
        finally:
            if patron.sid:
                await patron.post(patron.body(type="terminate"))


@dataclass(frozen=True)
class OwnGateway:
    """A gateway of the lab's library with settings of its own; `site` is the library's entry
    of lab.json with this gateway's URLs."""

    site: dict[str, Any]
    log: Path
    process: subprocess.Popen[bytes]

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


@contextmanager
def own_gateway(lab: dict[str, Any], domain: str, port: int, directory: Path,
                settings: Mapping[str, object],
                max_open_files: int | None = None) -> Iterator[OwnGateway]:
    """Run `refdesk gateway` for `domain` on its library's address and `port`, with the lab's
    settings file and `settings` ([gateway] keys) as REFDESK_GATEWAY_* overrides, so that a
    test can set small limits without changing the lab's own gateway. `max_open_files` sets
    the process's RLIMIT_NOFILE, soft and hard, as a stingy ulimit would."""
    site = next(site for site in lab["libraries"] if site["domain"] == domain)
    base = f"{site['address']}:{port}"
    environ = dict(os.environ) | {"REFDESK_GATEWAY_ADDRESS": site["address"],
                                  "REFDESK_GATEWAY_PORT": str(port)}
    environ |= {f"REFDESK_GATEWAY_{key.upper()}": _setting(value)
                for key, value in settings.items()}
    ready, log = directory / f"gateway-{port}.ready", directory / f"gateway-{port}.log"
    argv = [sys.executable, "-m", "refdesk", "gateway", "--ready-file", str(ready),
            "--config", str(Path(lab["dir"]) / domain / "refdesk.toml")]
    if max_open_files is not None:  # util-linux's prlimit: set, then exec the gateway
        argv = ["prlimit", f"--nofile={max_open_files}:{max_open_files}", "--", *argv]
    with log.open("wb") as output:
        process = subprocess.Popen(argv, env=environ, stdout=output, stderr=subprocess.STDOUT)
    try:
        _wait_ready(process, ready, log)
        yield OwnGateway(site | {"gateway": {
            "http": f"http://{base}", "websocket": f"ws://{base}/xmpp-websocket",
            "bosh": f"http://{base}/http-bind"}}, log, process)
    finally:
        process.terminate()
        try:
            process.wait(TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(TIMEOUT_S)


def _setting(value: object) -> str:
    if isinstance(value, list | tuple):
        return ",".join(map(str, value))
    return str(value)


def _wait_ready(process: subprocess.Popen[bytes], ready: Path, log: Path) -> None:
    deadline = time.monotonic() + GATEWAY_START_S
    while not ready.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"the gateway did not start:\n{log.read_text(errors='replace')}")
        time.sleep(0.05)  # a file to appear: nothing to wait on but the file system
