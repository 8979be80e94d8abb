"""The library's privacy actions on its patrons' chats, in SQL: delete, anonymise, count and
export the chats that ended in a period.

What anonymising removes (and Chat.anonymised_at records): the patron's name, email,
address (the JID, replaced by ANONYMOUS_JID) and browser (user agent); the referring page
(its address can carry a search or a card number); the resume secret; the patron's name and
address on their own transcript lines; the patron's name and email on the chat's closed
follow-up tickets (an open one still needs them to send its answer). The conversation, the
question, the rating, the staff's feedback, who answered and when all remain, as do the
co-op's content-free summaries at its registry.

Each action works in batches of at most `batch` chats, one transaction each, so a large
archive never holds a long lock nor one huge transaction.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, case, delete, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.db.models import (
    Chat,
    ChatFeedback,
    ChatState,
    FollowupTicket,
    Sender,
    TicketState,
    TranscriptLine,
    Widget,
)
from refdesk.db.types import utcnow

DEFAULT_BATCH = 500
ANONYMOUS_JID = "anonymised.invalid"
"""What an anonymised chat keeps as the patron's address (the column holds a JID): a domain
no patron can ever have (RFC 2606), so it matches nobody."""

PATRON_DETAILS: dict[str, Any] = {
    "patron_name": None, "patron_email": None, "patron_jid": ANONYMOUS_JID, "referrer": None,
    "user_agent": None, "resume_token": None,
}
"""The chat's columns that say who the patron is, as anonymising leaves them."""


@dataclass(frozen=True)
class Period:
    """Chats that ended from `start` (inclusive) to `end` (exclusive); None: unbounded."""

    start: datetime | None = None
    end: datetime | None = None
    open_tickets: bool = True
    """False: leave out the chats whose follow-up ticket is still open, as a schedule must:
    their patron still awaits an answer."""

    def where(self) -> list[ColumnElement[bool]]:
        clauses: list[ColumnElement[bool]] = [Chat.ended_at.is_not(None)]
        if not self.open_tickets:
            clauses.append(~exists().where(FollowupTicket.chat_id == Chat.id,
                                           FollowupTicket.state == TicketState.OPEN))
        if self.start is not None:
            clauses.append(Chat.ended_at >= self.start)
        if self.end is not None:
            clauses.append(Chat.ended_at < self.end)
        return clauses


@dataclass(frozen=True)
class ExportedLine:
    seq: int
    at: datetime
    sender: str
    nick: str | None
    body: str
    edited_at: datetime | None


@dataclass(frozen=True)
class ExportedFeedback:
    author: str
    rating: int | None
    text: str
    at: datetime


@dataclass(frozen=True)
class ExportedChat:
    """One chat as an export writes it."""

    id: str
    widget: str
    state: str
    question: str
    requested: datetime
    claimed: datetime | None
    ended: datetime | None
    patron_name: str | None
    patron_email: str | None
    referrer: str | None
    user_agent: str | None
    librarian: str | None
    nick: str | None
    institution: str | None
    rating: int | None
    comment: str | None
    anonymised: datetime | None
    lines: tuple[ExportedLine, ...]
    feedback: tuple[ExportedFeedback, ...]


