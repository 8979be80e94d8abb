"""Who may monitor a room, and see or claim a chat (components.queue.entitlement), by the
co-ops' registries' word: the sample federation's co-ops as published (Gamma is a
non-contributing member of the 24/7 co-op)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from components.queue.entitlement import Claimant, Entitlement
from components.queue.monitoring import Monitoring
from components.queue.plan import Offer, Plan
from components.queue.routing import Route, Target
from refdesk.db.stores.directory import OperatorInfo
from refdesk.db.stores.registry import CoopRecord
from refdesk.errors import NotPermitted
from tests.components.queue.directory import GLOBAL_ROOM, LOCAL_ROOM, REFERENCE, alpha
from tests.components.queue.registry import published

PATRON = "pat@guest.alpha.test"
ROUTE = Route((Target("department", REFERENCE), Target("coop", "coop-local")), fallback_s=30)
OFFERED = Plan(ROUTE, ROUTE.start(0), (
    Offer(REFERENCE, room=True),
    Offer(LOCAL_ROOM, room=True, coop="coop-local"),
    Offer("sue@coop.test", room=False, coop="coop-247"),  # a 24/7 co-op's staff, directly
))


@pytest.fixture
def monitoring() -> Monitoring:
    return Monitoring()


GLOBAL_OFFERED = Plan(ROUTE, ROUTE.start(0), (Offer(GLOBAL_ROOM, room=True, coop="coop-247"),))


@pytest.fixture
def coops() -> dict[str, CoopRecord]:
    return published()


@pytest.fixture
def entitlement(monitoring: Monitoring, coops: dict[str, CoopRecord]) -> Entitlement:
    return Entitlement(alpha(), monitoring, coops)


def without_chat(coop: CoopRecord, jid: str) -> CoopRecord:
    """The co-op after the user's library reported their chat access off."""
    return replace(coop, users=tuple(replace(u, chat_enabled=False) if u.jid == jid else u
                                     for u in coop.users))


def without_user(coop: CoopRecord, jid: str) -> CoopRecord:
    """The co-op after the user's access to it was taken away."""
    return replace(coop, users=tuple(u for u in coop.users if u.jid != jid))


@pytest.mark.parametrize(("room", "operator", "counts"), [
    (REFERENCE, "ada@alpha.test", True),        # a local operator with chat access
    (REFERENCE, "ann@alpha.test", False),       # a local operator with chat switched off
    (REFERENCE, "ben@beta.test", False),        # a co-op partner: not a department's staff
    (REFERENCE, PATRON, False),
    (LOCAL_ROOM, "ben@beta.test", True),        # an operator of a member library
    (LOCAL_ROOM, "ada@alpha.test", True),
    (LOCAL_ROOM, "ann@alpha.test", False),      # given access, but chat off at home
    (LOCAL_ROOM, "gil@gamma.test", False),      # Gamma is in the 24/7 co-op only
    (LOCAL_ROOM, "dan@delta.test", False),      # no member at all
    (LOCAL_ROOM, "beta.test", False),           # a service of a member, not an operator
    (GLOBAL_ROOM, "gil@gamma.test", False),     # non-contributing: answers Gamma's only
    (GLOBAL_ROOM, "ben@beta.test", True),       # a contributing member's
    (GLOBAL_ROOM, "sue@coop.test", True),       # the co-op's own staff, at its host
    (GLOBAL_ROOM, PATRON, False),               # guest.alpha.test is no member
    ("other@conference.alpha.test", "ada@alpha.test", False),  # not a room of this queue
])
def test_who_may_monitor_a_room(entitlement: Entitlement, room: str, operator: str,
                                counts: bool) -> None:
    assert entitlement.may_monitor(room, operator) is counts


def test_a_local_operator_with_chat_access_may_claim_any_chat_of_the_library(
    entitlement: Entitlement,
) -> None:
    nowhere = Plan(ROUTE, ROUTE.start(0))
    assert entitlement.claimant(nowhere, "ada@alpha.test") == Claimant(
        "ada@alpha.test", "Ada", "alpha.test")


def test_a_local_operator_without_chat_access_may_not(entitlement: Entitlement) -> None:
    with pytest.raises(NotPermitted, match="Your chat access is switched off"):
        entitlement.claimant(OFFERED, "ann@alpha.test")
    assert not entitlement.may_see(OFFERED, "ann@alpha.test")


def test_staff_offered_the_chat_directly_may_claim_it_named_from_the_jid(
    entitlement: Entitlement,
) -> None:
    assert entitlement.claimant(OFFERED, "sue@coop.test") == Claimant(
        "sue@coop.test", "Sue", "coop.test")


def test_an_occupant_of_a_coop_room_it_was_offered_in_from_a_member_library(
    entitlement: Entitlement, monitoring: Monitoring,
) -> None:
    assert not entitlement.may_see(OFFERED, "ben@beta.test")  # not in the room
    monitoring.occupant_present(LOCAL_ROOM, "Ben", "ben@beta.test", "away")
    assert entitlement.claimant(OFFERED, "ben@beta.test") == Claimant(
        "ben@beta.test", "Benjamin", "beta.test")  # the directory's nick comes first
    monitoring.occupant_left(LOCAL_ROOM, "Ben")
    assert not entitlement.may_see(OFFERED, "ben@beta.test")


