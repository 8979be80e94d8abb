"""A widget is online while anyone monitors one of its targets; patrons wait in order."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from contextlib import AsyncExitStack
from typing import Any

import pytest
from slixmpp import JID, Iq
from slixmpp.exceptions import IqError
from sqlalchemy import String, select, type_coerce

from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.models import Chat, ChatState, FollowupTicket
from tests.integration.queue import (
    asking,
    carrying,
    database_url,
    join,
    payload,
    request,
    room,
)
from tests.integration.xmpp import Session, eventually, operator, patron


async def _online(pat: Session, domain: str, widget: str) -> bool:
    iq = pat.xmpp.make_iq_get(ito=f"queue.{domain}")
    iq["refdesk_status"]["widget"] = widget
    reply: Iq = await iq.send(timeout=10)
    payload(reply, "status")
    return bool(reply["refdesk_status"]["online"] == "true")


async def test_gamma_widget_goes_offline_when_its_last_operator_leaves_and_back_online(
    lab: dict[str, Any],
) -> None:
    async with patron(lab, "gamma.test") as pat:
        def status() -> Awaitable[bool]:
            return _online(pat, "gamma.test", "gamma-main")
        await eventually(status, False)
        with pytest.raises(IqError) as refused:
            await request(pat, "gamma.test", "gamma-main", "Anyone there?")
        assert refused.value.condition == "service-unavailable"
        assert "offline" in refused.value.text
        async with operator(lab, "gus@gamma.test") as gus:
            desk = room(lab, "gamma.test", "Information Desk")
            await join(gus, desk, "Gus")
            await eventually(status, True)
            # As clients do: a status change goes to every room one is in.
            gus.xmpp.send_presence(pto=JID(f"{desk}/Gus"), pshow="away")
            await eventually(status, False)  # away is present, not monitoring
            gus.xmpp.send_presence(pto=JID(f"{desk}/Gus"))
            await eventually(status, True)
        await eventually(status, False)


async def test_unknown_widget_empty_or_oversized_questions_and_bad_details_are_refused_clearly(
    lab: dict[str, Any],
) -> None:
    async with patron(lab, "beta.test") as pat:
        with pytest.raises(IqError) as unknown:
            await request(pat, "beta.test", "no-such-widget", "Hello?")
        assert unknown.value.condition == "item-not-found"
        assert "no-such-widget" in unknown.value.text
        refusals = {
            "   ": "Please type your question first.",
            "x" * 2001: "at most 2000 characters",
        }
        for question, said in refusals.items():
            with pytest.raises(IqError) as refused:
                await request(pat, "beta.test", "beta-main", question)
            assert refused.value.condition == "bad-request"
            assert said in refused.value.text
        with pytest.raises(IqError) as bad_email:
            await request(pat, "beta.test", "beta-main", "Hello?", email="not an address")
        assert bad_email.value.condition == "bad-request"
        assert "email" in bad_email.value.text
        with pytest.raises(IqError) as long_name:
            await request(pat, "beta.test", "beta-main", "Hello?", name="N" * 300)
        assert long_name.value.condition == "bad-request"


async def test_three_waiting_patrons_see_their_place_and_wait_move_up_as_chats_are_claimed(
    lab: dict[str, Any],
) -> None:
    async with AsyncExitStack() as stack:
        ben = await stack.enter_async_context(operator(lab, "ben@beta.test"))
        await join(ben, room(lab, "beta.test", "Adult Services"), "Ben")
        patrons, chats = [], []
        for n in range(3):
            pat = await stack.enter_async_context(patron(lab, "beta.test"))
            chats.append(await stack.enter_async_context(
                asking(pat, "beta.test", "beta-main", f"Question number {n + 1}?")))
            patrons.append(pat)
        places = await asyncio.gather(*(_place(pat, p + 1) for p, pat in enumerate(patrons)))
        assert [place for place, _ in places] == [1, 2, 3]
        waits = [wait for _, wait in places]
        assert 0 < waits[0] < waits[1] < waits[2]

        ben.xmpp.send_message(mto=JID(chats[0]), mbody="/claim", mtype="chat")
        assert (await _place(patrons[1], 1))[0] == 1
        assert (await _place(patrons[2], 2))[0] == 2


async def _place(pat: Session, expected: int) -> tuple[int, int]:
    update = await pat.messages.wait_for(
        lambda m: carrying("queue-status")(m)
        and m["refdesk_queue_status"]["position"] == expected)
    status = update["refdesk_queue_status"]
    return status["position"], status["time"]


async def test_patron_who_gives_up_cancels_and_the_offer_is_withdrawn(lab: dict[str, Any]) -> None:
    async with operator(lab, "ben@beta.test") as ben, patron(lab, "beta.test") as pat:
        await join(ben, room(lab, "beta.test", "Adult Services"), "Ben")
        async with asking(pat, "beta.test", "beta-main", "Never mind") as chat:
            await ben.messages.wait_for(carrying("offer", chat))
        withdrawn = await ben.messages.wait_for(carrying("withdrawn", chat))
        assert "the patron cancelled" in withdrawn["body"]
        ben.xmpp.send_message(mto=JID(chat), mbody="/claim", mtype="chat")
        refused = await ben.messages.wait_for(
            lambda m: m["from"] == chat and "cancelled" in m["body"])
        assert refused["type"] == "chat"


async def test_patron_leaves_a_question_on_the_offline_gamma_widget_as_a_followup_ticket(
    lab: dict[str, Any],
) -> None:
    async with patron(lab, "gamma.test") as pat:
        assert not await _online(pat, "gamma.test", "gamma-main")
        iq = pat.xmpp.make_iq_set(ito="queue.gamma.test")
        left = iq["refdesk_ticket"]
        left["widget"], left["question"] = "gamma-main", "Can I donate old maps?"
        left["name"], left["email"] = "Pat", "pat@example.org"
        reply: Iq = await iq.send(timeout=10)
        payload(reply, "ticket")
        ticket_id = int(reply["refdesk_ticket"]["id"])
    engine = create_engine(database_url(lab, "gamma.test"))
    try:
        async with create_sessionmaker(engine)() as session:
            ticket = await session.get(FollowupTicket, ticket_id)
            assert ticket is not None
            chat = await session.get(Chat, ticket.chat_id)
    finally:
        await engine.dispose()
    assert chat is not None and chat.state == ChatState.LEFT
    assert (chat.question, chat.patron_email) == ("Can I donate old maps?", "pat@example.org")
    assert ticket.opened_by is None and "reply to pat@example.org" in (ticket.note or "")


async def test_one_patron_asking_and_cancelling_in_a_loop_does_not_swamp_the_library(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "ben@beta.test") as ben, patron(lab, "beta.test") as flood,
                patron(lab, "beta.test") as next_patron):
        await join(ben, room(lab, "beta.test", "Adult Services"), "Ben")
        for n in range(60):  # bounded: enough to see that nothing piles up
            async with asking(flood, "beta.test", "beta-main", f"Spam {n}?"):
                pass  # asks, then cancels at once
        refused = []
        for n in range(4):  # no more than three open at once
            try:
                await request(flood, "beta.test", "beta-main", f"Hoard {n}?")
            except IqError as error:
                refused.append(error.condition)
        assert refused == ["conflict"]
        async with asking(next_patron, "beta.test", "beta-main", "My turn?") as chat:
            await ben.messages.wait_for(carrying("offer", chat))
            _, wait = await _place(next_patron, 4)  # fourth: behind the flooder's three only
            assert wait < 600
        for open_chat in await _waiting_of(lab, flood.jid):
            cancel = flood.xmpp.make_iq_set(ito=JID(open_chat))
            cancel.enable("refdesk_cancel")
            await cancel.send(timeout=10)
    assert len(await _waiting_of(lab, flood.jid)) == 0


async def _waiting_of(lab: dict[str, Any], patron_jid: str) -> list[str]:
    """The chat JIDs this patron has waiting, from the library's own database."""
    engine = create_engine(database_url(lab, "beta.test"))
    try:
        async with create_sessionmaker(engine)() as session:
            patron = type_coerce(Chat.patron_jid, String)  # a LIKE pattern is no JID
            rows = await session.scalars(select(Chat.id).where(
                Chat.state == ChatState.WAITING, patron.startswith(f"{patron_jid}/")))
            return [f"chat-{chat_id}@queue.beta.test" for chat_id in rows]
    finally:
        await engine.dispose()
