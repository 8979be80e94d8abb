"""Which of a library's own users may chat at all, as its co-ops' registries need to hear it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.db.models import Institution, User


class ChatAccessStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def of(self, domain: str) -> dict[str, bool]:
        """The library's users by JID -> whether their chat access is on."""
        async with self._sessions() as session:
            rows = await session.execute(
                select(User.jid, User.chat_enabled).join(User.institution)
                .where(Institution.domain == domain).order_by(User.jid))
            return {jid: enabled for jid, enabled in rows.all()}