def test_an_occupant_from_a_library_that_is_no_member_may_not(
    entitlement: Entitlement, monitoring: Monitoring,
) -> None:
    monitoring.occupant_present(LOCAL_ROOM, "Dan", "dan@delta.test", "")
    monitoring.occupant_present(LOCAL_ROOM, "Gil", "gil@gamma.test", "")
    assert not entitlement.may_see(OFFERED, "dan@delta.test")
    assert not entitlement.may_see(OFFERED, "gil@gamma.test")


def test_an_occupant_of_a_coop_room_the_chat_was_not_offered_in_may_not(
    entitlement: Entitlement, monitoring: Monitoring,
) -> None:
    monitoring.occupant_present(GLOBAL_ROOM, "Gil", "gil@gamma.test", "")
    assert not entitlement.may_see(OFFERED, "gil@gamma.test")


def test_a_patron_may_not_see_a_chat_even_from_inside_a_room(
    entitlement: Entitlement, monitoring: Monitoring,
) -> None:
    monitoring.occupant_present(LOCAL_ROOM, "Pat", PATRON, "")
    with pytest.raises(NotPermitted, match="was not offered to you"):
        entitlement.claimant(OFFERED, PATRON)


def test_a_non_contributing_members_operator_in_the_room_is_not_offered_another_librarys_chat(
    entitlement: Entitlement, monitoring: Monitoring,
) -> None:
    monitoring.occupant_present(GLOBAL_ROOM, "Gil", "gil@gamma.test", "")
    monitoring.occupant_present(GLOBAL_ROOM, "Bo", "bo@beta.test", "")
    with pytest.raises(NotPermitted, match="was not offered to you"):
        entitlement.claimant(GLOBAL_OFFERED, "gil@gamma.test")
    assert entitlement.claimant(GLOBAL_OFFERED, "bo@beta.test") == Claimant(
        "bo@beta.test", "Bo", "beta.test")  # named as the registry lists them


def test_a_non_contributing_members_operator_answers_their_own_librarys_chats(
    monitoring: Monitoring, coops: dict[str, CoopRecord],
) -> None:
    gil = OperatorInfo("gil@gamma.test", "Gil Gomez", "Gil", True)
    gamma = replace(alpha(), domain="gamma.test", operators={gil.jid: gil})
    at_gamma = Entitlement(gamma, monitoring, coops)
    assert at_gamma.may_monitor(GLOBAL_ROOM, "gil@gamma.test")
    assert at_gamma.open_to_all("coop-247")  # everyone in the room answers Gamma's chats


def test_a_member_made_contributing_answers_everyones_chats(
    entitlement: Entitlement, coops: dict[str, CoopRecord],
) -> None:
    coop = coops["coop-247"]
    coops["coop-247"] = replace(coop, members=tuple(
        replace(m, contributing=True) for m in coop.members))
    assert entitlement.may_monitor(GLOBAL_ROOM, "gil@gamma.test")
    assert entitlement.open_to_all("coop-247")


def test_offers_are_posted_only_in_rooms_where_everyone_answers_this_librarys_chats(
    entitlement: Entitlement,
) -> None:
    assert entitlement.open_to_all("coop-local")
    assert not entitlement.open_to_all("coop-247")  # Gamma's staff may be in the room
    assert not entitlement.open_to_all("coop-unknown")


@pytest.mark.parametrize("change", [without_chat, without_user])
def test_an_operator_the_registry_no_longer_lists_with_chat_access_may_not_claim(
    entitlement: Entitlement, monitoring: Monitoring, coops: dict[str, CoopRecord],
    change: object,
) -> None:
    monitoring.occupant_present(LOCAL_ROOM, "Ben", "ben@beta.test", "")
    assert entitlement.may_see(OFFERED, "ben@beta.test")
    assert callable(change)
    coops["coop-local"] = change(coops["coop-local"], "ben@beta.test")
    assert not entitlement.may_monitor(LOCAL_ROOM, "ben@beta.test")
    with pytest.raises(NotPermitted, match="was not offered to you"):
        entitlement.claimant(OFFERED, "ben@beta.test")


def test_co_op_staff_offered_directly_lose_the_chat_with_their_access(
    entitlement: Entitlement, coops: dict[str, CoopRecord],
) -> None:
    coops["coop-247"] = without_user(coops["coop-247"], "sue@coop.test")
    assert not entitlement.may_see(OFFERED, "sue@coop.test")


def test_before_a_registry_has_answered_nobody_monitors_its_co_op(
    monitoring: Monitoring,
) -> None:
    entitlement = Entitlement(alpha(), monitoring, {})
    assert not entitlement.may_monitor(LOCAL_ROOM, "ben@beta.test")
    assert entitlement.may_monitor(REFERENCE, "ada@alpha.test")
