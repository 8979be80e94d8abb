"""The gateway's listening socket: connections over a cap are answered 429 or 503 and closed
before a byte is read, and one that never finishes its request head is closed after the
header timeout (aiohttp's keepalive_timeout, which must count from the connection's start)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from gateway.connections import ConnectionCounter
from gateway.listener import GuardedSite
from gateway.refusals import RefusalLog

HEADER_TIMEOUT_S = 0.5
REQUEST = b"GET / HTTP/1.1\r\nHost: gateway\r\n\r\n"
Stream = tuple[asyncio.StreamReader, asyncio.StreamWriter]


async def hello(request: web.Request) -> web.Response:
    return web.Response(text="hello")


@pytest.fixture
async def port() -> AsyncIterator[int]:
    app = web.Application()
    app.router.add_get("/", hello)
    runner = web.AppRunner(app, access_log=None, keepalive_timeout=HEADER_TIMEOUT_S)
    await runner.setup()
    counter = ConnectionCounter(per_address=3, total=5)
    await GuardedSite(runner, "127.0.0.1", 0, counter, RefusalLog()).start()
    try:
        yield runner.addresses[0][1]
    finally:
        await runner.cleanup()


async def connect(port: int, source: str) -> Stream:
    return await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))


async def answer(stream: Stream, request: bytes = REQUEST) -> bytes:
    """What the gateway writes until it closes the connection."""
    reader, writer = stream
    writer.write(request)
    async with asyncio.timeout(5):
        data = await reader.read()
    writer.close()
    return data


@contextlib.asynccontextmanager
async def held(port: int, source: str, count: int) -> AsyncIterator[list[Stream]]:
    """`count` connections that send nothing."""
    streams = [await connect(port, source) for _ in range(count)]
    try:
        yield streams
    finally:
        for _, writer in streams:
            writer.close()


async def test_connections_past_the_per_address_cap_get_429_while_others_are_served(
        port: int) -> None:
    async with held(port, "127.0.0.2", 3):
        refused = await answer(await connect(port, "127.0.0.2"))
        served = await answer(await connect(port, "127.0.0.3"),
                              REQUEST.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n"))

    assert refused.startswith(b"HTTP/1.1 429 Too Many Requests\r\n")
    assert b"Retry-After: 10\r\n" in refused
    assert refused.endswith(b"\r\n\r\ntoo many connections from your address\n")
    assert served.startswith(b"HTTP/1.1 200 OK") and served.endswith(b"hello")


async def test_connections_past_the_total_get_503(port: int) -> None:
    async with held(port, "127.0.0.2", 3), held(port, "127.0.0.3", 2):
        refused = await answer(await connect(port, "127.0.0.4"))

    assert refused.startswith(b"HTTP/1.1 503 Service Unavailable\r\n")


@pytest.mark.parametrize("sent", [b"", b"GET / HTTP/1.1\r\nHost: gat"],
                         ids=["half-open", "half-sent-head"])
async def test_connection_without_a_whole_request_head_is_closed_after_the_header_timeout(
        port: int, sent: bytes) -> None:
    reader, writer = await connect(port, "127.0.0.2")
    writer.write(sent)
    started = asyncio.get_running_loop().time()

    async with asyncio.timeout(HEADER_TIMEOUT_S * 10):
        assert await reader.read() == b""  # closed, with no answer

    assert asyncio.get_running_loop().time() - started >= HEADER_TIMEOUT_S * 0.9
    writer.close()


async def test_slots_of_closed_connections_are_given_back(port: int) -> None:
    async with held(port, "127.0.0.2", 3):
        pass
    async with asyncio.timeout(5):
        while (data := await answer(await connect(port, "127.0.0.2"))).startswith(
                b"HTTP/1.1 429"):
            await asyncio.sleep(0.01)  # the server has yet to see the others close

    assert data.startswith(b"HTTP/1.1 200 OK")
