"""The policy page store: a page holds exactly the fields last saved, in the template's
order, and its date moves only when something changed; at the registry, each member's last
update against the co-op's age limit says who is out of date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.db.models import (
    CoopAudience,
    CoopKind,
    Institution,
    InstitutionKind,
    PolicyField,
    RevisionScope,
)
from refdesk.db.stores.policies import MAX_FIELD, PolicyStore
from refdesk.db.stores.policystatus import PolicyStatusStore
from refdesk.db.stores.registry import NewCoop, RegistryStore
from refdesk.db.stores.revisions import RevisionStore
from refdesk.errors import InvalidInput, NotFound

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
async def alpha(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session, session.begin():
        institution = Institution(domain="alpha.test", name="Alpha",
                                  kind=InstitutionKind.ACADEMIC)
        session.add(institution)
        await session.flush()
        return institution.id


async def test_a_library_without_a_page_reads_an_empty_one(
        sessions: async_sessionmaker[AsyncSession], alpha: int) -> None:
    page = await PolicyStore(sessions).get(alpha)
    assert (page.fields, page.updated, page.updated_by) == ({}, None, None)
    _, changed = await PolicyStore(sessions).replace(alpha, {"hours": "  "}, "ann@alpha.test")
    assert not changed and (await PolicyStore(sessions).get(alpha)).updated is None


async def test_saving_replaces_the_fields_in_template_order(
        sessions: async_sessionmaker[AsyncSession], alpha: int) -> None:
    store = PolicyStore(sessions)
    await store.replace(alpha, {"hours": "9-5", "catalogue": "alpha.test/cat",
                                "late-fees": "None."}, "ann@alpha.test")
    page, changed = await store.replace(
        alpha, {"hours": " 9-6 ", "catalogue": "alpha.test/cat", "late-fees": ""},
        "ada@alpha.test")
    assert changed
    assert list(page.fields.items()) == [(PolicyField.CATALOGUE, "alpha.test/cat"),
                                         (PolicyField.HOURS, "9-6")]
    assert page.updated_by == "ada@alpha.test"
    assert await store.get(alpha) == page


async def test_saving_the_same_page_again_keeps_its_date(
        sessions: async_sessionmaker[AsyncSession], alpha: int) -> None:
    store = PolicyStore(sessions)
    first, _ = await store.replace(alpha, {"renewals": "Twice."}, "ann@alpha.test")
    again, changed = await store.replace(alpha, {"renewals": "Twice. "}, "ada@alpha.test")
    assert not changed
    assert (again.updated, again.updated_by) == (first.updated, "ann@alpha.test")


async def test_unknown_fields_and_overlong_text_are_refused_with_reasons(
        sessions: async_sessionmaker[AsyncSession], alpha: int) -> None:
    store = PolicyStore(sessions)
    with pytest.raises(InvalidInput, match="no field 'parking'"):
        await store.replace(alpha, {"parking": "Lot B"}, "ann@alpha.test")
    with pytest.raises(InvalidInput, match="at most 10000"):
        await store.replace(alpha, {"other": "x" * (MAX_FIELD + 1)}, "ann@alpha.test")
    assert (await store.get(alpha)).updated is None


@pytest.fixture
async def registry(sessions: async_sessionmaker[AsyncSession]) -> RegistryStore:
    async with sessions() as session, session.begin():
        session.add(Institution(domain="coop.test", name="24/7 Host",
                                kind=InstitutionKind.COORDINATING))
    store = RegistryStore(sessions)
    await store.create(NewCoop("coop-247", "24/7", CoopKind.GLOBAL, CoopAudience.MIXED,
                               "coop.test"))
    for domain in ("alpha.test", "beta.test"):
        await store.invite("coop-247", domain, contributing=True)
        await store.accept("coop-247", domain, domain.split(".")[0].title(),
                           InstitutionKind.ACADEMIC)
    return store


async def test_the_registry_flags_members_whose_page_is_older_than_the_limit(
        sessions: async_sessionmaker[AsyncSession], registry: RegistryStore) -> None:
    status = PolicyStatusStore(sessions)
    assert await status.report("coop-247", "alpha.test", T0 - timedelta(days=10))
    assert not await status.report("coop-247", "alpha.test", T0 - timedelta(days=10))
    assert await status.report("coop-247", "beta.test", T0 - timedelta(days=400))
    policies = await status.policies("coop-247", now=T0)
    assert policies.max_age_days == 180
    assert [(m.domain, m.updated, m.stale) for m in policies.members] == [
        ("alpha.test", T0 - timedelta(days=10), False),
        ("beta.test", T0 - timedelta(days=400), True)]
    await status.report("coop-247", "alpha.test", None)
    assert (await status.policies("coop-247", now=T0)).members[0].stale


async def test_a_new_age_limit_is_published_and_checked(
        sessions: async_sessionmaker[AsyncSession], registry: RegistryStore) -> None:
    status, revisions = PolicyStatusStore(sessions), RevisionStore(sessions)
    await status.report("coop-247", "beta.test", T0 - timedelta(days=400))
    before = await revisions.current(RevisionScope.REGISTRY)
    await status.set_max_age("coop-247", 730)
    assert await revisions.current(RevisionScope.REGISTRY) > before
    assert (await registry.coop("coop-247")).policy_max_age_days == 730
    assert not (await status.policies("coop-247", now=T0)).members[1].stale
    with pytest.raises(InvalidInput, match="from 1 to 3650"):
        await status.set_max_age("coop-247", 0)


async def test_only_members_report_and_only_known_coops_answer(
        sessions: async_sessionmaker[AsyncSession], registry: RegistryStore) -> None:
    status = PolicyStatusStore(sessions)
    with pytest.raises(NotFound):
        await status.report("coop-247", "gamma.test", T0)
    with pytest.raises(NotFound):
        await status.policies("coop-none")
