"""Monitoring activity at the 24/7 co-op's registry (stats.xsd `activity`): Ben monitors the
co-op's room for a measured stretch and finds it in his own activity; Sam (Co-Op Admin) sees
Beta's hours monitored against the hours its shifts scheduled, Bea (Beta's Institution Admin)
Beta's row alone, and Ben, a Regular, no institution figures. Every figure is checked
against the registry's own records or the week's shifts, computed here."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from slixmpp import JID

from components.coop.access import no_access
from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.stores.activity import ActivityStore, Session
from tests.integration.chataccess import chat_off_at_registry
from tests.integration.queue import coop_room, database_url, join
from tests.integration.schedule import Week, monday, week
from tests.integration.stats import ask, element, refusal, today
from tests.integration.xmpp import eventually, operator

NS = "urn:refdesk:stats:0"
REGISTRY = "coop.coop.test"
BEN, BEA, SAM = "ben@beta.test", "bea@beta.test", "sam@coop.test"
STRETCH_S = 3.0


def _request(kind: str) -> Any:
    return element("activity", kind=kind, coop="coop-247", **{"from": today(), "to": today()})


async def _activity(session: Any, kind: str) -> tuple[str, dict[str, dict[str, str]]]:
    reply = await ask(session, REGISTRY, _request(kind))
    found = reply.xml.find(f"{{{NS}}}activity")
    assert found is not None
    rows = {row.get("key", ""): dict(row.attrib) for row in found.iter(f"{{{NS}}}row")}
    return found.get("scope", ""), rows


async def _sessions(lab: dict[str, Any]) -> list[Session]:
    engine = create_engine(database_url(lab, "coop.test"))
    try:
        return await ActivityStore(create_sessionmaker(engine)).sessions("coop-247")
    finally:
        await engine.dispose()


async def _hours(session: Any) -> float:
    """Today's hours in the asker's own activity."""
    return float((await _activity(session, "mine"))[1].get(today(), {}).get("hours", 0))


def _hours_today(sessions: list[Session], now: datetime) -> float:
    """Each session's part of today (UTC), an open one up to now."""
    start = datetime.combine(now.date(), datetime.min.time(), UTC)
    end = start + timedelta(days=1)
    return sum(max((min(s.ended_at or now, end) - max(s.started_at, start)).total_seconds(), 0)
               for s in sessions) / 3600


def _scheduled_on(seen: Week, institution: str, day: date) -> float:
    """A day's scheduled hours from the week as received: the shifts on its weekday unless
    it is a holiday or the shift was missed that day, plus the make-ups done that day."""
    if day.isoformat() in seen.holidays:
        return 0.0
    missed = {(m["shift"], m["date"]) for m in seen.missed}
    hours = sum(s.hours for s in seen.shifts if s.institution == institution
                and s.weekday == day.isoweekday() and (str(s.id), day.isoformat()) not in missed)
    for m in seen.missed:
        if m.get("make-up-date") == day.isoformat():
            shift = seen.shift(int(m["shift"]))
            if shift.institution == institution:
                hours += (_minutes(m["make-up-end"]) - _minutes(m["make-up-start"])) / 60
    return hours


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


async def test_ben_monitors_the_coop_for_a_measured_stretch_and_finds_it_in_his_activity(
        lab: dict[str, Any]) -> None:
    room = coop_room(lab, "coop-247")
    async with operator(lab, BEN) as ben:
        earlier = await _hours(ben)
        before = time.monotonic()
        await join(ben, room, "Ben")

        async def monitored_a_stretch() -> bool:
            # An open session counts up to now: the figure grows while he stays.
            return await _hours(ben) - earlier >= STRETCH_S / 3600
        await eventually(monitored_a_stretch, timeout=STRETCH_S + 10)
        ben.xmpp.send_presence(pto=JID(f"{room}/Ben"), ptype="unavailable")

        async def open_now() -> bool:
            return any(s.operator == BEN and s.ended_at is None for s in await _sessions(lab))
        await eventually(open_now, False)
        after = time.monotonic()
        scope, days = await _activity(ben, "mine")

    mine = [s for s in await _sessions(lab) if s.operator == BEN]
    last = max(mine, key=lambda s: s.started_at)
    assert last.ended_at is not None
    assert STRETCH_S <= (last.ended_at - last.started_at).total_seconds() <= after - before
    now = datetime.now(UTC)
    assert scope == "mine"
    assert abs(float(days[today()]["hours"]) - _hours_today(mine, now)) < 0.001
    assert int(days[today()]["sessions"]) == len([s for s in mine if _hours_today([s], now)])


async def test_the_coordinator_sets_betas_hours_monitored_against_its_scheduled_hours(
        lab: dict[str, Any]) -> None:
    async with operator(lab, SAM) as sam:
        this_week = await week(sam, monday(0))
        scope, rows = await _activity(sam, "institutions")
    now = datetime.now(UTC)
    sessions = await _sessions(lab)

    assert scope == "coop"
    assert {"alpha.test", "beta.test", "gamma.test"} <= set(rows)
    beta = rows["beta.test"]
    assert beta["label"] == "Beta Public Library"
    assert float(beta["scheduled"]) == _scheduled_on(this_week, "beta.test", now.date())
    monitored = [s for s in sessions if s.institution == "beta.test"]
    assert abs(float(beta["hours"]) - _hours_today(monitored, now)) < 0.01
    assert int(beta["operators"]) == len({s.operator for s in monitored
                                          if _hours_today([s], now) > 0})


async def test_betas_institution_admin_sees_betas_row_and_a_regular_none(
        lab: dict[str, Any]) -> None:
    async with operator(lab, BEA) as bea:
        scope, rows = await _activity(bea, "institutions")
    async with operator(lab, BEN) as ben:
        condition, text = await refusal(ben, REGISTRY, _request("institutions"))
        bad = await refusal(ben, REGISTRY, element(
            "activity", kind="mine", coop="coop-247", **{"from": today(), "to": "2001-01-01"}))

    assert (scope, set(rows)) == ("institution", {"beta.test"})
    assert condition == "forbidden" and "your own is under kind 'mine'" in text
    assert bad == ("bad-request", "The period ends before it starts: from must not be after to.")


async def test_bea_with_chat_access_switched_off_at_beta_gets_a_strangers_answer_to_activity(
        lab: dict[str, Any]) -> None:
    async with operator(lab, BEA) as bea:
        assert (await _activity(bea, "institutions"))[0] == "institution"
        async with chat_off_at_registry(lab, BEA):
            refused = [await refusal(bea, REGISTRY, _request(kind))
                       for kind in ("institutions", "mine")]
    assert refused == [("forbidden", no_access("coop-247"))] * 2
