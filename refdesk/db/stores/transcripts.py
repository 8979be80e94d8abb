"""The library's chats as their readers see them afterwards: searched, paged, shown in full,
corrected, deleted and given feedback (schemas/archive.xsd).

Who may see which chat is decided by components.archive.access as a Visibility, which this
store turns into SQL: a listing never loads a chat its reader may not see, nor counts it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, delete, false, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.db.models import Chat, ChatCoop, ChatState, TranscriptLine, Widget
from refdesk.db.models.feedback import ChatFeedback
from refdesk.db.stores.transcriptviews import (
    Feedback,
    Line,
    Page,
    Summary,
    Transcript,
    cursor_of,
    parse_cursor,
    summary_of,
)
from refdesk.db.types import utcnow
from refdesk.errors import Conflict, InvalidInput, NotFound

__all__ = ["Feedback", "Line", "Page", "Paging", "Search", "Summary", "Transcript",
           "TranscriptStore", "Visibility"]

DEFAULT_PAGE = 20
MAX_PAGE = 100
"""A page never holds more than this, whatever the reader asks for."""
NO_SUCH_CHAT = "There is no such chat in this library's archive."
UNDER_WAY = (ChatState.WAITING, ChatState.ACTIVE)


@dataclass(frozen=True)
class Visibility:
    """Which of the library's chats one reader may see; built by components.archive.access."""

    everything: bool = False
    answered_by: str | None = None
    """The reader's bare JID: the chats they claimed."""
    coops: frozenset[str] = frozenset()
    """Co-ops every chat of which they may see."""
    answered_in: frozenset[tuple[str, str]] = frozenset()
    """(co-op, library domain): that co-op's chats answered by that library's users."""


@dataclass(frozen=True)
class Search:
    """Every given field narrows the search (archive.xsd, filter)."""

    start: datetime | None = None
    """Requested from (inclusive)."""
    end: datetime | None = None
    """Requested before (exclusive)."""
    librarian: str | None = None
    institution: str | None = None
    widget: str | None = None
    coop: str | None = None
    rating: int | None = None
    text: str | None = None
    """Matched, case-insensitively, in the question and every line."""


@dataclass(frozen=True)
class Paging:
    """XEP-0059: at most `max` items after or before a cursor from an earlier page."""

    max: int = DEFAULT_PAGE
    after: str | None = None
    before: str | None = None


class TranscriptStore:
    """Each method is one transaction in its own session."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def search(self, visible: Visibility, search: Search, paging: Paging) -> Page:
        """The chats the reader may see that match, newest first, one page of them."""
        if visible == Visibility():
            return Page([], 0, None, None)
        limit = max(0, min(paging.max, MAX_PAGE))
        where = and_(_visible(visible), *_matching(search))
        async with self._sessions() as session:
            count = await session.scalar(select(func.count()).select_from(Chat).where(where))
            query = _summaries().where(where)
            rows = await _page(session, query, paging, limit)
            coops = await _coops_of(session, [row[0].id for row in rows])
        items = [summary_of(chat, widget, feedback, coops.get(chat.id, ()))
                 for chat, widget, feedback in rows]
        return Page(items, int(count or 0),
                    cursor_of(items[0]) if items else None,
                    cursor_of(items[-1]) if items else None)

    async def get(self, chat_id: str) -> Transcript:
        """One chat in full; NotFound when there is none."""
        async with self._sessions() as session:
            row: Any = (await session.execute(_summaries().where(Chat.id == chat_id))).first()
            if row is None:
                raise NotFound(NO_SUCH_CHAT)
            chat, widget, feedback = row
            coops = await _coops_of(session, [chat_id])
            lines = await session.scalars(select(TranscriptLine).where(
                TranscriptLine.chat_id == chat_id).order_by(TranscriptLine.seq))
            entries = await session.scalars(select(ChatFeedback).where(
                ChatFeedback.chat_id == chat_id).order_by(ChatFeedback.at, ChatFeedback.id))
            return Transcript.of(summary_of(chat, widget, feedback, coops.get(chat_id, ())),
                                 chat, list(lines), list(entries))

    async def edit(self, chat_id: str, seq: int, text: str, editor: str) -> None:
        """Replace one line's text, marked as edited by `editor`."""
        async with self._sessions() as session, session.begin():
            line = await session.scalar(select(TranscriptLine).where(
                TranscriptLine.chat_id == chat_id, TranscriptLine.seq == seq))
            if line is None:
                raise NotFound(f"This chat has no line {seq}.")
            line.body, line.edited_at, line.edited_by = text, utcnow(), editor

    async def delete(self, chat_id: str) -> None:
        """The chat, its transcript, feedback and co-op links, for every reader at once. A
        chat still waiting or under way is the queue's: it is deleted once it is over."""
        async with self._sessions() as session, session.begin():
            deleted = await session.execute(delete(Chat).where(
                Chat.id == chat_id, Chat.state.not_in(UNDER_WAY)))
            if deleted.rowcount == 1:  # type: ignore[attr-defined]
                return
            if await session.get(Chat, chat_id) is None:
                raise NotFound(NO_SUCH_CHAT)
            raise Conflict("This chat is still under way; delete it once it has ended.")

    async def leave_feedback(self, chat_id: str, author: str, text: str,
                             rating: int | None) -> None:
        """Leave feedback, or replace what `author` left before."""
        if rating is not None and not 1 <= rating <= 5:
            raise InvalidInput("A rating is from 1 to 5.")
        async with self._sessions() as session, session.begin():
            if await session.get(Chat, chat_id) is None:
                raise NotFound(NO_SUCH_CHAT)
            entry = await session.scalar(select(ChatFeedback).where(
                ChatFeedback.chat_id == chat_id, ChatFeedback.author == author))
            if entry is None:
                session.add(ChatFeedback(chat_id=chat_id, author=author, text=text,
                                         rating=rating, at=utcnow()))
            else:
                entry.text, entry.rating, entry.at = text, rating, utcnow()


