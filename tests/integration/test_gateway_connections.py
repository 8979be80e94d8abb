"""Connections that never finish a request, against a gateway of the lab's alpha.test that may
open only 640 files: one address holding hundreds of them (as 20,000 once froze a gateway for
everyone), many addresses filling it, and a body sent too slowly. A bystander shows the others
are still served."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from slixmpp import JID

from tests.integration.patrons import (
    TIMEOUT_S,
    OwnGateway,
    chat,
    has_body,
    own_gateway,
    ws_patron,
)
from tests.integration.xmpp import Session, operator

OPERATOR = "abe@alpha.test"
PORT = 8183
OPEN_FILES = 640  # max_connections 4000 and max_sessions 2000 are lowered to 256 and 128
CONNECTIONS_PER_IP = 20
HEADER_TIMEOUT_S = 5.0
BODY_TIMEOUT_S = 2.0
HALF_OPEN = 300
ATTACKER = "127.0.61.50"
CROWD = [f"127.0.61.{n}" for n in range(51, 67)]  # 16 x 20 connections: past the 256
SLOW = "127.0.61.67"
Stream = tuple[asyncio.StreamReader, asyncio.StreamWriter]


@pytest.fixture(scope="module")
def gateway(lab: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[OwnGateway]:
    with own_gateway(lab, "alpha.test", PORT, tmp_path_factory.mktemp("gateway"), {
            "max_connections_per_ip": CONNECTIONS_PER_IP, "header_timeout_s": HEADER_TIMEOUT_S,
            "body_timeout_s": BODY_TIMEOUT_S}, max_open_files=OPEN_FILES) as running:
        yield running


@pytest.fixture(scope="module")
async def librarian(lab: dict[str, Any]) -> AsyncIterator[Session]:
    async with operator(lab, OPERATOR) as session:
        yield session


@contextlib.asynccontextmanager
async def half_open(gateway: OwnGateway, sources: list[str], each: int
                    ) -> AsyncIterator[list[Stream]]:
    """`each` connections from every address in `sources` that send nothing at all."""
    address = gateway.site["address"]
    streams = [await asyncio.open_connection(address, PORT, local_addr=(source, 0))
               for source in sources for _ in range(each)]
    try:
        yield streams
    finally:
        for _, writer in streams:
            writer.close()


async def answers(streams: list[Stream]) -> list[bytes]:
    """What the gateway wrote on each connection before closing it (b"" for nothing)."""
    async with asyncio.timeout(HEADER_TIMEOUT_S * 3):
        return list(await asyncio.gather(*(reader.read() for reader, _ in streams)))


async def chat_round_trip(gateway: OwnGateway, librarian: Session, text: str) -> None:
    async with asyncio.timeout(TIMEOUT_S), ws_patron(gateway.site) as patron:
        await patron.login(gateway.site["guest_host"])
        await patron.send(chat(librarian.jid, text))
        await librarian.messages.wait_for(lambda m: m["body"] == text)
        librarian.xmpp.send_message(mto=JID(patron.jid), mbody=f"re: {text}", mtype="chat")
        await patron.expect(has_body(f"re: {text}"))


async def test_half_open_connections_from_one_address_cost_it_its_share_and_nobody_else(
        gateway: OwnGateway, librarian: Session) -> None:
    async with half_open(gateway, [ATTACKER], HALF_OPEN) as streams:
        await chat_round_trip(gateway, librarian, "still there with 300 half-open?")
        received = await answers(streams)

    refused = [data for data in received if data.startswith(b"HTTP/1.1 429 ")]
    timed_out = [data for data in received if data == b""]
    assert (len(refused), len(timed_out)) == (HALF_OPEN - CONNECTIONS_PER_IP, CONNECTIONS_PER_IP)
    log = gateway.log_text()
    assert "Traceback" not in log
    assert log.count(f"refused {ATTACKER}: connections per address") == 1


async def test_a_crowd_past_the_total_gets_503_until_the_header_timeout_frees_it(
        gateway: OwnGateway, librarian: Session) -> None:
    async with half_open(gateway, CROWD, CONNECTIONS_PER_IP) as streams:
        received = await answers(streams)

    busy = [data for data in received if data.startswith(b"HTTP/1.1 503 ")]
    assert busy and all(data in (b"", busy[0]) for data in received)
    assert b"the chat service is busy" in busy[0]
    await chat_round_trip(gateway, librarian, "still there after the crowd left?")
    assert "Traceback" not in gateway.log_text()


async def test_bosh_body_sent_too_slowly_gets_408(gateway: OwnGateway) -> None:
    reader, writer = await asyncio.open_connection(gateway.site["address"], PORT,
                                                   local_addr=(SLOW, 0))
    writer.write(b"POST /http-bind HTTP/1.1\r\nHost: " + gateway.site["address"].encode()
                 + b"\r\nContent-Type: text/xml\r\nContent-Length: 500\r\n\r\n<body rid='1'")
    async with asyncio.timeout(BODY_TIMEOUT_S * 5):
        head = await reader.readuntil(b"\r\n\r\n")
        answer = await reader.read(200)
    writer.close()

    assert head.startswith(b"HTTP/1.1 408 ")
    assert b'condition="policy-violation"' in answer
