"""The WebSocket bridge's own refusals and timeouts, with a scripted browser and no server."""

from __future__ import annotations

import asyncio
import ssl
from typing import Any, cast

from aiohttp import WSMsgType, web
from lxml import etree

from gateway.limits import IpLimiter
from gateway.upstream import UpstreamConfig
from gateway.wsbridge import BridgeLimits, WebSocketBridge

STREAM_ERRORS = "urn:ietf:params:xml:ns:xmpp-streams"


class ScriptedBrowser:
    """Stands in for aiohttp's WebSocketResponse: plays frames, records what it is sent."""

    def __init__(self, frames: list[str], on_idle: Any = None) -> None:
        self._frames = list(frames)
        self._on_idle = on_idle
        self.sent: list[str] = []
        self.closed = False

    async def receive(self, timeout: float) -> Any:
        if self._frames:
            return _Message(WSMsgType.TEXT, self._frames.pop(0).encode())
        if self._on_idle is not None:
            self._on_idle()
        raise TimeoutError

    async def send_str(self, data: str) -> None:
        self.sent.append(data)

    async def close(self) -> None:
        self.closed = True


class _Message:
    def __init__(self, kind: WSMsgType, data: bytes) -> None:
        self.type, self.data = kind, data


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def bridge(browser: ScriptedBrowser, clock: FakeClock | None = None) -> WebSocketBridge:
    config = UpstreamConfig("127.0.0.1", 1, "alpha.test", ssl.create_default_context())
    limits = BridgeLimits(max_stanza_bytes=4096, idle_timeout_s=600, session_timeout_s=3600)
    return WebSocketBridge(cast(web.WebSocketResponse, browser), "192.0.2.1",
                           IpLimiter(20, 600), config, limits, clock or FakeClock())


def stream_error(browser: ScriptedBrowser) -> tuple[str, str | None]:
    """(condition, text) of the one stream error sent, after an <open/> and before <close/>."""
    opened, error, closed = (etree.fromstring(frame) for frame in browser.sent)
    assert etree.QName(opened).localname == "open" and opened.get("from") == "alpha.test"
    assert etree.QName(closed).localname == "close" and browser.closed
    condition = next(child for child in error if etree.QName(child).localname != "text")
    return etree.QName(condition).localname, error.findtext(f"{{{STREAM_ERRORS}}}text")


async def test_patron_who_sends_nothing_gets_connection_timeout() -> None:
    browser = ScriptedBrowser([])

    await asyncio.wait_for(bridge(browser).run(), 2.0)

    assert stream_error(browser)[0] == "connection-timeout"


async def test_session_past_its_time_limit_gets_policy_violation() -> None:
    clock = FakeClock()

    def hours_pass() -> None:
        clock.now += 3601

    browser = ScriptedBrowser([], on_idle=hours_pass)
    await asyncio.wait_for(bridge(browser, clock).run(), 2.0)

    assert stream_error(browser) == ("policy-violation", "this session reached its time limit")


async def test_stanza_before_open_is_refused_with_bad_format() -> None:
    browser = ScriptedBrowser(['<message xmlns="jabber:client" to="a@alpha.test"/>'])

    await asyncio.wait_for(bridge(browser).run(), 2.0)

    assert stream_error(browser)[0] == "bad-format"


async def test_binary_frame_is_refused_with_bad_format() -> None:
    browser = ScriptedBrowser([])
    browser.receive = _binary_once(browser.receive)  # type: ignore[method-assign]

    await asyncio.wait_for(bridge(browser).run(), 2.0)

    assert stream_error(browser) == ("bad-format", "XMPP frames are text frames (RFC 7395)")


def _binary_once(receive: Any) -> Any:
    sent = False

    async def once(timeout: float) -> Any:
        nonlocal sent
        if not sent:
            sent = True
            return _Message(WSMsgType.BINARY, b"<presence/>")
        return await receive(timeout)
    return once
