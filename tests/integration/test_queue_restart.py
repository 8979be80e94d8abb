"""The queue is killed and restarted mid-fallback and mid-chat: nothing lost or repeated."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from slixmpp import JID

from refdesk.lab.up import restart
from tests.integration.conftest import TEST_FALLBACK_S
from tests.integration.queue import asking, carrying, chat_record, coop_room, join, room
from tests.integration.xmpp import Session, operator, patron


async def _crash_and_restart_alpha_queue(lab_dir: Path) -> None:
    await asyncio.to_thread(restart, lab_dir, "components alpha.test", True)


async def test_alpha_queue_crashes_mid_fallback_and_the_coop_step_comes_once_on_time(
    lab: dict[str, Any], lab_dir: Path,
) -> None:
    async with (operator(lab, "ann@alpha.test") as ann, operator(lab, "bea@beta.test") as bea,
                patron(lab, "alpha.test") as pat):
        await join(ann, room(lab, "alpha.test", "Reference"), "Ann")
        await join(bea, coop_room(lab, "coop-local"), "Bea")
        asked = time.monotonic()
        async with asking(pat, "alpha.test", "alpha-main", "Where is the map room?") as chat:
            await ann.messages.wait_for(carrying("offer", chat))
            await _crash_and_restart_alpha_queue(lab_dir)
            back = time.monotonic() - asked
            await bea.messages.wait_for(carrying("offer", chat), timeout=30)
            came = time.monotonic() - asked
            # Not before its time, and no later than the restarted queue can take it (its
            # rooms joined again) with a little slack: the step was neither lost nor redone.
            assert TEST_FALLBACK_S <= came <= max(TEST_FALLBACK_S, back) + 5
            # What is tested is that nothing comes: one more of the lab's short fallback
            # periods elapses, its step passes over, and neither Ann nor Bea is offered again.
            await asyncio.sleep(TEST_FALLBACK_S + 0.5)
            ann.xmpp.send_message(mto=JID(chat), mbody="/claim", mtype="chat")
            await ann.messages.wait_for(lambda m: m["body"].startswith("You claimed"), 20)
    for op in (ann, bea):
        offers = [m for m in op.messages.items if carrying("offer", chat)(m)]
        assert len(offers) == 1, f"{op.jid} was offered the chat {len(offers)} times"


async def test_alpha_queue_crashes_mid_chat_the_patron_is_told_and_the_chat_goes_on(
    lab: dict[str, Any], lab_dir: Path,
) -> None:
    async with operator(lab, "bea@beta.test") as bea, patron(lab, "alpha.test") as pat:
        await join(bea, coop_room(lab, "coop-247"), "Bea")
        async with asking(pat, "alpha.test", "alpha-main", "Can I print in colour?") as chat:
            await bea.messages.wait_for(carrying("offer", chat))
            bea.xmpp.send_message(mto=JID(chat), mbody="/claim", mtype="chat")
            await pat.messages.wait_for(carrying("claimed"))

            await asyncio.to_thread(restart, lab_dir, "components alpha.test", True)
            line = "Hello? (sent during the restart)"
            since = bea.messages.mark()
            while not await _acknowledged(pat, chat, line, stanza_id="line-1"):
                pass  # as the widget does: resend, same id, until the queue has it
            relayed = await bea.messages.wait_for(lambda m: m["body"] == line, since=since)
            assert relayed["from"] == chat
            bea.xmpp.send_message(mto=JID(chat), mbody="Yes, on the second floor.", mtype="chat")
            await pat.messages.wait_for(lambda m: m["body"] == "Yes, on the second floor.")
    _, lines = await chat_record(lab, chat)
    bodies = [line.body for line in lines]
    assert bodies.count("Hello? (sent during the restart)") == 1  # however many tries
    assert bodies[-2:] == ["Hello? (sent during the restart)", "Yes, on the second floor."]


async def _acknowledged(pat: Session, chat: str, line: str, stanza_id: str) -> bool:
    """Send a line asking for a receipt: True once the queue acknowledges it (it is in the
    transcript), False when it bounced or nothing came back within a second."""
    since = pat.messages.mark()
    message = pat.xmpp.make_message(mto=chat, mbody=line, mtype="chat")
    message["id"], message["request_receipt"] = stanza_id, True
    message.send()
    try:
        answer = await pat.messages.wait_for(
            lambda m: m["type"] == "error" or m["receipt"] == stanza_id, timeout=1, since=since)
    except TimeoutError:
        return False
    return bool(answer["type"] != "error")
