"""Who administers a library: read when someone asks to act as its admin (rare), so it is
always as the database says now."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.db.models import Institution, User


class AdminStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def is_local_admin(self, domain: str, jid: str) -> bool:
        """Whether `jid` is an operator of the library at `domain` with local admin rights."""
        async with self._sessions() as session:
            found = await session.scalar(
                select(User.id).join(User.institution).where(
                    Institution.domain == domain, User.jid == jid, User.local_admin))
        return found is not None
