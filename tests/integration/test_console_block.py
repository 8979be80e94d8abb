"""A librarian blocks an abusive patron: the chat ends (the patron is told only that), the
patron's session can ask nothing more, and Alpha's gateway closes their connection and turns
their address away (WebSocket and BOSH) until the block expires, while other addresses, and
librarians behind the same one, are served."""

from __future__ import annotations

from typing import Any

import pytest
from slixmpp import JID
from slixmpp.exceptions import IqError

from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.models import ChatState
from refdesk.db.stores.blocks import BlockRecord, BlockStore
from tests.integration.console import NO_SUCH_CHAT, ask, console, refused
from tests.integration.patrons import (
    CLIENT,
    STREAMS,
    bosh_patron,
    open_frame,
    q,
    stream_error_condition,
    ws_patron,
)
from tests.integration.queue import (
    carrying,
    chat_record,
    claim_by_text,
    coop_room,
    database_url,
    join,
    request,
    site,
)
from tests.integration.xmpp import Session, operator, patron

QUEUE = "urn:refdesk:queue:0"
ABUSER = "127.0.61.80"
NEIGHBOUR = "127.0.61.81"
REASON = "Threats against staff"
BLOCKED = "You cannot start a new chat here at the moment."
FEATURES_OR_ERROR = (q(STREAMS, "features"), q(STREAMS, "error"))


async def _blocks(lab: dict[str, Any], chat: str) -> list[BlockRecord]:
    engine = create_engine(database_url(lab, "alpha.test"))
    try:
        return await BlockStore(create_sessionmaker(engine)).of_chat(
            chat.split("@")[0].removeprefix("chat-"))
    finally:
        await engine.dispose()


async def _claimed(ben: Session, chat: str) -> None:
    await ben.messages.wait_for(carrying("offer", chat))
    await claim_by_text(ben, chat)


async def test_ben_blocks_a_websocket_patron_whose_address_alphas_gateway_then_refuses(
    lab: dict[str, Any],
) -> None:
    alpha = site(lab, "alpha.test")
    async with operator(lab, "ben@beta.test") as ben:
        await join(ben, coop_room(lab, "coop-247"), "Ben")
        async with ws_patron(alpha, local_address=ABUSER) as abuser:
            await abuser.login(alpha["guest_host"])
            chat = await abuser.ask("queue.alpha.test", "alpha-main", "You are all useless")
            await _claimed(ben, chat)

            await ask(ben, chat, "set", console("block", {"minutes": "60"}, reason=REASON))

            ended = await abuser.expect(lambda f: f.find(q(QUEUE, "ended")) is not None)
            assert ended.findtext(q(CLIENT, "body")) == "The chat has ended."
            frames = await abuser.closed()  # the gateway closes the blocked session
            errors = [stream_error_condition(f) for f in frames if f.tag == q(STREAMS, "error")]
            assert errors == ["policy-violation"], abuser.shown()
            told = "\n".join(abuser.shown())
            assert REASON not in told and "block" not in told.lower()
        async with ws_patron(alpha, local_address=ABUSER) as again:
            await again.send(open_frame(alpha["guest_host"]))
            refusal = await again.expect(lambda f: f.tag == q(STREAMS, "error"))
            assert stream_error_condition(refusal) == "policy-violation"
            assert "address" in "".join(refusal.itertext())
        async with bosh_patron(alpha, local_address=ABUSER) as over_bosh:
            status, reply = await over_bosh.post(over_bosh.body(to=alpha["guest_host"]))
            assert (status, reply.get("condition")) == (403, "policy-violation")
        async with ws_patron(alpha, local_address=NEIGHBOUR) as neighbour:
            assert await neighbour.login(alpha["guest_host"])
        # A librarian behind the same address (the library's own network) still logs in.
        async with ws_patron(alpha, local_address=ABUSER) as librarian:
            await librarian.send(open_frame(alpha["domain"]))
            answer = await librarian.expect(lambda f: f.tag in FEATURES_OR_ERROR)
            assert answer.tag == q(STREAMS, "features"), librarian.shown()
    record, _ = await chat_record(lab, chat)
    [block] = await _blocks(lab, chat)
    assert record.state == ChatState.ENDED
    assert (block.reason, block.blocked_by, block.patron_jid) == (
        REASON, "ben@beta.test", record.patron_jid)
    assert block.address_key and ABUSER not in block.address_key


async def test_a_blocked_patrons_session_may_ask_nothing_more_and_bad_blocks_are_refused(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "ben@beta.test") as ben, operator(lab, "ann@alpha.test") as ann,
                patron(lab, "alpha.test") as pat):
        await join(ben, coop_room(lab, "coop-247"), "Ben")
        chat = str((await request(pat, "alpha.test", "alpha-main", "Hello?"))
                   ["refdesk_chat"]["jid"])
        await _claimed(ben, chat)
        for minutes, reason in (("0", REASON), ("525601", REASON), ("soon", REASON)):
            condition, text = await refused(ben, chat, "set", _unchecked(minutes, reason))
            assert (condition, "minutes" in text) == ("bad-request", True)
        for reason in ("   ", "x" * 4001):
            condition, text = await refused(ben, chat, "set", _unchecked("60", reason))
            assert (condition, "reason" in text) == ("bad-request", True)
        assert await refused(ann, chat, "set", console("block", {"minutes": "5"},
                                                       reason=REASON)) == NO_SUCH_CHAT
        assert await refused(pat, chat, "set", console("block", {"minutes": "5"},
                                                       reason=REASON)) == NO_SUCH_CHAT

        await ask(ben, chat, "set", console("block", {"minutes": "525600"}, reason=REASON))

        ended = await pat.messages.wait_for(carrying("ended"))
        assert ended["body"] == "The chat has ended."
        await ben.messages.wait_for(lambda m: "blocked the patron" in m["body"])
        iq = pat.xmpp.make_iq_set(ito="queue.alpha.test")
        iq["refdesk_request"]["widget"], iq["refdesk_request"]["question"] = "alpha-main", "Hi"
        with pytest.raises(IqError) as again:
            await iq.send(timeout=15)
        assert (again.value.condition, again.value.text) == ("forbidden", BLOCKED)
        async with patron(lab, "alpha.test") as someone_else:
            other = await request(someone_else, "alpha.test", "alpha-main", "Opening hours?")
            assert other["refdesk_chat"]["jid"]
            cancel = someone_else.xmpp.make_iq_set(ito=JID(other["refdesk_chat"]["jid"]))
            cancel.enable("refdesk_cancel")
            await cancel.send(timeout=15)


def _unchecked(minutes: str, reason: str) -> Any:
    """A block that the XSD would refuse: what a careless or hostile client may send."""
    element = console("block", {"minutes": "60"}, reason="placeholder")
    element.set("minutes", minutes)
    element[0].text = reason
    return element
