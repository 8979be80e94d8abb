"""At a co-op's registry: when each member's policy page last changed (as its faq component
reports it) and the co-op's age limit, from which the Co-Op Admin sees who is out of date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.db.models import RevisionScope
from refdesk.db.stores.registry import _coop, _membership
from refdesk.db.stores.revisions import bump
from refdesk.db.types import utcnow
from refdesk.errors import InvalidInput

MAX_AGE_DAYS = 3650
"""schemas/faq.xsd's maxAgeDays: from one day to ten years."""


def is_stale(updated: datetime | None, max_age_days: int, now: datetime) -> bool:
    """A page older than the limit, or none at all, is out of date."""
    return updated is None or now - updated > timedelta(days=max_age_days)


@dataclass(frozen=True)
class MemberPolicy:
    domain: str
    name: str
    updated: datetime | None
    stale: bool


@dataclass(frozen=True)
class CoopPolicies:
    coop: str
    max_age_days: int
    members: tuple[MemberPolicy, ...]


class PolicyStatusStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def report(self, coop_id: str, domain: str, updated: datetime | None) -> bool:
        """A member's word on when its page last changed; True if that is news. NotFound
        when `domain` is no member of the co-op."""
        async with self._sessions() as session, session.begin():
            membership = await _membership(session, coop_id, domain)
            if membership.policy_updated_at == updated:
                return False
            membership.policy_updated_at = updated
            return True

    async def set_max_age(self, coop_id: str, days: int) -> None:
        if not 1 <= days <= MAX_AGE_DAYS:
            raise InvalidInput(f"The age limit is a number of days from 1 to {MAX_AGE_DAYS}; "
                               f"not {days}.")
        async with self._sessions() as session, session.begin():
            coop = await _coop(session, coop_id)
            if coop.policy_max_age_days != days:
                coop.policy_max_age_days = days
                await bump(session, RevisionScope.REGISTRY)  # members learn the new limit

    async def policies(self, coop_id: str, now: datetime | None = None) -> CoopPolicies:
        """Every member with its page's last update, oldest first, and whether it is out
        of date."""
        now = now or utcnow()
        async with self._sessions() as session:
            coop = await _coop(session, coop_id)
            limit = coop.policy_max_age_days
            members = sorted(coop.memberships, key=lambda m: m.institution.domain)
            return CoopPolicies(coop.id, limit, tuple(
                MemberPolicy(m.institution.domain, m.institution.name, m.policy_updated_at,
                             is_stale(m.policy_updated_at, limit, now)) for m in members))
