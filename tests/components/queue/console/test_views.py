"""A chat as one librarian sees it, and a librarian's desk (pure rules over the directory
and the co-ops as published)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from components.queue.console.chatview import chat_element, reached_through, sees, utc
from components.queue.console.deskinfo import desk_element, is_admin
from components.queue.console.stanzas import NS
from components.queue.entitlement import Entitlement
from components.queue.monitoring import Monitoring
from components.queue.plan import Offer, Plan
from components.queue.routing import Route, Target
from refdesk.db.models import ChatState
from refdesk.db.stores.chats import ChatRecord
from refdesk.db.stores.directory import OperatorInfo, WidgetInfo
from refdesk.errors import NotPermitted
from tests.components.queue.directory import LOCAL_ROOM, REFERENCE, alpha
from tests.components.queue.registry import published

ROUTE = Route((Target("department", REFERENCE), Target("coop", "coop-local")), fallback_s=30)
PLAN = Plan(ROUTE, ROUTE.start(0), (Offer(REFERENCE, room=True),
                                    Offer(LOCAL_ROOM, room=True, coop="coop-local")),
            transfer="Transferred by Ada (Alpha University Library): maps")
CHAT = ChatRecord("7", "alpha-main", "pat@guest.alpha.test/w", "Pat", None, "Maps?", None,
                  None, ChatState.WAITING, datetime(2025, 1, 1, 12, 0), None, None, None,
                  None, None, None, None, PLAN.to_json(), None)


@pytest.fixture
def entitlement() -> Entitlement:
    directory = replace(alpha(), widgets={"alpha-main": WidgetInfo(
        "alpha-main", "Ask Alpha", 30, (), ())})
    monitoring = Monitoring()
    monitoring.occupant_present(LOCAL_ROOM, "Ben", "ben@beta.test", "")
    return Entitlement(directory, monitoring, published())


def test_a_coop_monitor_sees_the_chat_through_the_coop_and_an_outsider_not_at_all(
    entitlement: Entitlement,
) -> None:
    assert sees(entitlement, CHAT, "ben@beta.test")
    assert reached_through(entitlement, PLAN, "ben@beta.test") == "coop-local"
    assert not sees(entitlement, CHAT, "gus@gamma.test")
    assert not sees(entitlement, replace(CHAT, state=ChatState.ENDED), "ada@alpha.test")
    shown = chat_element(entitlement, CHAT, "chat-7@queue.alpha.test", "ben@beta.test")
    assert (shown.get("state"), shown.get("home"), shown.get("coop-name")) == (
        "waiting", "false", "Valley Libraries Co-op")
    assert shown.findtext(f"{{{NS}}}transfer") == PLAN.transfer
    assert shown.get("taken-nick") is None and shown.get("mine") is None


def test_the_claimant_sees_the_chat_as_theirs_and_a_colleague_as_taken(
    entitlement: Entitlement,
) -> None:
    taken = replace(CHAT, state=ChatState.ACTIVE, claimed_by="ada@alpha.test",
                    claimed_nick="Ada", claimed_institution="alpha.test")
    mine = chat_element(entitlement, taken, "chat-7@queue.alpha.test", "ada@alpha.test")
    theirs = chat_element(entitlement, taken, "chat-7@queue.alpha.test", "ben@beta.test")
    assert (mine.get("mine"), mine.get("home"), mine.get("coop")) == ("true", "true", None)
    assert (theirs.get("mine"), theirs.get("taken-institution")) == (
        "false", "Alpha University Library")


def test_times_are_utc_whatever_the_database_hands_back() -> None:
    assert utc(datetime(2025, 1, 1, 12, 0)) == "2025-01-01T12:00:00Z"
    assert utc(datetime(2025, 1, 1, 14, 0, tzinfo=timezone(timedelta(hours=2)))) == (
        "2025-01-01T12:00:00Z")


def test_only_the_librarys_operators_have_a_desk_and_admins_are_so_marked() -> None:
    directory = alpha()
    coops = published()
    with pytest.raises(NotPermitted):
        desk_element(directory, coops, "ben@beta.test")
    desk = desk_element(directory, coops, "ada@alpha.test")
    assert desk.find(f"{{{NS}}}me").get("admin") == "false"  # type: ignore[union-attr]
    assert is_admin(directory, coops, "ann@alpha.test")  # institution-admin of coop-247
    local = replace(directory, operators={**directory.operators, "ada@alpha.test": OperatorInfo(
        "ada@alpha.test", "Ada Ames", "Ada", True, local_admin=True)})
    assert is_admin(local, {}, "ada@alpha.test")
    assert not is_admin(directory, coops, "bea@beta.test")  # an admin, but of Beta
