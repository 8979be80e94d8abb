"""Raising and reading the change counters of `refdesk.db.models.revision`."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.db.models import Revision, RevisionScope


async def bump(session: AsyncSession, scope: RevisionScope) -> None:
    """Raise the scope's counter inside the caller's transaction, so that the change and
    its announcement commit together."""
    raised = await session.execute(
        update(Revision).where(Revision.scope == scope).values(number=Revision.number + 1))
    if getattr(raised, "rowcount", 0) == 0:
        session.add(Revision(scope=scope, number=1))


class RevisionStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def current(self, scope: RevisionScope) -> int:
        async with self._sessions() as session:
            number = await session.scalar(select(Revision.number).where(Revision.scope == scope))
        return number or 0
