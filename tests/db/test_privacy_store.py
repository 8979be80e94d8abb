"""The privacy store: retention's cut-offs on a clock moved forward, bulk deletion and
anonymisation by period, export of every chat with its lines and feedback, and a widget that
keeps no transcript."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.db.models import (
    Chat,
    ChatFeedback,
    ChatState,
    FollowupTicket,
    Institution,
    InstitutionKind,
    Sender,
    TicketState,
    TranscriptLine,
    Widget,
)
from refdesk.db.stores.privacy import ANONYMOUS_JID, Period, PrivacyStore

DAY = timedelta(days=1)
T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)


@pytest.fixture
async def store(sessions: async_sessionmaker[AsyncSession]) -> PrivacyStore:
    async with sessions() as session, session.begin():
        alpha = Institution(domain="alpha.test", name="Alpha", kind=InstitutionKind.ACADEMIC)
        session.add(alpha)
        await session.flush()
        session.add(Widget(id="alpha-main", institution_id=alpha.id, name="Ask Alpha"))
        session.add(Widget(id="alpha-quiet", institution_id=alpha.id, name="Quiet",
                           keep_transcript=False))
    return PrivacyStore(sessions, batch=2)


async def _chat(sessions: async_sessionmaker[AsyncSession], n: int, ended: datetime | None,
                widget: str = "alpha-main", state: ChatState = ChatState.ENDED,
                rating: int | None = 4,
                tickets: tuple[TicketState, ...] = (TicketState.OPEN, TicketState.CLOSED)) -> str:
    async with sessions() as session, session.begin():
        chat = Chat(id=f"chat{n}", widget_id=widget, institution_id=1,
                    patron_jid=f"p{n}@guest.alpha.test/web", patron_name=f"Pat {n}",
                    patron_email=f"pat{n}@example.org", question=f"Question {n}?",
                    referrer="https://alpha.test/search?card=2940", user_agent="Firefox/140",
                    state=state, created_at=(ended or T0) - DAY / 24, ended_at=ended,
                    claimed_by="ann@alpha.test", claimed_nick="Ann", rating=rating,
                    comment="Thanks, \"great\", really", resume_token="secret", last_seq=2)
        chat.transcript = [
            TranscriptLine(seq=1, sender=Sender.PATRON, nick=f"Pat {n}",
                           sender_jid=chat.patron_jid, body=f"Question {n}?"),
            TranscriptLine(seq=2, sender=Sender.OPERATOR, nick="Ann",
                           sender_jid="ann@alpha.test", body="Line one,\nline \"two\""),
        ]
        session.add(chat)
        await session.flush()
        session.add(ChatFeedback(chat_id=chat.id, author="ann@alpha.test", rating=5,
                                 text="Well answered"))
        for state_ in tickets:
            session.add(FollowupTicket(chat_id=chat.id, institution_id=1, state=state_,
                                       patron_name=f"Pat {n}", patron_email=f"pat{n}@x.org"))
        return chat.id


async def test_chats_past_the_retention_cut_off_are_deleted_with_everything_theirs(
        store: PrivacyStore, sessions: async_sessionmaker[AsyncSession]) -> None:
    for n in range(5):
        await _chat(sessions, n, T0 + n * DAY)
    await _chat(sessions, 9, None, state=ChatState.ACTIVE, rating=None)
    now = T0 + 33 * DAY  # the clock moved forward: 30 days' retention keeps chats 3 and 4
    assert await store.count(Period(end=now - 30 * DAY)) == 3
    assert await store.delete(Period(end=now - 30 * DAY)) == 3
    async with sessions() as session:
        assert set(await session.scalars(select(Chat.id))) == {"chat3", "chat4", "chat9"}
        lines = set(await session.scalars(select(TranscriptLine.chat_id)))
        feedback = set(await session.scalars(select(ChatFeedback.chat_id)))
        tickets = set(await session.scalars(select(FollowupTicket.chat_id)))
    assert lines == {"chat3", "chat4", "chat9"}
    assert feedback == tickets == {"chat3", "chat4", "chat9"}
    assert await store.delete(Period(end=now - 30 * DAY)) == 0


async def test_anonymising_strips_the_patron_and_keeps_the_conversation(
        store: PrivacyStore, sessions: async_sessionmaker[AsyncSession]) -> None:
    for n in range(3):
        await _chat(sessions, n, T0 + n * DAY)
    assert await store.anonymise(Period(T0 + DAY, T0 + 3 * DAY)) == 2
    assert await store.anonymise(Period(T0 + DAY, T0 + 3 * DAY)) == 0  # done once
    assert await store.count(Period(), anonymised=True) == 2
    async with sessions() as session:
        chat = await session.get_one(Chat, "chat1")
        kept = await session.get_one(Chat, "chat0")
        lines = list(await session.scalars(select(TranscriptLine).where(
            TranscriptLine.chat_id == "chat1").order_by(TranscriptLine.seq)))
        tickets = {t.state: t for t in await session.scalars(select(FollowupTicket).where(
            FollowupTicket.chat_id == "chat1"))}
    assert (chat.patron_name, chat.patron_email, chat.patron_jid, chat.referrer,
            chat.user_agent, chat.resume_token) == (None, None, ANONYMOUS_JID, None, None, None)
    assert chat.anonymised_at is not None and chat.question == "Question 1?"
    assert (chat.rating, chat.claimed_by) == (4, "ann@alpha.test")
    assert [(line.nick, line.sender_jid, line.body) for line in lines] == [
        (None, None, "Question 1?"), ("Ann", "ann@alpha.test", "Line one,\nline \"two\"")]
    assert tickets[TicketState.CLOSED].patron_email is None
    assert tickets[TicketState.OPEN].patron_email == "pat1@x.org"  # still to be answered
    assert (kept.patron_name, kept.anonymised_at) == ("Pat 0", None)


async def test_export_reads_every_chat_with_lines_and_feedback_in_batches(
        store: PrivacyStore, sessions: async_sessionmaker[AsyncSession]) -> None:
    for n in range(5):
        await _chat(sessions, n, T0 + (n // 2) * DAY)  # ties on ended_at across batches
    chats = [chat async for chat in store.export(Period(end=T0 + 10 * DAY))]
    assert sorted(chat.id for chat in chats) == [f"chat{n}" for n in range(5)]
    assert len({chat.id for chat in chats}) == 5
    first = next(chat for chat in chats if chat.id == "chat0")
    assert [line.body for line in first.lines] == ["Question 0?", "Line one,\nline \"two\""]
    assert [(f.author, f.rating) for f in first.feedback] == [("ann@alpha.test", 5)]
    assert [c.id async for c in store.export(Period(T0 + DAY, T0 + 2 * DAY))] == [
        "chat2", "chat3"]


async def test_a_widget_keeping_no_transcript_forgets_lines_and_patron_after_the_rating(
        store: PrivacyStore, sessions: async_sessionmaker[AsyncSession]) -> None:
    await _chat(sessions, 1, T0, widget="alpha-quiet", rating=None)
    await store.forget("chat1")
    async with sessions() as session:
        chat = await session.get_one(Chat, "chat1")
        lines = list(await session.scalars(select(TranscriptLine.id)))
    assert lines == [] and (chat.patron_name, chat.patron_email, chat.user_agent) == (
        None, None, None)
    assert chat.patron_jid == "p1@guest.alpha.test/web"  # the patron may still rate
    assert (chat.question, chat.comment) == ("", None)
    assert await store.forget_unkept(T0 - DAY) == 0
    assert await store.forget_unkept(T0 + DAY) == 1
    async with sessions() as session:
        chat = await session.get_one(Chat, "chat1")
    assert chat.patron_jid == ANONYMOUS_JID and chat.anonymised_at is not None


async def test_turning_transcript_keeping_off_leaves_earlier_chats_to_retention(
        store: PrivacyStore, sessions: async_sessionmaker[AsyncSession]) -> None:
    await _chat(sessions, 1, T0, widget="alpha-quiet", rating=None)  # kept when it ran
    assert await store.forget_unkept(T0 + DAY) == 0
    async with sessions() as session:
        chat = await session.get_one(Chat, "chat1")
    assert (chat.patron_name, chat.question) == ("Pat 1", "Question 1?")


async def test_a_followed_up_chat_of_a_widget_keeping_no_transcript_keeps_its_question(
        store: PrivacyStore, sessions: async_sessionmaker[AsyncSession]) -> None:
    await _chat(sessions, 1, T0, widget="alpha-quiet")
    async with sessions() as session, session.begin():
        (await session.get_one(Chat, "chat1")).followup = True
    await store.forget("chat1")
    async with sessions() as session:
        chat = await session.get_one(Chat, "chat1")
    assert (chat.question, chat.patron_name, chat.patron_jid) == (
        "Question 1?", None, ANONYMOUS_JID)


async def test_a_rated_chat_of_a_widget_keeping_no_transcript_loses_the_address_at_once(
        store: PrivacyStore, sessions: async_sessionmaker[AsyncSession]) -> None:
    await _chat(sessions, 1, T0, widget="alpha-quiet", rating=5)
    await store.forget("chat1")
    async with sessions() as session:
        chat = await session.get_one(Chat, "chat1")
    assert (chat.patron_jid, chat.rating) == (ANONYMOUS_JID, 5) and chat.anonymised_at is not None
