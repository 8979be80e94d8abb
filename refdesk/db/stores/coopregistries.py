"""Which registry (coop.<host>) answers for each co-op this library joined."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.db.models.coop import Coop


class CoopRegistryStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def registry(self, coop_id: str) -> str | None:
        """The co-op's registry component, or None when this library is not in it."""
        async with self._sessions() as session:
            return await session.scalar(select(Coop.component).where(Coop.id == coop_id))

    async def registries(self) -> list[str]:
        """Every registry of the library's co-ops, each once."""
        async with self._sessions() as session:
            return sorted(set(await session.scalars(select(Coop.component))))
