"""/xmpp-websocket's own refusals, over a real WebSocket to the handler, with no server behind."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Iterable
from datetime import datetime

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from lxml import etree

from gateway.blocks import BlockWatch
from gateway.keys import (
    BLOCKS,
    LIMITER,
    ORIGINS,
    PROXIES,
    REFUSALS,
    SETTINGS,
    UPSTREAM,
    WEBSOCKETS,
)
from gateway.limits import IpLimiter
from gateway.origins import OriginPolicy
from gateway.refusals import RefusalLog
from gateway.upstream import UpstreamConfig
from gateway.websocket import xmpp_websocket
from gateway.wsbridge import WebSocketSessions
from refdesk.db.stores.blocks import BlockRecord
from refdesk.settings import Settings

STREAMS = "http://etherx.jabber.org/streams"
STREAM_ERRORS = "urn:ietf:params:xml:ns:xmpp-streams"
FRAMING = "urn:ietf:params:xml:ns:xmpp-framing"
MAX_STANZA_BYTES = 4096


class NoWidgets:
    async def allowed_origins(self) -> Iterable[str]:
        return ()


class NoBlocks:
    async def in_force(self, now: datetime) -> list[BlockRecord]:
        return []

    async def record_address(self, block_id: int, address_key: str) -> None:
        pass

    async def forget_addresses(self, now: datetime) -> int:
        return 0


async def no_revision() -> int:
    return 0


def application() -> web.Application:
    settings = Settings.model_validate({
        "library": {"domain": "alpha.test", "name": "Alpha University Library"},
        "components": {"secret": "a-secret-for-the-tests"},
        "gateway": {"max_stanza_bytes": MAX_STANZA_BYTES},
    })
    app = web.Application()
    app[SETTINGS] = settings
    app[LIMITER] = IpLimiter(20, 600)
    app[REFUSALS] = RefusalLog()
    app[PROXIES] = ()
    app[ORIGINS] = OriginPolicy(NoWidgets())
    app[BLOCKS] = BlockWatch(NoBlocks(), "a-secret-for-the-tests", "alpha.test", no_revision)
    app[UPSTREAM] = UpstreamConfig("127.0.0.1", 1, "alpha.test", ssl.create_default_context())
    app[WEBSOCKETS] = WebSocketSessions()
    app.router.add_get("/xmpp-websocket", xmpp_websocket)
    return app


@pytest.fixture
async def client() -> AsyncIterator[TestClient[web.Request, web.Application]]:
    async with TestClient(TestServer(application())) as test_client:
        yield test_client


def sized(size: int) -> str:
    """A stanza of exactly `size` bytes."""
    opening, closing = '<message xmlns="jabber:client"><body>', "</body></message>"
    return opening + "x" * (size - len(opening) - len(closing)) + closing


async def frames_until_closed(ws: aiohttp.ClientWebSocketResponse) -> list[etree._Element]:
    frames = []
    while (message := await ws.receive(5.0)).type is aiohttp.WSMsgType.TEXT:
        frames.append(etree.fromstring(message.data.encode()))
    return frames


@pytest.mark.parametrize("size", [MAX_STANZA_BYTES + 1, 4 * MAX_STANZA_BYTES + 1, 1 << 20],
                         ids=["just-over", "over-four-times", "a-mebibyte"])
async def test_frame_over_the_limit_gets_a_stream_error_then_close(
        client: TestClient[web.Request, web.Application], size: int) -> None:
    async with client.ws_connect("/xmpp-websocket", protocols=("xmpp",)) as ws:
        await ws.send_str(sized(size))
        frames = await frames_until_closed(ws)

    assert [etree.QName(frame).localname for frame in frames] == ["open", "error", "close"]
    assert ws.close_code == aiohttp.WSCloseCode.OK  # not a bare 1009
    condition, text = frames[1][0], frames[1].findtext(f"{{{STREAM_ERRORS}}}text")
    assert etree.QName(condition).localname == "policy-violation"
    assert text == f"larger than the {MAX_STANZA_BYTES} bytes allowed"


async def test_frame_at_the_limit_is_read(
        client: TestClient[web.Request, web.Application]) -> None:
    async with client.ws_connect("/xmpp-websocket", protocols=("xmpp",)) as ws:
        await ws.send_str(sized(MAX_STANZA_BYTES))
        frames = await frames_until_closed(ws)

    # Read and parsed: a stanza before <open/> is a bad-format error, not a size refusal.
    assert etree.QName(frames[1][0]).localname == "bad-format"
