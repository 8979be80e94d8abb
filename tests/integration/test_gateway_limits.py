"""The gateway's capacity limits, against gateways of the lab's alpha.test with small limits of
their own: sessions in total, per IPv6 network behind a proxy, and what a BOSH session keeps
for a patron who does not poll."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from lxml import etree
from slixmpp import JID

from tests.integration.patrons import (
    CLIENT,
    STREAM_ERRORS,
    STREAMS,
    TIMEOUT_S,
    BoshPatron,
    OwnGateway,
    WsPatron,
    bosh_patron,
    chat,
    has_body,
    open_frame,
    own_gateway,
    q,
    stream_error_condition,
    ws_patron,
)
from tests.integration.xmpp import Session, operator

OPERATOR = "ada@alpha.test"
PORT, BUFFERED_PORT = 8181, 8182
PROXY = "127.0.61.40"  # a reverse proxy in front of the gateway, trusted with X-Forwarded-For
CROWD = "127.0.61.41"
MAX_SESSIONS = 3
MAX_SESSIONS_PER_IP = 2
PENDING_BYTES = 16384
READER = "127.0.61.42"
FIRST_FRAMES = (q(STREAMS, "features"), q(STREAMS, "error"))


@pytest.fixture(scope="module")
def gateway(lab: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[OwnGateway]:
    with own_gateway(lab, "alpha.test", PORT, tmp_path_factory.mktemp("gateway"), {
            "max_sessions": MAX_SESSIONS, "max_sessions_per_ip": MAX_SESSIONS_PER_IP,
            "trusted_proxies": [PROXY]}) as running:
        yield running


@pytest.fixture(scope="module")
def buffered(lab: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[OwnGateway]:
    with own_gateway(lab, "alpha.test", BUFFERED_PORT, tmp_path_factory.mktemp("gateway"),
                     {"bosh_max_pending_bytes": PENDING_BYTES}) as running:
        yield running


@pytest.fixture(scope="module")
async def librarian(lab: dict[str, Any]) -> AsyncIterator[Session]:
    async with operator(lab, OPERATOR) as session:
        yield session


@contextlib.asynccontextmanager
async def proxied(gateway: OwnGateway, client: str) -> AsyncIterator[BoshPatron]:
    """A BOSH patron at `client`, as the reverse proxy forwards it."""
    async with bosh_patron(gateway.site, local_address=PROXY) as patron:
        patron.headers["X-Forwarded-For"] = client
        yield patron


async def create(patron: BoshPatron, gateway: OwnGateway) -> tuple[int, etree._Element]:
    status, reply = await patron.post(patron.body(to=gateway.site["guest_host"], wait="5"))
    patron.sid = reply.get("sid") or ""
    return status, reply


@contextlib.asynccontextmanager
async def served(gateway: OwnGateway) -> AsyncIterator[WsPatron]:
    """A logged-in WebSocket patron, once the sessions just ended have given back their seats
    (a BOSH session's seat is free when the server has closed its stream)."""
    async with asyncio.timeout(TIMEOUT_S):
        while True:
            async with ws_patron(gateway.site, local_address=CROWD) as patron:
                await patron.send(open_frame(gateway.site["guest_host"]))
                first = await patron.expect(lambda f: f.tag in FIRST_FRAMES)
                if first.tag == q(STREAMS, "features"):
                    await patron.login(gateway.site["guest_host"], opened=True)
                    yield patron
                    return
            await asyncio.sleep(0.1)


async def test_ipv6_patron_rotating_addresses_in_its_64_is_held_to_its_sessions(
        gateway: OwnGateway) -> None:
    async with contextlib.AsyncExitStack() as stack:
        for n in range(1, MAX_SESSIONS_PER_IP + 1):
            patron = await stack.enter_async_context(proxied(gateway, f"2001:db8:1:2::{n}"))
            assert (await create(patron, gateway))[0] == 200
        rotated = await stack.enter_async_context(proxied(gateway, "2001:db8:1:2:ffff::7"))
        status, reply = await create(rotated, gateway)
        elsewhere = await stack.enter_async_context(proxied(gateway, "2001:db8:1:3::1"))

        assert (status, reply.get("condition")) == (429, "policy-violation")
        assert (await create(elsewhere, gateway))[0] == 200


async def test_full_gateway_answers_503_and_resource_constraint_until_a_session_ends(
        gateway: OwnGateway, librarian: Session) -> None:
    async with contextlib.AsyncExitStack() as stack:
        for n in range(MAX_SESSIONS):
            patron = await stack.enter_async_context(proxied(gateway, f"192.0.2.{n + 1}"))
            assert (await create(patron, gateway))[0] == 200
        late = await stack.enter_async_context(proxied(gateway, "198.51.100.1"))
        status, reply = await create(late, gateway)
        async with ws_patron(gateway.site, local_address=CROWD) as websocket:
            frames = await websocket.closed()

    assert status == 503
    assert reply.get("condition") == "remote-stream-error"
    assert stream_error_condition(reply[0]) == "resource-constraint"
    errors = [frame for frame in frames if frame.tag == q(STREAMS, "error")]
    assert [stream_error_condition(error) for error in errors] == ["resource-constraint"]
    assert errors[0].findtext(q(STREAM_ERRORS, "text")) == (
        "the chat service is full; please try again in a minute")
    async with served(gateway) as seated:
        await seated.send(chat(librarian.jid, "a seat at last?"))
        await librarian.messages.wait_for(lambda m: m["body"] == "a seat at last?")
        librarian.xmpp.send_message(mto=JID(seated.jid), mbody="yes", mtype="chat")
        await seated.expect(has_body("yes"))



async def test_patron_who_stops_polling_gets_all_the_server_sent_in_answers_under_the_cap(
        buffered: OwnGateway, librarian: Session) -> None:
    line = "y" * 2000
    async with bosh_patron(buffered.site, local_address=READER) as patron:
        await patron.login(buffered.site["guest_host"])
        for n in range(200):  # 400 kB for a patron who is not polling
            librarian.xmpp.send_message(mto=JID(patron.jid), mbody=f"{n} {line}", mtype="chat")
        # A round trip to the server after the messages: it has routed them all to the gateway.
        await librarian.xmpp.plugin["xep_0030"].get_info(jid=JID(JID(OPERATOR).domain))
        sizes: list[int] = []
        bodies: list[str] = []
        async with asyncio.timeout(TIMEOUT_S * 3):
            while len(bodies) < 200:
                status, reply = await patron.post(patron.body())
                assert status == 200 and reply.get("type") != "terminate"
                sizes.append(len(etree.tostring(reply)))
                bodies += [message.findtext(q(CLIENT, "body")) or "" for message in reply
                           if message.tag == q(CLIENT, "message")]

    most = PENDING_BYTES + 2 * len(line)  # the cap, and the message that went past it
    assert max(sizes) < most, sizes
    assert [body.split()[0] for body in bodies] == [str(n) for n in range(200)]
