"""Monitoring activity from the sessions a co-op's registry records (stats.xsd, `activity`):
a librarian's own monitoring by day, and the hours each member's librarians covered. Each
session counts only for its part inside the period; one still open counts up to now."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, extract, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk import scheduling
from refdesk.db.models import MonitoringSession
from refdesk.db.types import UTCDateTime

Period = tuple[datetime, datetime]


@dataclass(frozen=True)
class DayActivity:
    day: date
    hours: float
    sessions: int


@dataclass(frozen=True)
class InstitutionActivity:
    institution: str
    hours: float
    sessions: int
    operators: int


class MonitoringStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def by_day(self, coop: str, operator: str, period: Period, now: datetime,
                     tz: ZoneInfo) -> list[DayActivity]:
        """The operator's monitoring of the co-op, split at midnight in their zone; a
        session that spans days counts on each."""
        async with self._sessions() as session:
            rows = await session.execute(
                select(MonitoringSession.started_at, MonitoringSession.ended_at)
                .where(MonitoringSession.coop_id == coop, MonitoringSession.operator == operator,
                       _overlaps(period)))
            stretches = [(start, end or now) for start, end in rows]
        hours: dict[date, float] = defaultdict(float)
        counts: dict[date, int] = defaultdict(int)
        for day in scheduling.local_days(period, tz):
            bounds = scheduling.day_period(day, day, tz)
            clipped = (max(bounds[0], period[0]), min(bounds[1], period[1]))
            for start, end in stretches:
                if start < clipped[1] and end > clipped[0]:
                    hours[day] += scheduling.overlap_hours(start, end, clipped)
                    counts[day] += 1
        return [DayActivity(day, round(hours[day], 4), counts[day]) for day in sorted(hours)]

    async def by_institution(self, coop: str, period: Period,
                             now: datetime) -> list[InstitutionActivity]:
        """Hours each member's librarians monitored the co-op in the period: the sum, in the
        database, of every session's overlap with it."""
        async with self._sessions() as session:
            dialect = session.get_bind().dialect.name
            hours = _overlap_hours(dialect, period, now)
            rows = await session.execute(
                select(MonitoringSession.institution, func.sum(hours),
                       func.count(MonitoringSession.id),
                       func.count(func.distinct(MonitoringSession.operator)))
                .where(MonitoringSession.coop_id == coop, _overlaps(period),
                       MonitoringSession.started_at < literal(now, UTCDateTime))
                .group_by(MonitoringSession.institution)
                .order_by(MonitoringSession.institution))
            return [InstitutionActivity(domain, round(float(total or 0), 4), sessions, people)
                    for domain, total, sessions, people in rows]


def _overlaps(period: Period) -> ColumnElement[bool]:
    start, end = literal(period[0], UTCDateTime), literal(period[1], UTCDateTime)
    return and_(MonitoringSession.started_at < end,
                or_(MonitoringSession.ended_at.is_(None), MonitoringSession.ended_at > start))


def _overlap_hours(dialect: str, period: Period, now: datetime) -> ColumnElement[Any]:
    """Hours of a session inside the period, as SQL; SQLite keeps instants as text, which
    its julianday() reads."""
    ended = func.coalesce(MonitoringSession.ended_at, literal(now, UTCDateTime))
    start, end = literal(period[0], UTCDateTime), literal(period[1], UTCDateTime)
    if dialect == "sqlite":
        return (func.julianday(func.min(ended, end))
                - func.julianday(func.max(MonitoringSession.started_at, start))) * 24
    span = func.least(ended, end) - func.greatest(MonitoringSession.started_at, start)
    return extract("epoch", span) / 3600
