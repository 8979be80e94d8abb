"""The co-ops a host runs: their rooms, members, dedicated staff and the users given access."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.db.models import Coop, CoopAccount, Institution, Membership, User


@dataclass(frozen=True)
class HostedCoop:
    id: str
    name: str
    room: str
    staff: tuple[str, ...]
    """JIDs of the co-op's own librarians: accounts of the host institution."""
    users: tuple[str, ...]
    """JIDs of everyone given access to the co-op, at member libraries and the host."""
    members: tuple[str, ...]
    """Domains of the member libraries."""


class CoopStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def hosted_by(self, domain: str) -> list[HostedCoop]:
        async with self._sessions() as session:
            coops = await session.scalars(
                select(Coop).where(Coop.host_domain == domain).order_by(Coop.id))
            hosted = []
            for coop in coops:
                users = (await session.execute(
                    select(User.jid, Institution.domain).join(CoopAccount)
                    .join(User.institution).where(CoopAccount.coop_id == coop.id)
                    .order_by(User.jid)
                )).all()
                members = await session.scalars(
                    select(Institution.domain).join(Membership)
                    .where(Membership.coop_id == coop.id).order_by(Institution.domain))
                hosted.append(HostedCoop(
                    coop.id, coop.name, coop.room,
                    staff=tuple(jid for jid, home in users if home == domain),
                    users=tuple(jid for jid, _ in users), members=tuple(members)))
            return hosted
