"""A stand-in for Prosody's listeners: answers a stream header the way a test asks."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

STREAMS = "http://etherx.jabber.org/streams"
ERRORS = "urn:ietf:params:xml:ns:xmpp-streams"
Behaviour = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


def header(namespace: str, stream_id: str = "doctor-1") -> bytes:
    return (f"<?xml version='1.0'?><stream:stream xmlns='{namespace}' "
            f"xmlns:stream='{STREAMS}' id='{stream_id}' from='example.test'>").encode()


def error(condition: str) -> bytes:
    return (f"<stream:error><{condition} xmlns='{ERRORS}'/><text xmlns='{ERRORS}'>why</text>"
            "</stream:error></stream:stream>").encode()


@asynccontextmanager
async def serving(behaviour: Behaviour) -> AsyncIterator[int]:
    """A listener on 127.0.0.1; its port."""
    tasks: set[asyncio.Task[None]] = set()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        tasks.add(task)
        try:
            await behaviour(reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    try:
        yield int(server.sockets[0].getsockname()[1])
    finally:
        server.close()
        for task in tasks:
            task.cancel()
        await server.wait_closed()
