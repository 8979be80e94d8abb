"""Patrons over the gateway's BOSH endpoint (XEP-0124/0206): login with restart, chat, request
ids as XEP-0124 section 14 says, and refusals that spare the other patrons."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import AsyncIterator, Callable
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
    utf16_with_bom,
)
from tests.integration.patrons import (
    CLIENT,
    HTTPBIND,
    BoshPatron,
    bosh_patron,
    chat,
    has_body,
)
from tests.integration.xmpp import Session, operator

OPERATOR = "ada@alpha.test"
FLOODER = "127.0.61.20"
HOARDER = "127.0.61.21"
EVIL = "https://evil.example"


@pytest.fixture(scope="module")
def alpha(lab: dict[str, Any]) -> dict[str, Any]:
    return next(site for site in lab["libraries"] if site["domain"] == "alpha.test")


@pytest.fixture(scope="module")
async def librarian(lab: dict[str, Any]) -> AsyncIterator[Session]:
    async with operator(lab, OPERATOR) as session:
        yield session


@pytest.fixture(scope="module")
async def bystander(alpha: dict[str, Any]) -> AsyncIterator[BoshPatron]:
    """Another patron, chatting all along while the others misbehave."""
    async with bosh_patron(alpha) as patron:
        await patron.login(alpha["guest_host"])
        yield patron


async def chat_round_trip(patron: BoshPatron, librarian: Session, text: str) -> None:
    # The request carrying the message is held until the librarian's answer comes back in it.
    sent = asyncio.create_task(patron.request(chat(librarian.jid, text)))
    received = await librarian.messages.wait_for(lambda m: m["body"] == text)
    assert str(received["from"]) == patron.jid
    librarian.xmpp.send_message(mto=JID(patron.jid), mbody=f"re: {text}", mtype="chat")
    reply = await sent
    if not any(has_body(f"re: {text}")(payload) for payload in reply):
        await patron.poll_until(has_body(f"re: {text}"))


async def test_patron_logs_in_over_bosh_with_a_restart_and_chats_with_an_operator(
        alpha: dict[str, Any], librarian: Session) -> None:
    async with bosh_patron(alpha) as patron:
        jid = await patron.login(alpha["guest_host"])

        assert jid.split("/")[0].endswith("@" + alpha["guest_host"])
        await chat_round_trip(patron, librarian, "Where are the theses from 1987?")


async def test_session_creation_promises_what_xep_0124_asks(alpha: dict[str, Any]) -> None:
    async with bosh_patron(alpha) as patron:
        created = await patron.request(to=alpha["guest_host"], wait="300", hold="5",
                                       xmpp_version="1.0")
        patron.sid = created.get("sid") or ""

    assert len(patron.sid) >= 32
    assert (created.get("wait"), created.get("hold"), created.get("requests")) == ("60", "1", "2")
    assert created.get("from") == alpha["guest_host"]
    assert created.get("{urn:xmpp:xbosh}version") == "1.0"
    assert created.get("authid")


async def test_out_of_order_requests_are_executed_in_rid_order(
        alpha: dict[str, Any], librarian: Session) -> None:
    async with bosh_patron(alpha) as patron:
        await patron.login(alpha["guest_host"])
        first, second = next(patron.rids), next(patron.rids)
        to = librarian.jid

        late = asyncio.create_task(patron.post(patron.body(chat(to, "second"), rid=second)))
        # What is tested is that nothing happens: nothing marks the moment the gateway holds
        # the request back, so it is given time to arrive alone (and to be wrongly executed).
        await asyncio.sleep(0.3)
        assert not librarian.messages.items or all(
            m["body"] != "second" for m in librarian.messages.items)
        early = await patron.post(patron.body(chat(to, "first"), rid=first))
        await librarian.messages.wait_for(lambda m: m["body"] == "second")
        librarian.xmpp.send_message(mto=JID(patron.jid), mbody="got both", mtype="chat")
        await late

    bodies = [m["body"] for m in librarian.messages.items if m["body"] in ("first", "second")]
    assert bodies == ["first", "second"]
    assert early[0] == 200


async def test_repeated_request_is_answered_again_and_not_executed_twice(
        alpha: dict[str, Any], librarian: Session) -> None:
    async with bosh_patron(alpha) as patron:
        await patron.login(alpha["guest_host"])
        body = patron.body(chat(librarian.jid, "only once, please"))

        sent = asyncio.create_task(patron.post(body))
        retried = asyncio.create_task(patron.post(body))  # a retransmission while held
        await librarian.messages.wait_for(lambda m: m["body"] == "only once, please")
        librarian.xmpp.send_message(mto=JID(patron.jid), mbody="understood", mtype="chat")
        (status, answer), (_, retried_answer) = await sent, await retried
        (_, replayed) = await patron.post(body)  # and once more after the answer
        # Stanzas keep their order: had the replay gone to the server again, the librarian
        # would have it before this one.
        await chat_round_trip(patron, librarian, "and this one after it")

    assert status == 200
    assert answer.find(f".//{{{CLIENT}}}body") is not None
    assert [m["body"] for m in librarian.messages.items].count("only once, please") == 1
    for again in (retried_answer, replayed):
        assert again.findtext(f".//{{{CLIENT}}}body") == "understood"


async def test_rid_beyond_the_window_ends_the_session_with_item_not_found(
        alpha: dict[str, Any]) -> None:
    async with bosh_patron(alpha) as patron:
        await patron.login(alpha["guest_host"])

        _, beyond = await patron.post(patron.body(rid=next(patron.rids) + 5))
        _, after = await patron.post(patron.body())

    assert (beyond.get("type"), beyond.get("condition")) == ("terminate", "item-not-found")
    assert (after.get("type"), after.get("condition")) == ("terminate", "item-not-found")


async def test_restart_before_authentication_is_a_bad_request(alpha: dict[str, Any]) -> None:
    async with bosh_patron(alpha) as patron:
        created = await patron.request(to=alpha["guest_host"], wait="5", hold="1")
        patron.sid = created.get("sid") or ""

        restarted = await patron.request(to=alpha["guest_host"], xmpp_restart="true")

    assert (restarted.get("type"), restarted.get("condition")) == ("terminate", "bad-request")


@pytest.mark.parametrize("attack", [BILLION_LAUGHS, EXTERNAL_ENTITY],
                         ids=["billion-laughs", "external-entity"])
async def test_documents_with_entities_are_refused_as_bad_requests(
        alpha: dict[str, Any], bystander: BoshPatron, librarian: Session, attack: bytes) -> None:
    async with bosh_patron(alpha) as attacker:
        status, reply = await attacker.post(attack)

    assert status == 400
    assert (reply.get("type"), reply.get("condition")) == ("terminate", "bad-request")
    await chat_round_trip(bystander, librarian, "still there after the entities?")


@pytest.mark.parametrize("encode", [utf16_with_bom, utf16_declared],
                         ids=["utf-16-bom", "utf-16-declared"])
async def test_doctype_hidden_in_utf16_is_refused_and_opens_no_file(
        alpha: dict[str, Any], bystander: BoshPatron, librarian: Session,
        file_canary: FileCanary, encode: Callable[[bytes], bytes]) -> None:
    for target in (str(file_canary.path), "/dev/zero"):
        async with bosh_patron(alpha) as attacker:
            status, reply = await attacker.post(encode(external_parameter_entity(target)))

        assert status == 400
        assert (reply.get("type"), reply.get("condition")) == ("terminate", "bad-request")

    assert not file_canary.opened.is_set()
    await chat_round_trip(bystander, librarian, "still there after the UTF-16?")


async def test_oversized_body_is_refused_with_413_and_policy_violation(
        alpha: dict[str, Any], bystander: BoshPatron, librarian: Session) -> None:
    async with bosh_patron(alpha) as attacker:
        await attacker.login(alpha["guest_host"])

        refused_rid = next(attacker.rids)
        big = chat(librarian.jid, "x" * 70_000)  # over the default 65536 bytes
        status, reply = await attacker.post(attacker.body(big, rid=refused_rid))
        attacker.rids = itertools.count(refused_rid)  # it never reached the session

    assert status == 413
    assert (reply.get("type"), reply.get("condition")) == ("terminate", "policy-violation")
    await chat_round_trip(bystander, librarian, "still there after the big one?")


async def test_page_from_an_unknown_origin_gets_no_cors_and_403(
        alpha: dict[str, Any], bystander: BoshPatron, librarian: Session) -> None:
    async with aiohttp.ClientSession() as http, http.options(alpha["gateway"]["bosh"], headers={
            "Origin": EVIL, "Access-Control-Request-Method": "POST"}) as preflight:
        assert preflight.status == 403
        assert "Access-Control-Allow-Origin" not in preflight.headers
    async with bosh_patron(alpha, origin=EVIL) as stranger:
        status, reply = await stranger.post(stranger.body(to=alpha["guest_host"]))

    assert status == 403
    assert reply.get("condition") == "policy-violation"
    await chat_round_trip(bystander, librarian, "still there after the stranger?")


async def test_widget_page_gets_cors_answers(alpha: dict[str, Any]) -> None:
    origin = alpha["gateway"]["http"]
    async with aiohttp.ClientSession() as http, http.options(alpha["gateway"]["bosh"], headers={
            "Origin": origin, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type"}) as preflight:
        assert preflight.status == 204
        assert preflight.headers["Access-Control-Allow-Origin"] == origin
        assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
        assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]


async def test_flood_from_one_address_gets_429(
        alpha: dict[str, Any], bystander: BoshPatron, librarian: Session) -> None:
    async with bosh_patron(alpha, local_address=FLOODER) as flooder:
        statuses = []
        for _ in range(200):  # above the burst of the default 600 per minute
            async with flooder.http.post(flooder.url, data=f'<body xmlns="{HTTPBIND}"/>',
                                         headers=flooder.headers) as response:
                statuses.append(response.status)
                if response.status == 429:
                    assert response.headers["Retry-After"]
                    assert b'condition="policy-violation"' in await response.read()

    assert statuses[0] == 400 and statuses[-1] == 429
    await chat_round_trip(bystander, librarian, "still there after the flood?")


async def test_too_many_sessions_from_one_address_get_429(
        alpha: dict[str, Any], bystander: BoshPatron, librarian: Session) -> None:
    async with contextlib.AsyncExitStack() as stack:
        for _ in range(20):  # the default max_sessions_per_ip
            patron = await stack.enter_async_context(bosh_patron(alpha, local_address=HOARDER))
            patron.sid = (await patron.request(to=alpha["guest_host"])).get("sid") or ""
        async with bosh_patron(alpha, local_address=HOARDER) as one_too_many:
            status, reply = await one_too_many.post(one_too_many.body(to=alpha["guest_host"]))

    assert status == 429
    assert reply.get("condition") == "policy-violation"
    await chat_round_trip(bystander, librarian, "still there after the crowd?")
