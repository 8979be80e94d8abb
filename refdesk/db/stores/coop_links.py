"""A library's side of joining co-ops: requests from its command line, answers via its queue."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.db.models import (
    Coop,
    CoopAudience,
    CoopKind,
    CoopLink,
    LinkState,
    RevisionScope,
)
from refdesk.db.stores.revisions import bump
from refdesk.db.types import utcnow
from refdesk.errors import NotFound


@dataclass(frozen=True)
class LinkRecord:
    coop_id: str
    registry: str
    state: LinkState
    reason: str | None


@dataclass(frozen=True)
class JoinedCoop:
    """The co-op as its registry described it on admitting this library."""

    id: str
    name: str
    kind: CoopKind
    audience: CoopAudience
    host: str
    room: str
    component: str


class CoopLinkStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def request(self, coop_id: str, registry: str) -> None:
        """Record a request to join (again); the DIRECTORY counter tells the queue."""
        async with self._sessions() as session, session.begin():
            link = await session.get(CoopLink, coop_id) or CoopLink(coop_id=coop_id)
            link.registry_jid, link.state, link.reason = registry, LinkState.REQUESTED, None
            link.updated_at = utcnow()
            session.add(link)
            await bump(session, RevisionScope.DIRECTORY)

    async def get(self, coop_id: str) -> LinkRecord | None:
        async with self._sessions() as session:
            link = await session.get(CoopLink, coop_id)
            return None if link is None else _record(link)

    async def requested(self) -> list[LinkRecord]:
        async with self._sessions() as session:
            links = await session.scalars(
                select(CoopLink).where(CoopLink.state == LinkState.REQUESTED)
                .order_by(CoopLink.coop_id))
            return [_record(link) for link in links]

    async def refused(self, coop_id: str, reason: str) -> None:
        async with self._sessions() as session, session.begin():
            link = await _link(session, coop_id)
            link.state, link.reason, link.updated_at = LinkState.REFUSED, reason, utcnow()

    async def joined(self, coop: JoinedCoop) -> None:
        """Record the co-op as this library's, so that its widgets can route to it."""
        async with self._sessions() as session, session.begin():
            link = await _link(session, coop.id)
            link.state, link.reason, link.updated_at = LinkState.JOINED, None, utcnow()
            row = await session.get(Coop, coop.id) or Coop(id=coop.id)
            row.name, row.kind, row.audience = coop.name, coop.kind, coop.audience
            row.host_domain, row.room, row.component = coop.host, coop.room, coop.component
            session.add(row)
            await bump(session, RevisionScope.DIRECTORY)


async def _link(session: AsyncSession, coop_id: str) -> CoopLink:
    link = await session.get(CoopLink, coop_id)
    if link is None:
        raise NotFound(f"No request to join {coop_id} was recorded.")
    return link


def _record(link: CoopLink) -> LinkRecord:
    return LinkRecord(link.coop_id, link.registry_jid, link.state, link.reason)
