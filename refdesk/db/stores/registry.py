"""A co-op host's registry: the co-ops it runs, their members and every user's account level.

The host's database is the one source of truth for these (DESIGN.md, Data ownership); member
libraries learn them from the registry component over XMPP. Every change raises the
registry's change counter in its own transaction, so that the running registry republishes.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from refdesk.db.models import (
    Coop,
    CoopAccount,
    CoopAudience,
    CoopKind,
    CoopLevel,
    Institution,
    InstitutionKind,
    Invitation,
    Membership,
    RevisionScope,
    User,
)
from refdesk.db.stores.revisions import bump
from refdesk.db.types import utcnow
from refdesk.errors import Conflict, InvalidInput, NotFound


@dataclass(frozen=True)
class CoopMember:
    domain: str
    name: str
    kind: InstitutionKind
    contributing: bool
    """Contributing members' staff answer everyone's chats; the others only their own."""
    below_target: bool = False
    """Under the co-op's contribution target over the last 30 days, as the registry last
    reckoned (never stored): with fair offering on, its monitors are offered first."""


@dataclass(frozen=True)
class CoopUser:
    jid: str
    nick: str
    """The name patrons see."""
    institution: str
    """The user's library (or the host, for the co-op's own staff)."""
    level: CoopLevel
    chat_enabled: bool
    """As the user's own library last reported it: without it, co-op access counts for
    nothing."""
    quality: bool = False
    """On the co-op's Quality team (a role beside the level)."""


@dataclass(frozen=True)
class CoopRecord:
    """One co-op as its registry knows it."""

    id: str
    name: str
    kind: CoopKind
    audience: CoopAudience
    host: str
    room: str
    component: str
    members: tuple[CoopMember, ...]
    users: tuple[CoopUser, ...]
    policy_max_age_days: int = 180
    """A member's policy page older than this many days is flagged out of date."""
    fair_delay_s: int = 0
    """Fair offering: 0, off; otherwise how long members at or above their contribution
    target wait after those below it for a new chat's offer."""

    @property
    def staff(self) -> tuple[CoopUser, ...]:
        """The co-op's own librarians: users at the host, which is no member library."""
        return tuple(user for user in self.users if user.institution == self.host)

    def member(self, domain: str) -> CoopMember | None:
        return next((m for m in self.members if m.domain == domain), None)

    def user(self, jid: str) -> CoopUser | None:
        return next((u for u in self.users if u.jid == jid), None)


@dataclass(frozen=True)
class NewCoop:
    id: str
    name: str
    kind: CoopKind
    audience: CoopAudience
    host: str


def admits(audience: CoopAudience, kind: InstitutionKind) -> bool:
    """Academic and public co-ops stay separate: a library joins those of its kind, or a
    mixed one."""
    return audience == CoopAudience.MIXED or audience.value == kind.value


class RegistryStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def hosted(self, host: str) -> list[CoopRecord]:
        async with self._sessions() as session:
            coops = await session.scalars(
                select(Coop).options(*WHOLE_COOP)
                .where(Coop.host_domain == host).order_by(Coop.id))
            return [_record(coop) for coop in coops]

    async def coop(self, coop_id: str) -> CoopRecord:
        async with self._sessions() as session:
            return _record(await _coop(session, coop_id))

    async def create(self, new: NewCoop) -> CoopRecord:
        async with self._sessions() as session, session.begin():
            if await session.get(Coop, new.id) is not None:
                raise Conflict(f"There is already a co-op {new.id!r}.")
            if await _institution(session, new.host) is None:
                raise NotFound(f"{new.host} is not this deployment's institution.")
            session.add(Coop(
                id=new.id, name=new.name, kind=new.kind, audience=new.audience,
                host_domain=new.host, room=f"{new.id}@conference.{new.host}",
                component=f"coop.{new.host}"))
            await bump(session, RevisionScope.REGISTRY)
        return await self.coop(new.id)

    async def invite(self, coop_id: str, domain: str, contributing: bool) -> None:
        async with self._sessions() as session, session.begin():
            coop = await _coop(session, coop_id)
            if any(m.institution.domain == domain for m in coop.memberships):
                raise Conflict(f"{domain} is already a member of {coop.name}.")
            invitation = await session.scalar(select(Invitation).where(
                Invitation.coop_id == coop_id, Invitation.domain == domain))
            if invitation is None:
                session.add(Invitation(coop_id=coop_id, domain=domain,
                                       contributing=contributing))
            else:
                invitation.contributing = contributing
            await bump(session, RevisionScope.REGISTRY)

    async def accept(self, coop_id: str, domain: str, name: str,
                     kind: InstitutionKind) -> CoopRecord:
        """The invited library joins; refused without an invitation or across audiences."""
        async with self._sessions() as session, session.begin():
            coop = await _coop(session, coop_id)
            invitation = await session.scalar(select(Invitation).where(
                Invitation.coop_id == coop_id, Invitation.domain == domain,
                Invitation.accepted_at.is_(None)))
            if any(m.institution.domain == domain for m in coop.memberships):
                raise Conflict(f"{domain} is already a member of {coop.name}.")
            if invitation is None:
                raise NotFound(f"{coop.name} has not invited {domain}: ask its Co-Op Admin.")
            if not admits(coop.audience, kind):
                raise InvalidInput(f"{coop.name} is a co-op of {coop.audience} libraries; "
                                   f"{name} is a {kind} library.")
            institution = await _institution(session, domain) or Institution(
                domain=domain, name=name, kind=kind)
            institution.name, institution.kind = name, kind
            coop.memberships.append(Membership(
                institution=institution, contributing=invitation.contributing))
            invitation.accepted_at = utcnow()
            await bump(session, RevisionScope.REGISTRY)
        return await self.coop(coop_id)

    async def set_contributing(self, coop_id: str, domain: str, contributing: bool) -> None:
        async with self._sessions() as session, session.begin():
            (await _membership(session, coop_id, domain)).contributing = contributing
            await bump(session, RevisionScope.REGISTRY)

    async def remove_member(self, coop_id: str, domain: str) -> None:
        """The library leaves the co-op, and its users' access to it goes with it."""
        async with self._sessions() as session, session.begin():
            membership = await _membership(session, coop_id, domain)
            users = select(User.id).join(User.institution).where(Institution.domain == domain)
            await session.execute(delete(CoopAccount).where(
                CoopAccount.coop_id == coop_id, CoopAccount.user_id.in_(users)))
            await session.delete(membership)
            await session.execute(delete(Invitation).where(
                Invitation.coop_id == coop_id, Invitation.domain == domain))
            await bump(session, RevisionScope.REGISTRY)

    async def grant(self, coop_id: str, jid: str, nick: str, level: CoopLevel) -> None:
        """Give a user of a member library (or of the host) access at `level`."""
        domain = jid.partition("@")[2]
        async with self._sessions() as session, session.begin():
            coop = await _coop(session, coop_id)
            if domain != coop.host_domain and not any(
                    m.institution.domain == domain for m in coop.memberships):
                raise InvalidInput(f"{domain} is not a member of {coop.name}.")
            user = await session.scalar(select(User).where(User.jid == jid))
            if user is None:
                institution = await _institution(session, domain)
                assert institution is not None  # members and the host are institutions
                user = User(jid=jid, name=nick, nick=nick, institution=institution)
                session.add(user)
                await session.flush()
            account = await session.scalar(select(CoopAccount).where(
                CoopAccount.coop_id == coop_id, CoopAccount.user_id == user.id))
            if account is None:
                session.add(CoopAccount(user_id=user.id, coop_id=coop_id, level=level))
            else:
                account.level = level
            await bump(session, RevisionScope.REGISTRY)

    async def revoke(self, coop_id: str, jid: str) -> None:
        async with self._sessions() as session, session.begin():
            account = await session.scalar(
                select(CoopAccount).join(CoopAccount.user)
                .where(CoopAccount.coop_id == coop_id, User.jid == jid))
            if account is None:
                raise NotFound(f"{jid} has no access to {coop_id}.")
            await session.delete(account)
            await bump(session, RevisionScope.REGISTRY)

    async def set_quality(self, coop_id: str, jid: str, on: bool) -> None:
        """Put a user who has access to the co-op on its Quality team, or take them off."""
        async with self._sessions() as session, session.begin():
            account = await session.scalar(
                select(CoopAccount).join(CoopAccount.user)
                .where(CoopAccount.coop_id == coop_id, User.jid == jid))
            if account is None:
                raise NotFound(f"{jid} has no access to {coop_id}: give them access first.")
            account.quality = on
            await bump(session, RevisionScope.REGISTRY)

    async def report_chat_access(self, domain: str, enabled: dict[str, bool]) -> bool:
        """A member library's word on which of its users may chat at all; True if it
        changed anything. Users it does not mention keep what was last reported."""
        async with self._sessions() as session, session.begin():
            users = await session.scalars(
                select(User).join(User.institution).where(
                    Institution.domain == domain, User.jid.in_(enabled)))
            changed = False
            for user in users:
                if user.chat_enabled != enabled[user.jid]:
                    user.chat_enabled, changed = enabled[user.jid], True
            if changed:
                await bump(session, RevisionScope.REGISTRY)
            return changed


# Everything a CoopRecord shows, loaded with the co-op.
WHOLE_COOP = (
    selectinload(Coop.memberships).selectinload(Membership.institution),
    selectinload(Coop.accounts).selectinload(CoopAccount.user).selectinload(User.institution),
)


async def _coop(session: AsyncSession, coop_id: str) -> Coop:
    coop = await session.scalar(select(Coop).options(*WHOLE_COOP).where(Coop.id == coop_id))
    if coop is None:
        raise NotFound(f"There is no co-op {coop_id!r} here.")
    return coop


async def _institution(session: AsyncSession, domain: str) -> Institution | None:
    return await session.scalar(select(Institution).where(Institution.domain == domain))


async def _membership(session: AsyncSession, coop_id: str, domain: str) -> Membership:
    membership = await session.scalar(
        select(Membership).join(Membership.institution)
        .where(Membership.coop_id == coop_id, Institution.domain == domain))
    if membership is None:
        raise NotFound(f"{domain} is not a member of {coop_id}.")
    return membership


def _record(coop: Coop) -> CoopRecord:
    return CoopRecord(
        coop.id, coop.name, coop.kind, coop.audience, coop.host_domain, coop.room,
        coop.component,
        members=tuple(sorted(
            (CoopMember(m.institution.domain, m.institution.name, m.institution.kind,
                        m.contributing) for m in coop.memberships),
            key=lambda member: member.domain)),
        users=tuple(sorted(
            (CoopUser(a.user.jid, a.user.nick, a.user.institution.domain, a.level,
                      a.user.chat_enabled, a.quality) for a in coop.accounts),
            key=lambda user: user.jid)),
        policy_max_age_days=coop.policy_max_age_days,
        fair_delay_s=coop.fair_delay_s,
    )
