"""Patrons over the gateway's RFC 7395 WebSocket: login, chat, and refusals that spare others."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from slixmpp import JID

from tests.gateway.attacks import (
    BILLION_LAUGHS,
    EXTERNAL_ENTITY,
    FileCanary,
    external_parameter_entity,
    utf16_declared,
)
from tests.integration.patrons import (
    CLIENT,
    FRAMING,
    STREAMS,
    WsPatron,
    chat,
    has_body,
    open_frame,
    q,
    stream_error_condition,
    ws_patron,
)
from tests.integration.xmpp import Session, operator

OPERATOR = "abe@alpha.test"
# Loopback addresses of their own for the abusive clients, so that their limits hit nobody else.
FLOODER = "127.0.61.10"
HOARDER = "127.0.61.11"


@pytest.fixture(scope="module")
def alpha(lab: dict[str, Any]) -> dict[str, Any]:
    return next(site for site in lab["libraries"] if site["domain"] == "alpha.test")


@pytest.fixture(scope="module")
async def librarian(lab: dict[str, Any]) -> AsyncIterator[Session]:
    async with operator(lab, OPERATOR) as session:
        yield session


@pytest.fixture(scope="module")
async def bystander(alpha: dict[str, Any]) -> AsyncIterator[WsPatron]:
    """Another patron, chatting all along while the others misbehave."""
    async with ws_patron(alpha) as patron:
        await patron.login(alpha["guest_host"])
        yield patron


async def chat_round_trip(patron: WsPatron, librarian: Session, text: str) -> None:
    await patron.send(chat(librarian.jid, text))
    received = await librarian.messages.wait_for(lambda m: m["body"] == text)
    assert str(received["from"]) == patron.jid
    librarian.xmpp.send_message(mto=JID(patron.jid), mbody=f"re: {text}", mtype="chat")
    await patron.expect(has_body(f"re: {text}"))


async def refused_with(patron: WsPatron, frame: str | bytes) -> str | None:
    await patron.send(frame)
    frames = await patron.closed()
    errors = [stream_error_condition(f) for f in frames if f.tag == q(STREAMS, "error")]
    assert frames[-1].tag == q(FRAMING, "close"), patron.shown()
    return errors[0] if errors else None


async def test_patron_logs_in_anonymously_over_websocket_and_chats_with_an_operator(
        alpha: dict[str, Any], librarian: Session) -> None:
    async with ws_patron(alpha) as patron:
        jid = await patron.login(alpha["guest_host"])

        assert patron.ws.protocol == "xmpp"
        assert patron.header is not None
        assert (patron.header.get("from"), patron.header.get("version")) == (
            alpha["guest_host"], "1.0")
        assert patron.header.get("id")
        assert jid.split("/")[0].endswith("@" + alpha["guest_host"])
        await chat_round_trip(patron, librarian, "Do you have the 1911 census on microfilm?")


async def test_patron_closing_the_stream_gets_close_back_and_the_socket_closes(
        alpha: dict[str, Any]) -> None:
    async with ws_patron(alpha) as patron:
        await patron.login(alpha["guest_host"])
        patron.frames.clear()

        await patron.send(f'<close xmlns="{FRAMING}"/>')

        frames = await patron.closed()
        assert [f.tag for f in frames][-1:] == [q(FRAMING, "close")]


async def test_billion_laughs_ends_only_that_stream_with_restricted_xml(
        alpha: dict[str, Any], bystander: WsPatron, librarian: Session) -> None:
    async with ws_patron(alpha) as attacker:
        await attacker.login(alpha["guest_host"])

        assert await refused_with(attacker, BILLION_LAUGHS) == "restricted-xml"

    await chat_round_trip(bystander, librarian, "still there after the laughs?")


async def test_external_entity_reference_is_refused_with_restricted_xml(
        alpha: dict[str, Any], bystander: WsPatron, librarian: Session) -> None:
    async with ws_patron(alpha) as attacker:
        await attacker.send(open_frame(alpha["guest_host"]))
        await attacker.expect(lambda f: f.tag == q(STREAMS, "features"))

        assert await refused_with(attacker, EXTERNAL_ENTITY) == "restricted-xml"

    await chat_round_trip(bystander, librarian, "still there after the entity?")


async def test_doctype_hidden_in_utf16_is_refused_and_opens_no_file(
        alpha: dict[str, Any], bystander: WsPatron, librarian: Session,
        file_canary: FileCanary) -> None:
    # ASCII and NULs: a valid text frame that a byte scan for "<!" sees nothing in.
    for target in (str(file_canary.path), "/dev/zero"):
        async with ws_patron(alpha) as attacker:
            await attacker.login(alpha["guest_host"])
            attack = utf16_declared(external_parameter_entity(target)).decode()

            assert await refused_with(attacker, attack) == "unsupported-encoding"

    assert not file_canary.opened.is_set()
    await chat_round_trip(bystander, librarian, "still there after the UTF-16?")


@pytest.mark.parametrize("size", [70_000, 1_000_000], ids=["just-over", "a-megabyte"])
async def test_oversized_stanza_is_refused_with_policy_violation(
        alpha: dict[str, Any], bystander: WsPatron, librarian: Session, size: int) -> None:
    async with ws_patron(alpha) as attacker:
        await attacker.login(alpha["guest_host"])

        big = chat(librarian.jid, "x" * size)  # over the default 65536 bytes
        assert await refused_with(attacker, big) == "policy-violation"
        assert attacker.ws.close_code == aiohttp.WSCloseCode.OK  # not a bare 1009

    await chat_round_trip(bystander, librarian, "still there after the big one?")


async def test_page_from_an_unknown_origin_is_refused_at_the_handshake(
        alpha: dict[str, Any], bystander: WsPatron, librarian: Session) -> None:
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        async with ws_patron(alpha, origin="https://evil.example"):
            pass

    assert refused.value.status == 403
    await chat_round_trip(bystander, librarian, "still there after the stranger?")


async def test_handshake_without_the_xmpp_subprotocol_is_refused(alpha: dict[str, Any]) -> None:
    async with aiohttp.ClientSession() as http:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await http.ws_connect(alpha["gateway"]["websocket"], protocols=("chat",))

    assert refused.value.status == 400


async def test_stream_to_a_domain_the_gateway_does_not_serve_is_refused_with_host_unknown(
        alpha: dict[str, Any]) -> None:
    async with ws_patron(alpha) as patron:
        assert await refused_with(patron, open_frame("beta.test")) == "host-unknown"


async def test_flood_from_one_address_is_cut_off_with_policy_violation(
        alpha: dict[str, Any], bystander: WsPatron, librarian: Session) -> None:
    async with ws_patron(alpha, local_address=FLOODER) as flooder:
        await flooder.login(alpha["guest_host"])
        for _ in range(200):  # above the burst of the default 600 per minute
            if flooder.ws.closed:
                break
            with contextlib.suppress(ConnectionError):
                await flooder.send(f'<presence xmlns="{CLIENT}"/>')
        frames = await flooder.closed()

    conditions = [stream_error_condition(f) for f in frames]
    assert "policy-violation" in conditions, flooder.shown()
    await chat_round_trip(bystander, librarian, "still there after the flood?")


async def test_too_many_sessions_from_one_address_are_refused_with_policy_violation(
        alpha: dict[str, Any], bystander: WsPatron, librarian: Session) -> None:
    async with contextlib.AsyncExitStack() as stack:
        for _ in range(20):  # the default max_sessions_per_ip
            await stack.enter_async_context(ws_patron(alpha, local_address=HOARDER))
        async with ws_patron(alpha, local_address=HOARDER) as one_too_many:
            frames = await one_too_many.closed()

        assert [stream_error_condition(f) for f in frames] == [None, "policy-violation", None]
        assert frames[1].findtext(q("urn:ietf:params:xml:ns:xmpp-streams", "text")) == (
            "too many chat sessions from your address")
    await chat_round_trip(bystander, librarian, "still there after the crowd?")
