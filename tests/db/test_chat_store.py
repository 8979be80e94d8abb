"""The chat store: one claim wins, transcripts stay in order, endings and tickets stick."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.db.models import (
    ChatCoop,
    ChatState,
    EndedBy,
    FollowupTicket,
    Institution,
    InstitutionKind,
    Sender,
    Widget,
)
from refdesk.db.stores.chats import ChatAlreadyClaimed, ChatStore, NewChat
from refdesk.errors import Conflict, InvalidInput, NotFound, NotPermitted


@pytest.fixture
async def store(sessions: async_sessionmaker[AsyncSession]) -> ChatStore:
    async with sessions() as session, session.begin():
        alpha = Institution(domain="alpha.test", name="Alpha", kind=InstitutionKind.ACADEMIC)
        session.add(alpha)
        await session.flush()
        session.add(Widget(id="alpha-main", institution_id=alpha.id, name="Ask Alpha"))
    return ChatStore(sessions)


def _question(n: int = 1) -> NewChat:
    return NewChat(widget_id="alpha-main", institution_id=1,
                   patron_jid=f"p{n}@guest.alpha.test/web", question=f"Question {n}?")


async def test_twenty_simultaneous_claims_have_exactly_one_winner(store: ChatStore) -> None:
    chat = await store.create(_question(), {"step": 0})
    claims = [store.claim(chat.id, f"op{i}@beta.test", f"Op{i}", "beta.test") for i in range(20)]
    outcomes = await asyncio.gather(*claims, return_exceptions=True)
    winners = [o for o in outcomes if not isinstance(o, BaseException)]
    losers = [o for o in outcomes if isinstance(o, ChatAlreadyClaimed)]
    assert len(winners) == 1 and len(losers) == 19
    assert {(loser.nick, loser.institution) for loser in losers} == {
        (winners[0].claimed_nick, "beta.test")
    }
    stored = await store.get(chat.id)
    assert (stored.state, stored.claimed_by) == (ChatState.ACTIVE, winners[0].claimed_by)


async def test_concurrent_transcript_lines_get_distinct_seqs_in_order(store: ChatStore) -> None:
    chat = await store.create(_question(), {})
    await asyncio.gather(*(store.append(chat.id, Sender.PATRON, f"line {i}") for i in range(8)))
    lines = await store.transcript(chat.id)
    assert [line.seq for line in lines] == list(range(1, 10))
    assert lines[0].body == "Question 1?"  # the question opens every transcript
    assert sorted(line.body for line in lines[1:]) == sorted(f"line {i}" for i in range(8))


async def test_claimed_chat_ends_is_rated_and_cannot_be_claimed_again(store: ChatStore) -> None:
    chat = await store.create(_question(), {})
    await store.claim(chat.id, "bea@beta.test", "Bea", "beta.test")
    ended = await store.end(chat.id, EndedBy.OPERATOR)
    assert (ended.state, ended.ended_by) == (ChatState.ENDED, EndedBy.OPERATOR)
    await store.rate(chat.id, 5, "Very helpful")
    assert (await store.get(chat.id)).rating == 5
    with pytest.raises(Conflict, match="ended"):
        await store.claim(chat.id, "ben@beta.test", "Ben", "beta.test")
    with pytest.raises(InvalidInput):
        await store.rate(chat.id, 6, None)


async def test_cancelled_chat_leaves_the_queue(store: ChatStore) -> None:
    first, second = await store.create(_question(1), {}), await store.create(_question(2), {})
    assert [c.id for c in await store.waiting()] == [first.id, second.id]
    await store.cancel(first.id)
    assert [c.id for c in await store.waiting()] == [second.id]
    with pytest.raises(Conflict):
        await store.cancel(first.id)


async def test_follow_up_opens_a_ticket_at_the_home_library(
    store: ChatStore, sessions: async_sessionmaker[AsyncSession],
) -> None:
    chat = await store.create(_question(), {})
    ticket_id = await store.follow_up(chat.id, "bea@beta.test", "Send the article list")
    async with sessions() as session:
        ticket = await session.scalar(select(FollowupTicket).where(FollowupTicket.id == ticket_id))
    assert ticket is not None
    assert (ticket.chat_id, ticket.institution_id, ticket.note) == (
        chat.id, 1, "Send the article list")
    assert (await store.get(chat.id)).routing == {}


async def test_release_after_transfer_puts_the_chat_back_in_the_queue(store: ChatStore) -> None:
    chat = await store.create(_question(), {"plan": 1})
    await store.claim(chat.id, "bea@beta.test", "Bea", "beta.test")
    released = await store.release(chat.id, {"plan": 2})
    assert (released.state, released.claimed_by, released.routing) == (
        ChatState.WAITING, None, {"plan": 2})
    await store.claim(chat.id, "ben@beta.test", "Ben", "beta.test")


async def test_unknown_chat_is_not_found(store: ChatStore) -> None:
    with pytest.raises(NotFound):
        await store.get("no-such-chat")


async def test_a_line_resent_with_the_same_message_id_is_kept_once(store: ChatStore) -> None:
    chat = await store.create(_question(), {})
    first = await store.append(chat.id, Sender.PATRON, "Hello?", message_id="m-1")
    again = await store.append(chat.id, Sender.PATRON, "Hello?", message_id="m-1")
    other = await store.append(chat.id, Sender.PATRON, "Anyone?", message_id="m-2")
    assert first is not None and again is None and other is not None
    lines = await store.transcript(chat.id)
    assert [line.body for line in lines] == ["Question 1?", "Hello?", "Anyone?"]


async def test_a_scripted_line_keeps_the_name_of_its_script(store: ChatStore) -> None:
    chat = await store.create(_question(), {})
    sent = await store.append(chat.id, Sender.OPERATOR, "We help you find sources.",
                              "ben@beta.test", "Ben", script="homework")
    assert sent is not None and sent.script == "homework"
    lines = await store.transcript(chat.id)
    assert [(line.body, line.script) for line in lines] == [
        ("Question 1?", None), ("We help you find sources.", "homework")]


async def test_a_question_left_offline_becomes_a_ticket_with_its_transcript(
    store: ChatStore, sessions: async_sessionmaker[AsyncSession],
) -> None:
    ticket_id = await store.leave_question(_question(), "Left while nobody was online.")
    async with sessions() as session:
        ticket = await session.get(FollowupTicket, ticket_id)
    assert ticket is not None and ticket.opened_by is None and ticket.chat_id is not None
    left = await store.get(ticket.chat_id)
    assert left.state == ChatState.LEFT
    assert [line.body for line in await store.transcript(left.id)] == ["Question 1?"]
    assert await store.waiting() == []


async def test_the_patron_resumes_with_the_token_and_nobody_else_can(store: ChatStore) -> None:
    chat = await store.create(_question(), {})
    assert chat.resume_token
    with pytest.raises(NotPermitted):
        await store.resume(chat.id, "a-guess", "thief@guest.alpha.test/x")
    moved = await store.resume(chat.id, chat.resume_token, "p1-again@guest.alpha.test/web")
    assert moved.patron_jid == "p1-again@guest.alpha.test/web"


async def test_a_fallback_step_saved_after_a_claim_is_not_stored_and_says_so(
        store: ChatStore) -> None:
    chat = await store.create(_question(), {"offers": ["reference"]})
    assert await store.save_routing(chat.id, {"offers": ["reference", "coop"]})
    await store.claim(chat.id, "ann@alpha.test", "Ann", "alpha.test")

    late_step = await store.save_routing(chat.id, {"offers": ["reference", "coop", "staff"]})

    assert not late_step  # nobody may be offered a claimed chat
    assert (await store.get(chat.id)).routing == {"offers": ["reference", "coop"]}


async def test_a_chat_is_rated_once(store: ChatStore) -> None:
    chat = await store.create(_question(), {})
    await store.claim(chat.id, "bea@beta.test", "Bea", "beta.test")
    await store.end(chat.id, EndedBy.PATRON)
    ratings = await asyncio.gather(*(store.rate(chat.id, score, None) for score in (5, 1)),
                                   return_exceptions=True)
    assert sorted(type(r).__name__ for r in ratings) == ["Conflict", "NoneType"]
    assert (await store.get(chat.id)).rating in (5, 1)


async def test_open_chats_are_counted_per_patron(store: ChatStore) -> None:
    first = await store.create(_question(1), {})
    await store.create(_question(1), {})
    await store.create(_question(2), {})
    await store.cancel(first.id)
    assert await store.open_chats_of("p1@guest.alpha.test") == 1
    assert await store.open_chats_of("p2@guest.alpha.test") == 1
    assert await store.open_chats_of("p3@guest.alpha.test") == 0


def _offers(*coops: str | None) -> dict[str, object]:
    """A routing plan as the queue stores it: [to, room, coop, posted, for_room] per offer."""
    return {"offers": [[f"room-{n}", True, coop, True, None] for n, coop in enumerate(coops)]}


async def _chat_coops(sessions: async_sessionmaker[AsyncSession], chat_id: str) -> list[str]:
    async with sessions() as session:
        return sorted(await session.scalars(
            select(ChatCoop.coop_id).where(ChatCoop.chat_id == chat_id)))


async def test_every_coop_a_chat_was_offered_to_is_recorded_once_even_after_a_transfer(
        store: ChatStore, sessions: async_sessionmaker[AsyncSession]) -> None:
    chat = await store.create(_question(), _offers(None, "coop-local"))
    assert await _chat_coops(sessions, chat.id) == ["coop-local"]
    assert await store.save_routing(chat.id, _offers(None, "coop-local", "coop-247"))
    assert await store.save_routing(chat.id, _offers(None, "coop-local", "coop-247", "coop-247"))
    await store.claim(chat.id, "bea@beta.test", "Bea", "beta.test")
    assert not await store.save_routing(chat.id, _offers("coop-late"))
    await store.release(chat.id, _offers("coop-other"))
    assert await _chat_coops(sessions, chat.id) == ["coop-247", "coop-local", "coop-other"]
