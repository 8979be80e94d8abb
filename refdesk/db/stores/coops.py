"""The co-ops a host runs: their rooms and their dedicated staff."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.db.models import Coop, CoopAccount, Institution, User


@dataclass(frozen=True)
class HostedCoop:
    id: str
    name: str
    room: str
    staff: tuple[str, ...]
    """JIDs of the co-op's own librarians: accounts of the host institution."""


class CoopStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def hosted_by(self, domain: str) -> list[HostedCoop]:
        async with self._sessions() as session:
            coops = await session.scalars(
                select(Coop).where(Coop.host_domain == domain).order_by(Coop.id))
            hosted = []
            for coop in coops:
                staff = await session.scalars(
                    select(User.jid).join(CoopAccount).join(Institution)
                    .where(CoopAccount.coop_id == coop.id, Institution.domain == domain)
                    .order_by(User.jid)
                )
                hosted.append(HostedCoop(coop.id, coop.name, coop.room, tuple(staff)))
            return hosted
