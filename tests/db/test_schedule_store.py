"""The staffing schedule's store: shifts of members with their own users on them, the week
with hours owed and gaps, misses and make-ups, and the hours scheduled over a period; and
the monitoring figures the activity reports stand on."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.db.models import CoopAudience, CoopKind, CoopLevel, Institution, InstitutionKind
from refdesk.db.stores.activity import ActivityStore
from refdesk.db.stores.monitoring import MonitoringStore
from refdesk.db.stores.registry import NewCoop, RegistryStore
from refdesk.db.stores.schedule import HolidayRecord, MakeUp, ScheduleStore, ShiftRecord
from refdesk.errors import InvalidInput, NotFound
from refdesk.scheduling import Span, span

MONDAY = date(2026, 3, 2)


@pytest.fixture
async def store(sessions: async_sessionmaker[AsyncSession]) -> ScheduleStore:
    async with sessions() as session, session.begin():
        session.add(Institution(domain="coop.test", name="Host",
                                kind=InstitutionKind.COORDINATING))
    registry = RegistryStore(sessions)
    await registry.create(
        NewCoop("coop-247", "24/7", CoopKind.GLOBAL, CoopAudience.MIXED, "coop.test"))
    for domain, name in (("alpha.test", "Alpha"), ("beta.test", "Beta")):
        await registry.invite("coop-247", domain, True)
        await registry.accept("coop-247", domain, name, InstitutionKind.ACADEMIC)
    for jid in ("ann@alpha.test", "ben@beta.test", "bea@beta.test"):
        await registry.grant("coop-247", jid, jid.split("@")[0], CoopLevel.REGULAR)
    return ScheduleStore(sessions)


def shift(institution: str, weekday: int, start: str, end: str, *staff: str) -> ShiftRecord:
    return ShiftRecord("coop-247", institution, weekday, span(start, end), staff)


async def test_the_week_shows_hours_owed_scheduled_and_gaps(store: ScheduleStore) -> None:
    await store.set_settings("coop-247", "Europe/Paris", 5000)
    await store.set_member_hours("coop-247", "alpha.test", 12000, None)
    await store.set_member_hours("coop-247", "beta.test", 100, 4.5)
    await store.save_shift(shift("alpha.test", 1, "00:00", "12:00", "ann@alpha.test"))
    await store.save_shift(shift("beta.test", 1, "11:00", "24:00", "ben@beta.test"))
    await store.save_shift(shift("beta.test", 2, "09:00", "10:30", "bea@beta.test"))
    await store.set_holiday("coop-247", HolidayRecord(MONDAY + timedelta(days=2), "Closed"))
    week = await store.week("coop-247", MONDAY + timedelta(days=3))
    assert week.monday == MONDAY
    assert [(m.domain, m.owed, m.scheduled) for m in week.members] == [
        ("alpha.test", 3.0, 12.0), ("beta.test", 4.5, 14.5)]
    assert (2, Span(0, 540)) in week.gaps and (2, Span(630, 1440)) in week.gaps
    assert all(weekday not in (1, 3) for weekday, _ in week.gaps)  # covered; a holiday
    assert week.shifts[0].staff == ("ann@alpha.test",)


async def test_a_miss_and_its_make_up_move_the_scheduled_hours(store: ScheduleStore) -> None:
    beta = await store.save_shift(shift("beta.test", 1, "09:00", "12:00", "ben@beta.test"))
    assert beta.id is not None
    missed = await store.record_missed("coop-247", beta.id, MONDAY, "ill", "bea@beta.test")
    period = (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 15, tzinfo=UTC))
    assert await store.scheduled_hours("coop-247", *period) == {"beta.test": 3.0}
    await store.make_up("coop-247", missed.id, MakeUp(MONDAY + timedelta(days=4),
                                                      span("14:00", "16:00")))
    assert await store.scheduled_hours("coop-247", *period) == {"beta.test": 5.0}
    week = await store.week("coop-247", MONDAY)
    assert week.missed[0].make_up == MakeUp(date(2026, 3, 6), Span(840, 960))
    await store.delete_missed("coop-247", missed.id)
    assert await store.scheduled_hours("coop-247", *period) == {"beta.test": 6.0}


async def test_scheduled_hours_follow_the_coop_zone_and_clip(store: ScheduleStore) -> None:
    await store.set_settings("coop-247", "America/New_York", None)
    await store.save_shift(shift("alpha.test", 1, "22:00", "24:00"))
    # Monday 22:00-24:00 in New York is Tuesday 03:00-05:00 UTC (EST).
    period = (datetime(2026, 3, 3, 4, tzinfo=UTC), datetime(2026, 3, 4, tzinfo=UTC))
    assert await store.scheduled_hours("coop-247", *period) == {"alpha.test": 1.0}


async def test_a_shift_refuses_strangers_other_libraries_and_bad_times(
        store: ScheduleStore) -> None:
    with pytest.raises(InvalidInput, match=r"not a user of alpha\.test"):
        await store.save_shift(shift("alpha.test", 1, "09:00", "10:00", "ben@beta.test"))
    with pytest.raises(InvalidInput, match="not a member"):
        await store.save_shift(shift("gamma.test", 1, "09:00", "10:00"))
    with pytest.raises(InvalidInput, match="crosses midnight"):
        span("22:00", "02:00")
    with pytest.raises(InvalidInput, match="quarter hour"):
        span("09:10", "10:00")
    with pytest.raises(InvalidInput, match="not a time zone"):
        await store.set_settings("coop-247", "Mars/Olympus", None)


async def test_a_miss_is_on_the_shift_weekday_of_its_own_coop(store: ScheduleStore) -> None:
    beta = await store.save_shift(shift("beta.test", 1, "09:00", "12:00"))
    assert beta.id is not None
    with pytest.raises(InvalidInput, match="Monday"):
        await store.record_missed("coop-247", beta.id, MONDAY + timedelta(1), "", "x@beta.test")
    with pytest.raises(NotFound):
        await store.record_missed("coop-other", beta.id, MONDAY, "", "x@beta.test")


async def test_monitoring_is_clipped_to_the_period_and_split_by_day(
        sessions: async_sessionmaker[AsyncSession], store: ScheduleStore) -> None:
    activity, monitoring = ActivityStore(sessions), MonitoringStore(sessions)
    t0 = datetime(2026, 3, 2, 22, tzinfo=UTC)
    await activity.monitoring_started("coop-247", "ben@beta.test", "beta.test", t0)
    await activity.monitoring_ended("coop-247", "ben@beta.test", t0 + timedelta(hours=4))
    await activity.monitoring_started("coop-247", "bea@beta.test", "beta.test", t0)
    now = t0 + timedelta(hours=1)
    period = (datetime(2026, 3, 2, 23, tzinfo=UTC), datetime(2026, 3, 10, tzinfo=UTC))
    days = await monitoring.by_day("coop-247", "ben@beta.test", period, now, ZoneInfo("UTC"))
    assert [(d.day, d.hours, d.sessions) for d in days] == [
        (date(2026, 3, 2), 1.0, 1), (date(2026, 3, 3), 2.0, 1)]
    [beta] = await monitoring.by_institution("coop-247", period, now)
    assert (beta.institution, beta.hours, beta.sessions, beta.operators) == (
        "beta.test", 3.0, 2, 2)


async def test_a_shift_replaced_keeps_its_id_and_takes_its_new_people(
        store: ScheduleStore) -> None:
    first = await store.save_shift(ShiftRecord("coop-247", "beta.test", 2, span("09:00", "10:00"),
                                               ("ben@beta.test",), ("bea@beta.test",)))
    again = await store.save_shift(ShiftRecord("coop-247", "beta.test", 3, span("10:00", "12:00"),
                                               ("ben@beta.test", "bea@beta.test"), (), first.id))
    assert again == ShiftRecord("coop-247", "beta.test", 3, Span(600, 720),
                                ("bea@beta.test", "ben@beta.test"), (), first.id)
    assert first.id is not None
    await store.delete_shift("coop-247", first.id)
    assert (await store.week("coop-247", MONDAY)).shifts == ()


async def test_own_monitoring_is_split_at_midnight_in_the_askers_zone(
        sessions: async_sessionmaker[AsyncSession], store: ScheduleStore) -> None:
    activity, monitoring = ActivityStore(sessions), MonitoringStore(sessions)
    t0 = datetime(2026, 3, 2, 14, 30, tzinfo=UTC)  # 23:30 in Tokyo
    await activity.monitoring_started("coop-247", "ann@alpha.test", "alpha.test", t0)
    await activity.monitoring_ended("coop-247", "ann@alpha.test", t0 + timedelta(hours=1))
    period = (datetime(2026, 3, 1, 15, tzinfo=UTC), datetime(2026, 3, 4, 15, tzinfo=UTC))
    days = await monitoring.by_day("coop-247", "ann@alpha.test", period, t0 + timedelta(1),
                                   ZoneInfo("Asia/Tokyo"))
    assert [(d.day, d.hours) for d in days] == [(date(2026, 3, 2), 0.5), (date(2026, 3, 3), 0.5)]
