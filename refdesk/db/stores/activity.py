"""A co-op host's record of its members' activity: monitoring sessions and chat summaries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.db.models import ChatSummary, MonitoringSession
from refdesk.useragent import UNTOLD, Origin


@dataclass(frozen=True)
class Session:
    coop: str
    operator: str
    institution: str
    started_at: datetime
    ended_at: datetime | None


@dataclass(frozen=True)
class Summary:
    """A co-op chat as its patron's home library reports it: times and people, no words."""

    coop: str
    home: str
    chat_id: str
    widget_id: str
    requested_at: datetime
    ended_at: datetime
    claimed_at: datetime | None = None
    answered_by: str | None = None
    answered_institution: str | None = None
    rating: int | None = None
    offered: bool = True
    """Whether the co-op itself was offered the chat (not answered at home before)."""
    origin: Origin = UNTOLD
    """The page and browser families, as the reports' sources table counts them."""


class ActivityStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def monitoring_started(self, coop: str, operator: str, institution: str,
                                 at: datetime) -> None:
        """Open a session, unless one is open already (a second client, a status change)."""
        async with self._sessions() as session, session.begin():
            open_session = await session.scalar(select(MonitoringSession.id).where(
                MonitoringSession.coop_id == coop, MonitoringSession.operator == operator,
                MonitoringSession.ended_at.is_(None)).limit(1))
            if open_session is None:
                session.add(MonitoringSession(coop_id=coop, operator=operator,
                                              institution=institution, started_at=at))

    async def monitoring_ended(self, coop: str, operator: str, at: datetime) -> None:
        async with self._sessions() as session, session.begin():
            await session.execute(
                update(MonitoringSession).where(
                    MonitoringSession.coop_id == coop, MonitoringSession.operator == operator,
                    MonitoringSession.ended_at.is_(None))
                .values(ended_at=at))

    async def end_all(self, coops: list[str], at: datetime) -> None:
        """Close every open session of these co-ops: the registry lost sight of their rooms,
        and whoever is still there is seen again when it is back."""
        async with self._sessions() as session, session.begin():
            await session.execute(
                update(MonitoringSession).where(
                    MonitoringSession.coop_id.in_(coops), MonitoringSession.ended_at.is_(None))
                .values(ended_at=at))

    async def sessions(self, coop: str) -> list[Session]:
        async with self._sessions() as session:
            rows = await session.scalars(
                select(MonitoringSession).where(MonitoringSession.coop_id == coop)
                .order_by(MonitoringSession.started_at, MonitoringSession.id))
            return [Session(r.coop_id, r.operator, r.institution, r.started_at, r.ended_at)
                    for r in rows]

    async def record_summary(self, summary: Summary) -> None:
        """Keep the latest report of a chat: a rating may follow the ending."""
        try:
            await self._record_summary(summary)
        except IntegrityError:  # the same chat's report, recorded a moment ago: update it
            await self._record_summary(summary)

    async def _record_summary(self, summary: Summary) -> None:
        async with self._sessions() as session, session.begin():
            row = await session.scalar(select(ChatSummary).where(
                ChatSummary.coop_id == summary.coop, ChatSummary.home == summary.home,
                ChatSummary.chat_id == summary.chat_id))
            if row is None:
                row = ChatSummary(coop_id=summary.coop, home=summary.home,
                                  chat_id=summary.chat_id)
                session.add(row)
            row.widget_id = summary.widget_id
            row.requested_at, row.claimed_at = summary.requested_at, summary.claimed_at
            row.ended_at, row.rating = summary.ended_at, summary.rating
            row.answered_by = summary.answered_by
            row.answered_institution = summary.answered_institution
            row.offered = summary.offered
            row.source, row.browser = summary.origin.source, summary.origin.browser
            row.os, row.device = summary.origin.os, summary.origin.device

    async def summaries(self, coop: str) -> list[Summary]:
        async with self._sessions() as session:
            rows = await session.scalars(
                select(ChatSummary).where(ChatSummary.coop_id == coop)
                .order_by(ChatSummary.requested_at, ChatSummary.id))
            return [Summary(r.coop_id, r.home, r.chat_id, r.widget_id, r.requested_at,
                            r.ended_at, r.claimed_at, r.answered_by, r.answered_institution,
                            r.rating, r.offered, Origin(r.source, r.browser, r.os, r.device))
                    for r in rows]

