"""The activity store: one open monitoring session per operator and co-op, closed when they
stop or when the registry loses sight of the room; one summary per co-op chat, updated."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.db.models import CoopAudience, CoopKind, Institution, InstitutionKind
from refdesk.db.stores.activity import ActivityStore, Summary
from refdesk.db.stores.registry import NewCoop, RegistryStore
from refdesk.useragent import Origin

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
async def store(sessions: async_sessionmaker[AsyncSession]) -> ActivityStore:
    async with sessions() as session, session.begin():
        session.add(Institution(domain="coop.test", name="Host",
                                kind=InstitutionKind.COORDINATING))
    await RegistryStore(sessions).create(
        NewCoop("coop-247", "24/7", CoopKind.GLOBAL, CoopAudience.MIXED, "coop.test"))
    return ActivityStore(sessions)


async def test_a_second_client_does_not_open_a_second_session(store: ActivityStore) -> None:
    await store.monitoring_started("coop-247", "ben@beta.test", "beta.test", T0)
    await store.monitoring_started("coop-247", "ben@beta.test", "beta.test", T0 + timedelta(1))
    await store.monitoring_ended("coop-247", "ben@beta.test", T0 + timedelta(hours=2))
    [session] = await store.sessions("coop-247")
    assert (session.started_at, session.ended_at) == (T0, T0 + timedelta(hours=2))


async def test_losing_the_room_closes_every_open_session(store: ActivityStore) -> None:
    await store.monitoring_started("coop-247", "ben@beta.test", "beta.test", T0)
    await store.monitoring_started("coop-247", "ann@alpha.test", "alpha.test", T0)
    await store.end_all(["coop-247"], T0 + timedelta(minutes=5))
    assert {s.ended_at for s in await store.sessions("coop-247")} == {T0 + timedelta(minutes=5)}


async def test_a_rating_after_the_end_updates_the_one_summary(store: ActivityStore) -> None:
    ended = Summary("coop-247", "alpha.test", "c1", "alpha-main", T0, T0 + timedelta(1),
                    T0, "bea@beta.test", "beta.test")
    await store.record_summary(ended)
    await store.record_summary(replace(ended, rating=4))
    assert await store.summaries("coop-247") == [replace(ended, rating=4)]


async def test_a_summary_keeps_whether_the_coop_was_offered_and_the_page(
        store: ActivityStore) -> None:
    home_only = Summary("coop-247", "alpha.test", "c2", "alpha-main", T0, T0 + timedelta(1),
                        T0, "ann@alpha.test", "alpha.test", offered=False,
                        origin=Origin("https://alpha.test/ask", "Firefox", "Ubuntu", "Other"))
    await store.record_summary(home_only)
    assert await store.summaries("coop-247") == [home_only]