class PrivacyStore:
    """Bulk deletion, anonymisation and export of the chats that ended in a period."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession],
                 batch: int = DEFAULT_BATCH) -> None:
        if batch < 1:
            raise ValueError("a batch holds at least one chat")
        self._sessions = sessions
        self.batch = batch

    async def count(self, period: Period, anonymised: bool | None = None) -> int:
        """How many chats ended in the period (only those (not) anonymised yet, if given)."""
        query = select(func.count()).select_from(Chat).where(*period.where())
        if anonymised is not None:
            query = query.where(_anonymised(anonymised))
        async with self._sessions() as session:
            return int(await session.scalar(query) or 0)

    async def delete(self, period: Period) -> int:
        """Delete every chat that ended in the period, with its transcript, feedback and
        tickets; how many."""
        total = 0
        while ids := await self._batch(select(Chat.id).where(*period.where())):
            async with self._sessions() as session, session.begin():
                # Lines, co-ops, feedback and tickets go by ON DELETE CASCADE.
                await session.execute(delete(Chat).where(Chat.id.in_(ids)))
            total += len(ids)
        return total

    async def anonymise(self, period: Period) -> int:
        """Strip the patron from every chat that ended in the period and is not anonymised
        yet; how many."""
        total = 0
        pending = select(Chat.id).where(*period.where(), _anonymised(False))
        while ids := await self._batch(pending):
            async with self._sessions() as session, session.begin():
                await strip_patron(session, ids)
            total += len(ids)
        return total

    async def forget(self, chat_id: str) -> None:
        """A chat of a widget that keeps no transcript, at its end: its words (lines, the
        question unless a follow-up ticket needs it, the patron's comment) and the patron's
        details go; the patron's address stays while an ended chat awaits its rating (only
        the patron may rate), and goes with the rating or with forget_unkept."""
        async with self._sessions() as session, session.begin():
            await _drop_words(session, [chat_id])
            awaiting = select(Chat.id).where(Chat.id == chat_id, Chat.rating.is_(None),
                                             Chat.state == ChatState.ENDED)
            if await session.scalar(awaiting) is None:
                await strip_patron(session, [chat_id])
                return
            details = {k: v for k, v in PATRON_DETAILS.items() if k != "patron_jid"}
            await session.execute(update(Chat).where(Chat.id == chat_id).values(**details))

    async def forget_unkept(self, ended_before: datetime) -> int:
        """Chats that forget() left awaiting a rating, ended before then: anonymised; how
        many. Chats from before their widget stopped keeping transcripts still have their
        lines (the question opens every transcript), and are left to the retention rules."""
        total = 0
        lines = select(TranscriptLine.id).where(TranscriptLine.chat_id == Chat.id)
        pending = (select(Chat.id).join(Widget, Widget.id == Chat.widget_id)
                   .where(Widget.keep_transcript.is_(False), Chat.ended_at < ended_before,
                          _anonymised(False), ~lines.exists()))
        while ids := await self._batch(pending):
            async with self._sessions() as session, session.begin():
                await _drop_words(session, ids)
                await strip_patron(session, ids)
            total += len(ids)
        return total

    async def _batch(self, query: Select[Any]) -> list[str]:
        async with self._sessions() as session:
            return list(await session.scalars(query.order_by(Chat.ended_at, Chat.id)
                                              .limit(self.batch)))

    async def export(self, period: Period) -> AsyncIterator[ExportedChat]:
        """Every chat that ended in the period, oldest first, read a batch at a time."""
        after: tuple[datetime, str] | None = None
        while True:
            async with self._sessions() as session:
                chats = await _chats_after(session, period, after, self.batch)
                if not chats:
                    return
                lines = await _lines_of(session, [c.id for c in chats])
                feedback = await _feedback_of(session, [c.id for c in chats])
            for chat in chats:
                yield _exported(chat, lines.get(chat.id, ()), feedback.get(chat.id, ()))
            last = chats[-1]
            after = (last.ended_at or last.created_at, last.id)


async def strip_patron(session: AsyncSession, ids: Sequence[str]) -> None:
    """Anonymise these chats in the session's transaction (see the module's docstring)."""
    await session.execute(update(Chat).where(Chat.id.in_(ids))
                          .values(**PATRON_DETAILS, anonymised_at=utcnow()))
    await session.execute(update(TranscriptLine)
                          .where(TranscriptLine.chat_id.in_(ids),
                                 TranscriptLine.sender == Sender.PATRON)
                          .values(nick=None, sender_jid=None))
    await session.execute(update(FollowupTicket)
                          .where(FollowupTicket.chat_id.in_(ids),
                                 FollowupTicket.state == TicketState.CLOSED)
                          .values(patron_name=None, patron_email=None))


async def _drop_words(session: AsyncSession, ids: Sequence[str]) -> None:
    """What the patron and librarian said: a chat that keeps no transcript keeps none of it,
    but the question of a chat marked for follow-up, which its ticket answers."""
    await session.execute(delete(TranscriptLine).where(TranscriptLine.chat_id.in_(ids)))
    await session.execute(update(Chat).where(Chat.id.in_(ids)).values(
        question=case((Chat.followup.is_(True), Chat.question), else_=""), comment=None))


def _anonymised(anonymised: bool) -> ColumnElement[bool]:
    return Chat.anonymised_at.is_not(None) if anonymised else Chat.anonymised_at.is_(None)


async def _chats_after(session: AsyncSession, period: Period,
                       after: tuple[datetime, str] | None, limit: int) -> list[Chat]:
    query = select(Chat).where(*period.where())
    if after is not None:
        ended, chat_id = after
        query = query.where((Chat.ended_at > ended)
                            | ((Chat.ended_at == ended) & (Chat.id > chat_id)))
    return list(await session.scalars(query.order_by(Chat.ended_at, Chat.id).limit(limit)))


async def _lines_of(session: AsyncSession,
                    ids: list[str]) -> dict[str, list[ExportedLine]]:
    found: dict[str, list[ExportedLine]] = {}
    query = (select(TranscriptLine).where(TranscriptLine.chat_id.in_(ids))
             .order_by(TranscriptLine.chat_id, TranscriptLine.seq))
    for line in await session.scalars(query):
        found.setdefault(line.chat_id, []).append(ExportedLine(
            line.seq, line.at, line.sender.value, line.nick, line.body, line.edited_at))
    return found


async def _feedback_of(session: AsyncSession,
                       ids: list[str]) -> dict[str, list[ExportedFeedback]]:
    found: dict[str, list[ExportedFeedback]] = {}
    query = (select(ChatFeedback).where(ChatFeedback.chat_id.in_(ids))
             .order_by(ChatFeedback.chat_id, ChatFeedback.at))
    for entry in await session.scalars(query):
        found.setdefault(entry.chat_id, []).append(
            ExportedFeedback(entry.author, entry.rating, entry.text, entry.at))
    return found


def _exported(chat: Chat, lines: Sequence[ExportedLine],
              feedback: Sequence[ExportedFeedback]) -> ExportedChat:
    return ExportedChat(
        id=chat.id, widget=chat.widget_id, state=chat.state.value, question=chat.question,
        requested=chat.created_at, claimed=chat.claimed_at, ended=chat.ended_at,
        patron_name=chat.patron_name, patron_email=chat.patron_email, referrer=chat.referrer,
        user_agent=chat.user_agent, librarian=chat.claimed_by, nick=chat.claimed_nick,
        institution=chat.claimed_institution, rating=chat.rating, comment=chat.comment,
        anonymised=chat.anonymised_at, lines=tuple(lines), feedback=tuple(feedback))
