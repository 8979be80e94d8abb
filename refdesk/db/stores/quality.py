"""A co-op host's record of its Quality team's work: cases (forwarded or drawn) and the
review rotation. Content-free, like the chat summaries it draws from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.db.models import CaseSource, CaseState, ChatSummary, QualityCase, QualityRotation
from refdesk.db.stores.activity import Summary
from refdesk.errors import Conflict, NotFound


@dataclass(frozen=True)
class Case:
    """One session before the Quality team, as the registry keeps it."""

    id: int
    coop: str
    home: str
    chat_id: str
    source: CaseSource
    state: CaseState
    opened_at: datetime
    librarian: str | None = None
    institution: str | None = None
    concern: str | None = None
    forwarded_by: str | None = None
    comments: str | None = None
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None


@dataclass(frozen=True)
class Rotation:
    """How many sessions are drawn from each library and librarian, every how many days."""

    coop: str
    per_library: int = 0
    per_librarian: int = 0
    every_days: int = 30
    last_drawn_at: datetime | None = None

    def due(self, now: datetime) -> bool:
        """Whether the registry draws on its own: a sample is asked for and a period passed."""
        if not (self.per_library or self.per_librarian):
            return False
        return self.last_drawn_at is None or now - self.last_drawn_at >= self.period

    @property
    def period(self) -> timedelta:
        return timedelta(days=self.every_days)


Sampler = Callable[[Rotation, list[Summary], set[tuple[str, str]]], list[Summary]]


class QualityStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def summary(self, coop: str, home: str, chat_id: str) -> Summary | None:
        """The co-op's summary of a chat of `home`, if the registry has one."""
        async with self._sessions() as session:
            # A chat answered at home before the co-op's turn is not the co-op's to review.
            row = await session.scalar(select(ChatSummary).where(
                ChatSummary.coop_id == coop, ChatSummary.home == home,
                ChatSummary.chat_id == chat_id, ChatSummary.offered))
            return _summary(row) if row else None

    async def forward(self, summary: Summary, concern: str, by: str, at: datetime) -> Case:
        """Open a forwarded case for the chat; Conflict if it was forwarded already."""
        row = QualityCase(
            coop_id=summary.coop, home=summary.home, chat_id=summary.chat_id,
            librarian=summary.answered_by, institution=summary.answered_institution,
            source=CaseSource.FORWARDED, concern=concern, forwarded_by=by, opened_at=at,
            state=CaseState.OPEN)
        try:
            async with self._sessions() as session, session.begin():
                session.add(row)
        except IntegrityError:
            raise Conflict(f"Chat {summary.chat_id} of {summary.home} is before the Quality "
                           "team already.") from None
        return _case(row)

    async def cases(self, coop: str, state: CaseState | None = None) -> list[Case]:
        """The co-op's cases, oldest first; every state when `state` is None."""
        query = select(QualityCase).where(QualityCase.coop_id == coop)
        if state is not None:
            query = query.where(QualityCase.state == state)
        async with self._sessions() as session:
            rows = await session.scalars(query.order_by(QualityCase.opened_at, QualityCase.id))
            return [_case(row) for row in rows]

    async def case(self, case_id: int) -> Case:
        async with self._sessions() as session:
            row = await session.get(QualityCase, case_id)
            if row is None:
                raise NotFound(f"There is no case {case_id}.")
            return _case(row)

    async def review(self, case_id: int, by: str, comments: str, at: datetime) -> Case:
        """The team's comments; a second review replaces the first."""
        async with self._sessions() as session, session.begin():
            row = await session.get(QualityCase, case_id)
            if row is None:
                raise NotFound(f"There is no case {case_id}.")
            row.state, row.comments = CaseState.REVIEWED, comments
            row.reviewed_by, row.reviewed_at = by, at
        return _case(row)

    async def rotation(self, coop: str) -> Rotation:
        async with self._sessions() as session:
            row = await session.get(QualityRotation, coop)
            return _rotation(row) if row else Rotation(coop)

    async def set_rotation(self, rotation: Rotation) -> Rotation:
        async with self._sessions() as session, session.begin():
            row = await session.get(QualityRotation, rotation.coop)
            if row is None:
                row = QualityRotation(coop_id=rotation.coop)
                session.add(row)
            row.per_library, row.per_librarian = rotation.per_library, rotation.per_librarian
            row.every_days = rotation.every_days
        return await self.rotation(rotation.coop)

    async def draw(self, coop: str, at: datetime, sample: Sampler) -> list[Case]:
        """Draw the sample of the period before `at` and open a case for each chat drawn;
        nothing without a rotation. One transaction, and the unique key: two draws at once
        never draw a chat twice (the second is told to try again)."""
        try:
            async with self._sessions() as session, session.begin():
                rotation = await session.get(QualityRotation, coop, with_for_update=True)
                if rotation is None:
                    return []
                chosen = sample(_rotation(rotation),
                                await _period(session, coop, at, rotation),
                                await _drawn(session, coop))
                rows = [QualityCase(
                    coop_id=coop, home=s.home, chat_id=s.chat_id, librarian=s.answered_by,
                    institution=s.answered_institution, source=CaseSource.SAMPLE,
                    opened_at=at, state=CaseState.OPEN) for s in chosen]
                session.add_all(rows)
                rotation.last_drawn_at = at
        except IntegrityError:
            raise Conflict("Another draw was under way; draw again.") from None
        return [_case(row) for row in rows]


async def _period(session: AsyncSession, coop: str, at: datetime,
                  rotation: QualityRotation) -> list[Summary]:
    start = at - _rotation(rotation).period
    rows = await session.scalars(select(ChatSummary).where(
        ChatSummary.coop_id == coop, ChatSummary.requested_at >= start,
        ChatSummary.requested_at < at, ChatSummary.offered)
        .order_by(ChatSummary.requested_at, ChatSummary.id))
    return [_summary(row) for row in rows]


async def _drawn(session: AsyncSession, coop: str) -> set[tuple[str, str]]:
    rows = await session.execute(select(QualityCase.home, QualityCase.chat_id).where(
        QualityCase.coop_id == coop, QualityCase.source == CaseSource.SAMPLE))
    return {(home, chat_id) for home, chat_id in rows}


def _summary(r: ChatSummary) -> Summary:
    return Summary(r.coop_id, r.home, r.chat_id, r.widget_id, r.requested_at, r.ended_at,
                   r.claimed_at, r.answered_by, r.answered_institution, r.rating)


def _case(r: QualityCase) -> Case:
    return Case(r.id, r.coop_id, r.home, r.chat_id, r.source, r.state, r.opened_at,
                r.librarian, r.institution, r.concern, r.forwarded_by, r.comments,
                r.reviewed_by, r.reviewed_at)


def _rotation(r: QualityRotation) -> Rotation:
    return Rotation(r.coop_id, r.per_library, r.per_librarian, r.every_days, r.last_drawn_at)
