"""A BOSH session's holding rules (XEP-0124 sections 7-11), against a scripted server stream."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import cast

import pytest
from lxml import etree

from gateway.boshregistry import BoshRegistry
from gateway.boshsession import BoshParams, BoshRequest, BoshSession
from gateway.limits import IpLimiter
from gateway.upstream import Upstream
from gateway.xmlguard import StreamEvent, StreamParser

HEADER = (b"<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/"
          b"streams' from='guest.alpha.test' id='s-1' version='1.0'>")
FEATURES = (b"<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"
            b"</stream:features>")


class ScriptedServer:
    """Stands in for Upstream: records what the session sends, plays what the test pushes."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []
        self.headers = 0
        self._parser = StreamParser(65536)
        self._incoming: asyncio.Queue[bytes | None] = asyncio.Queue()
        self.closed = False
        self.drains = 0  # one per request the session carried out
        self._drained = asyncio.Condition()

    def push(self, data: bytes | None) -> None:
        self._incoming.put_nowait(data)

    async def taken_in(self) -> None:
        """Returns once the session has dealt with everything pushed so far."""
        await self._incoming.join()

    async def carried_out(self, requests: int) -> None:
        """Returns once the session has carried out that many requests."""
        async with self._drained:
            await self._drained.wait_for(lambda: self.drains >= requests)

    def open_stream(self, to: str, lang: str | None) -> None:
        self.headers += 1

    def restart_stream(self, to: str, lang: str | None) -> bool:
        self.headers += 1
        return True

    def send(self, data: bytes) -> None:
        self.sent.append(data)

    def end_stream(self) -> None:
        self.sent.append(b"</stream:stream>")

    async def drain(self) -> None:
        async with self._drained:
            self.drains += 1
            self._drained.notify_all()

    async def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.push(None)

    def unread(self) -> int:
        """Chunks pushed that the session has not read yet."""
        return self._incoming.qsize()

    async def events(self) -> AsyncIterator[StreamEvent]:
        while (data := await self._incoming.get()) is not None:
            for event in self._parser.feed(data):
                yield event
            # The session asks for more only once it has acted on every event.
            self._incoming.task_done()
        self._incoming.task_done()


def params(wait: float = 5.0, hold: int = 1) -> BoshParams:
    return BoshParams(to="guest.alpha.test", lang="en", wait=wait, hold=hold,
                      inactivity=30.0, polling=2.0)


@pytest.fixture
def server() -> ScriptedServer:
    return ScriptedServer()


def session_with(server: ScriptedServer, wait: float = 5.0) -> BoshSession:
    session = BoshSession("sid-1", "192.0.2.1", cast(Upstream, server), params(wait), 100)
    session.start()
    return session


def children(body: bytes) -> list[str]:
    return [etree.QName(child).localname for child in etree.fromstring(body)]


async def test_creation_response_waits_for_the_features_and_carries_the_session_attributes(
        server: ScriptedServer) -> None:
    session = session_with(server)
    created = asyncio.create_task(session.handle(BoshRequest(100)))
    server.push(HEADER)
    await server.taken_in()
    assert not created.done()  # a header alone is not worth an answer

    server.push(FEATURES)
    body = etree.fromstring(await created)

    assert body.get("sid") == "sid-1" and body.get("authid") == "s-1"
    assert (body.get("requests"), body.get("hold"), body.get("wait")) == ("2", "1", "5")
    assert children(etree.tostring(body)) == ["features"]
    await session.terminate("")


async def test_a_new_request_releases_the_held_one_empty(server: ScriptedServer) -> None:
    session = session_with(server)
    server.push(HEADER + FEATURES)
    await session.handle(BoshRequest(100))

    held = asyncio.create_task(session.handle(BoshRequest(101)))
    await server.carried_out(2)
    assert not held.done()
    second = asyncio.create_task(session.handle(BoshRequest(102, (b"<presence/>",))))

    assert children(await held) == []
    assert server.sent == [b"<presence/>"]
    server.push(b"<message><body>hi</body></message>")
    assert children(await second) == ["message"]
    await session.terminate("")


async def test_held_request_is_answered_empty_when_its_wait_runs_out(
        server: ScriptedServer) -> None:
    session = session_with(server, wait=0.2)
    server.push(HEADER + FEATURES)
    await session.handle(BoshRequest(100))

    body = await asyncio.wait_for(session.handle(BoshRequest(101)), 2.0)

    assert children(body) == [] and etree.fromstring(body).get("type") is None
    await session.terminate("")


