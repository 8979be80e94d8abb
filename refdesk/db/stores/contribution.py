"""The Contribution Percentage from a co-op's chat summaries, and the co-op's fair offering.

QuestionPoint's definition (seeds/questionpoint-247-coop-faq.txt): a member's percentage is
the chats its librarians accepted, whoever the patron, over the chats its own patrons
requested; "if your patrons asked 100 questions and your librarians joined 50 sessions, your
contribution percentage is 50%". Both are counted by the database, one GROUP BY each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.db.models import ChatSummary, Coop, MonitoringSession, RevisionScope
from refdesk.db.stores.revisions import bump
from refdesk.errors import NotFound

MAX_FAIR_DELAY_S = 20
DEFAULT_FAIR_DELAY_S = 5
"""The delay fair offering starts with when a Co-Op Admin turns it on without naming one."""


@dataclass(frozen=True)
class Figures:
    requested: int = 0
    """Chats the member's patrons asked (home = the member)."""
    accepted: int = 0
    """Chats the member's librarians answered, whoever's patrons."""

    @property
    def percent(self) -> float | None:
        """None when nothing was requested: no percentage stands on nothing."""
        return self.accepted / self.requested * 100 if self.requested else None


@dataclass(frozen=True)
class Contribution:
    """A co-op's figures over one period."""

    target: int
    members: dict[str, Figures] = field(default_factory=dict)
    """Member domain -> its figures; a member with neither is absent."""
    total: Figures = Figures()


@dataclass(frozen=True)
class Fairness:
    enabled: bool
    delay_s: int
    """The seconds members at or above the target wait; 0 when off."""
    target: int


class ContributionStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def contribution(self, coop: str, start: datetime, end: datetime) -> Contribution:
        """Figures of chats requested in [start, end)."""
        async with self._sessions() as session:
            target = await _target(session, coop)
            period = _period(coop, start, end)
            requested = dict((await session.execute(
                select(ChatSummary.home, func.count()).where(*period)
                .group_by(ChatSummary.home))).all())
            accepted = dict((await session.execute(
                select(ChatSummary.answered_institution, func.count())
                .where(*period, ChatSummary.answered_institution.is_not(None))
                .group_by(ChatSummary.answered_institution))).all())
        members = {domain: Figures(requested.get(domain, 0), accepted.get(domain, 0))
                   for domain in {*requested, *accepted} if domain is not None}
        return Contribution(target, members, Figures(sum(requested.values()),
                                                     sum(accepted.values())))

    async def answered_by(self, coop: str, operator: str, start: datetime,
                          end: datetime) -> int:
        """How many of the co-op's chats asked in [start, end) `operator` answered."""
        async with self._sessions() as session:
            count = await session.scalar(select(func.count()).where(
                *_period(coop, start, end), ChatSummary.answered_by == operator))
            return int(count or 0)

    async def monitored_s(self, coop: str, operator: str, start: datetime, end: datetime,
                          now: datetime) -> float:
        """Seconds `operator` monitored the co-op within [start, end); an open session runs
        until `now`. Few sessions per person and month: clipped here, not in SQL."""
        async with self._sessions() as session:
            rows = (await session.execute(
                select(MonitoringSession.started_at, MonitoringSession.ended_at).where(
                    MonitoringSession.coop_id == coop, MonitoringSession.operator == operator,
                    MonitoringSession.started_at < end,
                    (MonitoringSession.ended_at.is_(None))
                    | (MonitoringSession.ended_at > start)))).all()
        return sum(max(0.0, (min(ended or now, end) - max(started, start)).total_seconds())
                   for started, ended in rows)

    async def fairness(self, coop: str) -> Fairness:
        async with self._sessions() as session:
            row = await _coop(session, coop)
            return Fairness(row.fair_delay_s > 0, row.fair_delay_s, row.contribution_target)

    async def set_fairness(self, coop: str, enabled: bool | None, delay_s: int | None,
                           target: int | None) -> Fairness:
        """Change what is named; the registry republishes (its change counter moves)."""
        async with self._sessions() as session, session.begin():
            row = await _coop(session, coop)
            if target is not None:
                row.contribution_target = target
            on = row.fair_delay_s > 0 if enabled is None else enabled
            delay = delay_s or row.fair_delay_s or DEFAULT_FAIR_DELAY_S
            row.fair_delay_s = delay if on else 0
            await bump(session, RevisionScope.REGISTRY)
            return Fairness(on, row.fair_delay_s, row.contribution_target)


def _period(coop: str, start: datetime, end: datetime) -> tuple[ColumnElement[bool], ...]:
    return (ChatSummary.coop_id == coop, ChatSummary.requested_at >= start,
            ChatSummary.requested_at < end)


async def _coop(session: AsyncSession, coop: str) -> Coop:
    row = await session.get(Coop, coop)
    if row is None:
        raise NotFound(f"There is no co-op {coop!r}.")
    return row


async def _target(session: AsyncSession, coop: str) -> int:
    return (await _coop(session, coop)).contribution_target
