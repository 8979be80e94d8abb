"""The archive's retention rules on a clock moved forward: details stripped after M days,
transcripts deleted or anonymised after N days, chats of a widget keeping no transcript
forgotten once the rating window is over; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from components.archive.retention import Retention, RetentionRun
from refdesk.db.models import Chat, FollowupTicket, TicketState
from refdesk.db.stores.privacy import ANONYMOUS_JID, PrivacyStore
from refdesk.settings import RetentionSettings
from tests.db.test_privacy_store import DAY, T0, _chat, store

__all__ = ["store"]

CLOSED = (TicketState.CLOSED,)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


async def _patrons(sessions: async_sessionmaker[AsyncSession]) -> dict[str, str | None]:
    async with sessions() as session:
        rows = await session.execute(select(Chat.id, Chat.patron_name))
        return {chat_id: name for chat_id, name in rows}


async def test_retention_strips_then_deletes_as_the_days_pass(
        store: PrivacyStore, sessions: async_sessionmaker[AsyncSession]) -> None:
    await _chat(sessions, 1, T0, tickets=CLOSED)
    await _chat(sessions, 2, T0 + 10 * DAY, tickets=CLOSED)
    clock = Clock(T0 + DAY)
    retention = Retention(store, RetentionSettings(transcripts_days=30, patron_details_days=7),
                          clock)
    assert await retention.run_once() == RetentionRun()
    clock.now = T0 + 8 * DAY
    assert await retention.run_once() == RetentionRun(anonymised=1)
    assert await _patrons(sessions) == {"chat1": None, "chat2": "Pat 2"}
    clock.now = T0 + 31 * DAY
    assert await retention.run_once() == RetentionRun(deleted=1, anonymised=1)
    assert await _patrons(sessions) == {"chat2": None}
    clock.now = T0 + 41 * DAY
    assert await retention.run_once() == RetentionRun(deleted=1)
    assert await _patrons(sessions) == {}


async def test_retention_deletes_no_chat_whose_patron_still_awaits_a_followup_answer(
        store: PrivacyStore, sessions: async_sessionmaker[AsyncSession]) -> None:
    await _chat(sessions, 1, T0, tickets=(TicketState.OPEN,))
    await _chat(sessions, 2, T0, tickets=CLOSED)
    clock = Clock(T0 + 31 * DAY)
    retention = Retention(store, RetentionSettings(transcripts_days=30), clock)
    assert await retention.run_once() == RetentionRun(deleted=1)
    assert set(await _patrons(sessions)) == {"chat1"}
    async with sessions() as session, session.begin():
        await session.execute(update(FollowupTicket).values(state=TicketState.CLOSED))
    assert await retention.run_once() == RetentionRun(deleted=1)
    assert await _patrons(sessions) == {}


async def test_retention_may_anonymise_transcripts_and_keep_them(
        store: PrivacyStore, sessions: async_sessionmaker[AsyncSession]) -> None:
    await _chat(sessions, 1, T0)
    rules = RetentionSettings(transcripts_days=30, transcripts_action="anonymise")
    retention = Retention(store, rules, Clock(T0 + 400 * DAY))
    assert await retention.run_once() == RetentionRun(anonymised=1)
    async with sessions() as session:
        chat = await session.get_one(Chat, "chat1")
    assert (chat.patron_jid, chat.question) == (ANONYMOUS_JID, "Question 1?")


async def test_retention_unset_keeps_every_chat_but_forgets_unkept_widgets_chats(
        store: PrivacyStore, sessions: async_sessionmaker[AsyncSession]) -> None:
    await _chat(sessions, 1, T0)
    await _chat(sessions, 2, T0, widget="alpha-quiet", rating=None)
    await store.forget("chat2")  # as the queue does when it ends; the rating never came
    retention = Retention(store, RetentionSettings(), Clock(T0 + 3650 * DAY))
    assert await retention.run_once() == RetentionRun(forgotten=1)
    assert await _patrons(sessions) == {"chat1": "Pat 1", "chat2": None}