def _summaries() -> Select[Any]:
    feedback = (select(func.count()).where(ChatFeedback.chat_id == Chat.id)
                .correlate(Chat).scalar_subquery())
    return select(Chat, Widget, feedback).join(Widget, Widget.id == Chat.widget_id)


def _in_coop(coop: str) -> ColumnElement[bool]:
    return Chat.id.in_(select(ChatCoop.chat_id).where(ChatCoop.coop_id == coop))


def _visible(visible: Visibility) -> ColumnElement[bool]:
    if visible.everything:
        return true()
    allowed: list[ColumnElement[bool]] = []
    if visible.answered_by:
        allowed.append(Chat.claimed_by == visible.answered_by)
    if visible.coops:
        allowed.append(Chat.id.in_(select(ChatCoop.chat_id).where(
            ChatCoop.coop_id.in_(sorted(visible.coops)))))
    allowed += [and_(Chat.claimed_institution == domain, _in_coop(coop))
                for coop, domain in sorted(visible.answered_in)]
    return or_(false(), *allowed)


def _matching(search: Search) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if search.start is not None:
        conditions.append(Chat.created_at >= search.start)
    if search.end is not None:
        conditions.append(Chat.created_at < search.end)
    if search.librarian:
        conditions.append(Chat.claimed_by == search.librarian)
    if search.institution:
        conditions.append(Chat.claimed_institution == search.institution)
    if search.widget:
        conditions.append(Chat.widget_id == search.widget)
    if search.coop:
        conditions.append(_in_coop(search.coop))
    if search.rating is not None:
        conditions.append(Chat.rating == search.rating)
    if search.text:
        conditions.append(_containing(search.text))
    return conditions


def _containing(text: str) -> ColumnElement[bool]:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    in_lines = select(TranscriptLine.chat_id).where(
        func.lower(TranscriptLine.body).like(pattern, escape="\\"))
    return or_(func.lower(Chat.question).like(pattern, escape="\\"), Chat.id.in_(in_lines))


async def _page(session: AsyncSession, query: Select[Any],
                paging: Paging, limit: int) -> Sequence[Any]:
    """Keyset paging over (requested, id), newest first; `before` reads backwards."""
    newest_first = (Chat.created_at.desc(), Chat.id.desc())
    if paging.before is not None:
        if paging.before:  # empty: the last page (XEP-0059 §2.5)
            at, chat_id = parse_cursor(paging.before)
            query = query.where(or_(Chat.created_at > at,
                                    and_(Chat.created_at == at, Chat.id > chat_id)))
        rows = (await session.execute(query.order_by(
            Chat.created_at, Chat.id).limit(limit))).all()
        return list(reversed(list(rows)))
    if paging.after is not None:
        at, chat_id = parse_cursor(paging.after)
        query = query.where(or_(Chat.created_at < at,
                                and_(Chat.created_at == at, Chat.id < chat_id)))
    result = await session.execute(query.order_by(*newest_first).limit(limit))
    return list(result.all())


async def _coops_of(session: AsyncSession, chat_ids: list[str]) -> dict[str, tuple[str, ...]]:
    if not chat_ids:
        return {}
    links = await session.execute(select(ChatCoop.chat_id, ChatCoop.coop_id).where(
        ChatCoop.chat_id.in_(chat_ids)).order_by(ChatCoop.coop_id))
    coops: dict[str, tuple[str, ...]] = {}
    for chat_id, coop in links:
        coops[chat_id] = (*coops.get(chat_id, ()), coop)
    return coops
