"""Fair offering's rules: who is offered a co-op's chat first, and when the rest are due."""

from __future__ import annotations

from components.queue.fairoffer import due_rest, first_wave, rest_due
from components.queue.plan import Offer, Plan
from components.queue.routing import Progress, Route, Target
from refdesk.db.models import CoopAudience, CoopKind, CoopLevel, InstitutionKind
from refdesk.db.stores.registry import CoopMember, CoopRecord, CoopUser

ROOM = "coop-247@conference.coop.test"


def _coop(delay: int, *below: str) -> CoopRecord:
    members = tuple(CoopMember(domain, domain, InstitutionKind.PUBLIC, True,
                               below_target=domain in below)
                    for domain in ("alpha.test", "beta.test", "delta.test"))
    users = tuple(CoopUser(jid, jid, jid.partition("@")[2], CoopLevel.REGULAR, True)
                  for jid in ("abe@alpha.test", "ben@beta.test", "dot@delta.test",
                              "sue@coop.test"))
    return CoopRecord("coop-247", "24/7", CoopKind.GLOBAL, CoopAudience.MIXED, "coop.test",
                      ROOM, "coop.coop.test", members, users, fair_delay_s=delay)


MONITORS = ["abe@alpha.test", "ben@beta.test", "dot@delta.test", "sue@coop.test"]


def test_members_below_target_and_the_patrons_own_library_go_first() -> None:
    assert first_wave(_coop(5, "beta.test"), "alpha.test", MONITORS) == frozenset({
        "abe@alpha.test", "ben@beta.test"})


def test_with_fair_offering_off_everyone_is_offered_at_once() -> None:
    assert first_wave(_coop(0, "beta.test"), "alpha.test", MONITORS) is None
    assert first_wave(None, "alpha.test", MONITORS) is None


def test_nobody_waits_when_nobody_goes_first_or_nobody_is_left() -> None:
    assert first_wave(_coop(5, "beta.test"), "gamma.test", ["dot@delta.test"]) is None
    assert first_wave(_coop(5, "beta.test"), "alpha.test", ["ben@beta.test"]) is None


ROUTE = Route((Target("coop", "coop-local"), Target("coop", "coop-247", True)), 30)


def _plan(progress: Progress) -> Plan:
    return Plan(ROUTE, progress)


def test_the_rest_are_due_after_the_delay_but_never_after_a_fallback_step() -> None:
    progress = Progress(started_at=100.0, next_index=1, next_at=130.0, notified_any=True)
    assert rest_due(_plan(progress), "coop-local", 100.0, 5).fair_due == {"coop-local": 105.0}
    assert rest_due(_plan(progress), "coop-local", 128.0, 5).fair_due == {"coop-local": 130.0}
    last = Progress(started_at=100.0, next_index=2, next_at=160.0,
                    staff_due={"coop-247": 170.0})
    assert rest_due(_plan(last), "coop-247", 130.0, 20).fair_due == {"coop-247": 150.0}
    assert rest_due(_plan(last), "coop-247", 165.0, 20).fair_due == {"coop-247": 170.0}


def test_the_rest_fall_due_once_and_the_first_are_not_offered_again() -> None:
    progress = Progress(started_at=100.0, next_index=1, fair_due={"coop-247": 105.0})
    plan = Plan(Route((Target("coop", "coop-247", True),), 30), progress, (
        Offer("ben@beta.test", room=False, coop="coop-247", for_room=ROOM),
        Offer("sam@coop.test", room=False, coop="coop-247")))
    assert due_rest(plan, 104.0) == ([], progress)
    [send], after = due_rest(plan, 105.0)
    assert (send.coop, send.first) == ("coop-247", frozenset({"ben@beta.test"}))
    assert after.fair_due == {}
    assert after.next_due(1) is None


def test_the_rests_due_time_survives_a_restart_in_the_stored_plan() -> None:
    progress = Progress(started_at=100.0, next_index=1, fair_due={"coop-247": 105.0})
    assert Progress.from_json(progress.to_json()) == progress
    assert progress.next_due(1) == 105.0
    stored_before = {k: v for k, v in progress.to_json().items() if k != "fair_due"}
    assert Progress.from_json(stored_before).fair_due == {}
