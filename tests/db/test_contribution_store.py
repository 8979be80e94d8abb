"""The Contribution Percentage from chat summaries, counted by the database, and the co-op's
fair offering settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from components.coop.fairness import below_target
from refdesk.db.models import CoopAudience, CoopKind, Institution, InstitutionKind
from refdesk.db.stores.activity import ActivityStore, Summary
from refdesk.db.stores.contribution import ContributionStore, Figures
from refdesk.db.stores.registry import NewCoop, RegistryStore

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture
async def stores(sessions: async_sessionmaker[AsyncSession]
                 ) -> tuple[ContributionStore, ActivityStore]:
    async with sessions() as session, session.begin():
        session.add(Institution(domain="coop.test", name="Host",
                                kind=InstitutionKind.COORDINATING))
    await RegistryStore(sessions).create(
        NewCoop("coop-247", "24/7", CoopKind.GLOBAL, CoopAudience.MIXED, "coop.test"))
    return ContributionStore(sessions), ActivityStore(sessions)


async def _chat(activity: ActivityStore, n: int, home: str, by: str | None,
                at: datetime = T0) -> None:
    await activity.record_summary(Summary(
        "coop-247", home, f"{home}-{n}", "w", at, at + timedelta(minutes=5),
        at if by else None, f"lib@{by}" if by else None, by))


async def test_the_seeds_example_100_asked_50_joined_is_50_percent(
        stores: tuple[ContributionStore, ActivityStore]) -> None:
    store, activity = stores
    for n in range(100):  # alpha's patrons ask 100; alpha answers 30 of them, beta 20
        await _chat(activity, n, "alpha.test",
                    "alpha.test" if n < 30 else "beta.test" if n < 50 else None)
    for n in range(40):  # beta's patrons ask 40; alpha answers all 20 answered
        await _chat(activity, n, "beta.test", "alpha.test" if n < 20 else None)

    figures = await store.contribution("coop-247", T0, T0 + DAY)

    assert figures.members == {"alpha.test": Figures(100, 50), "beta.test": Figures(40, 20)}
    assert figures.members["alpha.test"].percent == 50.0
    assert figures.total == Figures(140, 70)
    assert figures.target == 100
    assert below_target(figures) == {"alpha.test", "beta.test"}


async def test_only_chats_asked_within_the_period_count(
        stores: tuple[ContributionStore, ActivityStore]) -> None:
    store, activity = stores
    await _chat(activity, 1, "alpha.test", "beta.test", T0 - timedelta(seconds=1))
    await _chat(activity, 2, "alpha.test", "beta.test", T0)
    await _chat(activity, 3, "alpha.test", "beta.test", T0 + DAY)
    figures = await store.contribution("coop-247", T0, T0 + DAY)
    assert figures.members == {"alpha.test": Figures(1, 0), "beta.test": Figures(0, 1)}
    assert figures.members["beta.test"].percent is None


async def test_fairness_is_off_until_turned_on_and_keeps_its_target(
        stores: tuple[ContributionStore, ActivityStore]) -> None:
    store, _ = stores
    fairness = await store.fairness("coop-247")
    assert (fairness.enabled, fairness.delay_s, fairness.target) == (False, 0, 100)
    fairness = await store.set_fairness("coop-247", True, None, 60)
    assert (fairness.enabled, fairness.delay_s, fairness.target) == (True, 5, 60)
    fairness = await store.set_fairness("coop-247", None, 12, None)
    assert (fairness.enabled, fairness.delay_s, fairness.target) == (True, 12, 60)
    fairness = await store.set_fairness("coop-247", False, None, None)
    assert (fairness.enabled, fairness.delay_s) == (False, 0)
    assert (await store.contribution("coop-247", T0, T0 + DAY)).target == 60


async def test_monitoring_counts_only_within_the_period(
        stores: tuple[ContributionStore, ActivityStore]) -> None:
    store, activity = stores
    await activity.monitoring_started("coop-247", "ann@alpha.test", "alpha.test", T0 - DAY / 2)
    await activity.monitoring_ended("coop-247", "ann@alpha.test", T0 + timedelta(hours=2))
    await activity.monitoring_started("coop-247", "ann@alpha.test", "alpha.test",
                                      T0 + timedelta(hours=3))
    seconds = await store.monitored_s("coop-247", "ann@alpha.test", T0, T0 + DAY,
                                      T0 + timedelta(hours=4))
    assert seconds == 3 * 3600
    assert await store.answered_by("coop-247", "ann@alpha.test", T0, T0 + DAY) == 0
