"""The registry store: a co-op is created, a library invited joins, users get and lose
access, and every change raises the registry's change counter."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.db.models import (
    CoopAudience,
    CoopKind,
    CoopLevel,
    Institution,
    InstitutionKind,
    RevisionScope,
)
from refdesk.db.stores.registry import NewCoop, RegistryStore
from refdesk.db.stores.revisions import RevisionStore
from refdesk.errors import Conflict, InvalidInput, NotFound

ACADEMIC = InstitutionKind.ACADEMIC
PUBLIC = InstitutionKind.PUBLIC


@pytest.fixture
async def store(sessions: async_sessionmaker[AsyncSession]) -> RegistryStore:
    async with sessions() as session, session.begin():
        session.add(Institution(domain="coop.test", name="24/7 Host",
                                kind=InstitutionKind.COORDINATING))
    store = RegistryStore(sessions)
    await store.create(NewCoop("coop-acad", "Academic 24/7", CoopKind.GLOBAL,
                               CoopAudience.ACADEMIC, "coop.test"))
    return store


async def test_an_invited_library_joins_and_its_users_get_levels(
        store: RegistryStore, sessions: async_sessionmaker[AsyncSession]) -> None:
    revisions = RevisionStore(sessions)
    before = await revisions.current(RevisionScope.REGISTRY)
    await store.invite("coop-acad", "alpha.test", contributing=False)
    coop = await store.accept("coop-acad", "alpha.test", "Alpha University", ACADEMIC)
    await store.grant("coop-acad", "ann@alpha.test", "Ann", CoopLevel.INSTITUTION_ADMIN)
    await store.grant("coop-acad", "sam@coop.test", "Sam", CoopLevel.COOP_ADMIN)

    coop = await store.coop("coop-acad")
    member = coop.member("alpha.test")
    assert member is not None and not member.contributing
    assert coop.room == "coop-acad@conference.coop.test"
    assert [u.jid for u in coop.staff] == ["sam@coop.test"]
    user = coop.user("ann@alpha.test")
    assert user is not None and user.level == CoopLevel.INSTITUTION_ADMIN
    assert await revisions.current(RevisionScope.REGISTRY) == before + 4


async def test_joining_needs_an_invitation_and_the_right_audience(store: RegistryStore) -> None:
    with pytest.raises(NotFound, match="has not invited"):
        await store.accept("coop-acad", "alpha.test", "Alpha", ACADEMIC)
    await store.invite("coop-acad", "gamma.test", contributing=True)
    with pytest.raises(InvalidInput, match="academic libraries"):
        await store.accept("coop-acad", "gamma.test", "Gamma County", PUBLIC)
    assert (await store.coop("coop-acad")).members == ()


async def test_users_outside_the_coop_get_no_access_and_revoked_access_is_gone(
        store: RegistryStore) -> None:
    with pytest.raises(InvalidInput, match="not a member"):
        await store.grant("coop-acad", "bob@beta.test", "Bob", CoopLevel.REGULAR)
    await store.invite("coop-acad", "alpha.test", contributing=True)
    await store.accept("coop-acad", "alpha.test", "Alpha", ACADEMIC)
    await store.grant("coop-acad", "abe@alpha.test", "Abe", CoopLevel.REGULAR)
    await store.revoke("coop-acad", "abe@alpha.test")
    assert (await store.coop("coop-acad")).users == ()
    with pytest.raises(NotFound):
        await store.revoke("coop-acad", "abe@alpha.test")


async def test_a_library_leaving_takes_its_users_access_with_it(store: RegistryStore) -> None:
    await store.invite("coop-acad", "alpha.test", contributing=True)
    await store.accept("coop-acad", "alpha.test", "Alpha", ACADEMIC)
    await store.grant("coop-acad", "abe@alpha.test", "Abe", CoopLevel.REGULAR)
    with pytest.raises(Conflict):
        await store.invite("coop-acad", "alpha.test", contributing=True)
    await store.remove_member("coop-acad", "alpha.test")
    coop = await store.coop("coop-acad")
    assert coop.members == () and coop.users == ()


async def test_a_member_reports_which_of_its_users_may_chat(store: RegistryStore) -> None:
    await store.invite("coop-acad", "alpha.test", contributing=True)
    await store.accept("coop-acad", "alpha.test", "Alpha", ACADEMIC)
    await store.grant("coop-acad", "abe@alpha.test", "Abe", CoopLevel.REGULAR)
    # Only the user's own library speaks for them: another domain's report changes nothing.
    assert not await store.report_chat_access("beta.test", {"abe@alpha.test": False})
    assert await store.report_chat_access("alpha.test", {"abe@alpha.test": False})
    user = (await store.coop("coop-acad")).user("abe@alpha.test")
    assert user is not None and not user.chat_enabled
