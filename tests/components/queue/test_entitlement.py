"""Who may monitor a room, and see or claim a chat (components.queue.entitlement)."""

from __future__ import annotations

import pytest

from components.queue.entitlement import Claimant, Entitlement
from components.queue.monitoring import Monitoring
from components.queue.plan import Offer, Plan
from components.queue.routing import Route, Target
from refdesk.errors import NotPermitted
from tests.components.queue.directory import GLOBAL_ROOM, LOCAL_ROOM, REFERENCE, alpha

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


@pytest.fixture
def entitlement(monitoring: Monitoring) -> Entitlement:
    return Entitlement(alpha(), monitoring)


@pytest.mark.parametrize(("room", "operator", "counts"), [
    (REFERENCE, "ada@alpha.test", True),        # a local operator with chat access
    (REFERENCE, "ann@alpha.test", False),       # a local operator with chat switched off
    (REFERENCE, "ben@beta.test", False),        # a co-op partner: not a department's staff
    (REFERENCE, PATRON, False),
    (LOCAL_ROOM, "ben@beta.test", True),        # an operator of a member library
    (LOCAL_ROOM, "ada@alpha.test", True),
    (LOCAL_ROOM, "gil@gamma.test", False),      # Gamma is in the 24/7 co-op only
    (LOCAL_ROOM, "dan@delta.test", False),      # no member at all
    (LOCAL_ROOM, "beta.test", False),           # a service of a member, not an operator
    (GLOBAL_ROOM, "gil@gamma.test", True),
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
        "ben@beta.test", "Benjamin", "beta.test")
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