async def test_terminate_request_ends_the_stream_and_is_answered_terminate(
        server: ScriptedServer) -> None:
    session = session_with(server)
    server.push(HEADER + FEATURES)
    await session.handle(BoshRequest(100))

    body = etree.fromstring(await session.handle(
        BoshRequest(101, (b"<presence type='unavailable'/>",), terminate=True)))

    assert body.get("type") == "terminate" and body.get("condition") is None
    assert server.sent[-1] == b"</stream:stream>"
    await session.terminate("")


async def test_server_stream_error_is_passed_on_as_remote_stream_error(
        server: ScriptedServer) -> None:
    session = session_with(server)
    server.push(HEADER + FEATURES)
    await session.handle(BoshRequest(100))
    held = asyncio.create_task(session.handle(BoshRequest(101)))

    server.push(b"<stream:error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                b"</stream:error></stream:stream>")
    body = etree.fromstring(await held)

    assert (body.get("type"), body.get("condition")) == ("terminate", "remote-stream-error")
    assert children(etree.tostring(body)) == ["error"]


async def test_request_waiting_for_a_missing_rid_is_answered_when_the_session_ends(
        server: ScriptedServer) -> None:
    session = session_with(server)
    server.push(HEADER + FEATURES)
    await session.handle(BoshRequest(100))
    early = asyncio.create_task(session.handle(BoshRequest(102)))
    # Not a wait: one turn of the loop, in which the request runs until it waits for rid 101
    # (nothing outside the session marks that moment).
    await asyncio.sleep(0)

    await session.terminate("system-shutdown")

    assert etree.fromstring(await early).get("condition") == "system-shutdown"


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_sweeper_ends_a_session_nobody_polls_and_frees_its_slot(
        server: ScriptedServer) -> None:
    clock = FakeClock()
    limiter = IpLimiter(max_sessions=1, requests_per_minute=60)
    registry = BoshRegistry(limiter, session_timeout_s=3600, clock=clock)
    assert limiter.open_session("192.0.2.1") is None
    session = BoshSession("sid-1", "192.0.2.1", cast(Upstream, server), params(), 100, clock)
    registry.add(session)
    session.start()
    server.push(HEADER + FEATURES)
    await session.handle(BoshRequest(100))

    clock.now += 31.0  # past the inactivity period of 30 s
    await registry.sweep()
    await server.taken_in()  # the end of the stream too, after which the session is over

    assert server.closed and registry.get("sid-1") is None
    assert limiter.open_session("192.0.2.1") is None


def message(n: int, size: int = 1000) -> bytes:
    return b"<message id='m%d'><body>%s</body></message>" % (n, b"x" * size)


async def test_server_data_past_the_cap_waits_in_the_server_until_the_patron_collects_it(
        server: ScriptedServer) -> None:
    session = BoshSession("sid-1", "192.0.2.1", cast(Upstream, server), params(), 100,
                          max_pending=8192)
    session.start()
    server.push(HEADER + FEATURES)
    await session.handle(BoshRequest(100))
    for n in range(100):  # the patron does not poll meanwhile
        server.push(message(n))
    await asyncio.sleep(0.05)

    assert server.unread() > 80  # the session stopped reading its stream
    received: list[str] = []
    for rid in range(101, 200):
        body = await asyncio.wait_for(session.handle(BoshRequest(rid)), 2.0)
        assert len(body) < 8192 + 2 * len(message(0))
        received += [child.get("id") or "" for child in etree.fromstring(body)]
        if len(received) == 100:
            break

    assert received == [f"m{n}" for n in range(100)]  # all of it, in order
    await session.terminate("")


async def test_session_ending_while_its_reader_waits_for_the_patron_is_over(
        server: ScriptedServer) -> None:
    ended = asyncio.Event()
    session = BoshSession("sid-1", "192.0.2.1", cast(Upstream, server), params(), 100,
                          max_pending=4096)
    session.on_end = lambda _: ended.set()
    session.start()
    server.push(HEADER + FEATURES + b"".join(message(n) for n in range(20)))
    await asyncio.sleep(0.05)

    await session.terminate("")

    await asyncio.wait_for(ended.wait(), 2.0)
