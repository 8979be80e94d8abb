"""Co-op timed fallback on the clock: home first, then each co-op a period later, then the
24/7 co-op's own staff; with fallback 0, only what DESIGN.md allows.

The test lab runs with a 2 s fallback period and a 3 s staff delay (by configuration)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from tests.integration.conftest import TEST_FALLBACK_S, TEST_STAFF_DELAY_S
from tests.integration.queue import carrying, coop_room, join, request, room
from tests.integration.xmpp import Session, operator, patron

LATE_BY_AT_MOST_S = 0.1


async def _offer_time(session: Session, chat: str, groupchat: bool = True) -> float:
    kind = "groupchat" if groupchat else "chat"
    await session.messages.wait_for(
        lambda m: m["type"] == kind and carrying("offer", chat)(m), timeout=20)
    return time.monotonic()


def _assert_on_time(arrived: float, asked: float, answered: float, due_s: float) -> None:
    """No earlier than the period after the request; within 100 ms of it."""
    assert arrived - asked >= due_s
    assert arrived - answered <= due_s + LATE_BY_AT_MOST_S


async def test_alpha_chat_falls_back_to_local_coop_then_247_coop_then_its_staff(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "ann@alpha.test") as ann, operator(lab, "bea@beta.test") as bea,
                operator(lab, "sam@coop.test") as sam, operator(lab, "sue@coop.test") as sue,
                patron(lab, "alpha.test") as pat):
        await asyncio.gather(join(ann, room(lab, "alpha.test", "Reference"), "Ann"),
                             join(bea, coop_room(lab, "coop-local"), "Bea"),
                             join(sam, coop_room(lab, "coop-247"), "Sam"))
        asked = time.monotonic()
        reply = await request(pat, "alpha.test", "alpha-main", "Where are the theses?")
        answered, chat = time.monotonic(), reply["refdesk_chat"]["jid"]
        # The 24/7 co-op's room may hold Gamma's staff, who do not answer Alpha's chats:
        # Sam, monitoring it, is offered Alpha's chat directly, not in the room.
        at_home, at_local, at_247, at_sue = await asyncio.gather(
            _offer_time(ann, chat), _offer_time(bea, chat),
            _offer_time(sam, chat, groupchat=False), _offer_time(sue, chat, groupchat=False))
        assert at_home - answered < LATE_BY_AT_MOST_S
        _assert_on_time(at_local, asked, answered, TEST_FALLBACK_S)
        _assert_on_time(at_247, asked, answered, 2 * TEST_FALLBACK_S)
        _assert_on_time(at_sue, asked, answered, 2 * TEST_FALLBACK_S + TEST_STAFF_DELAY_S)
        ann.xmpp.send_message(mto=chat, mbody="/claim", mtype="chat")
        await ann.messages.wait_for(lambda m: m["body"].startswith("You claimed"))
    offers_to_ann = [m for m in ann.groupchat.items if carrying("offer", chat)(m)]
    assert len(offers_to_ann) == 1  # earlier targets keep their one notice, not repeats


async def test_gamma_widget_with_fallback_zero_goes_to_the_247_coop_only_after_staff_delay(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "gus@gamma.test") as gus, operator(lab, "sam@coop.test") as sam,
                patron(lab, "gamma.test") as pat):
        await asyncio.gather(join(gus, room(lab, "gamma.test", "Information Desk"), "Gus"),
                             join(sam, coop_room(lab, "coop-247"), "Sam"))
        asked = time.monotonic()
        reply = await request(pat, "gamma.test", "gamma-main", "Do you lend telescopes?")
        answered, chat = time.monotonic(), reply["refdesk_chat"]["jid"]
        at_desk, at_247 = await asyncio.gather(_offer_time(gus, chat), _offer_time(sam, chat))
        assert at_desk - answered < LATE_BY_AT_MOST_S
        _assert_on_time(at_247, asked, answered, TEST_STAFF_DELAY_S)
        gus.xmpp.send_message(mto=chat, mbody="/claim", mtype="chat")
        await gus.messages.wait_for(lambda m: m["body"].startswith("You claimed"))


async def test_gamma_chat_goes_straight_to_247_coop_when_nobody_staffs_the_desk(
    lab: dict[str, Any],
) -> None:
    async with operator(lab, "sam@coop.test") as sam, patron(lab, "gamma.test") as pat:
        await join(sam, coop_room(lab, "coop-247"), "Sam")
        reply = await request(pat, "gamma.test", "gamma-main", "Is there parking?")
        answered, chat = time.monotonic(), reply["refdesk_chat"]["jid"]
        assert await _offer_time(sam, chat) - answered < LATE_BY_AT_MOST_S
        sam.xmpp.send_message(mto=chat, mbody="/claim", mtype="chat")
        await sam.messages.wait_for(lambda m: m["body"].startswith("You claimed"))
