"""A librarian hands a chat on: to a home department, to a co-op colleague, to another co-op."""

from __future__ import annotations

from typing import Any

from slixmpp import JID

from refdesk.db.models import ChatState, Sender
from tests.integration.queue import (
    asking,
    carrying,
    chat_record,
    coop_room,
    join,
    payload,
    room,
)
from tests.integration.xmpp import Session, operator, patron


async def _claim(op: Session, chat: str) -> None:
    op.xmpp.send_message(mto=JID(chat), mbody="/claim", mtype="chat")
    await op.messages.wait_for(lambda m: m["from"] == chat and m["body"].startswith("You cl"))


async def _transfer(op: Session, chat: str, where: str) -> str:
    since = op.messages.mark()
    op.xmpp.send_message(mto=JID(chat), mbody=f"/transfer {where}", mtype="chat")
    reply = await op.messages.wait_for(
        lambda m: m["from"] == chat and ("ransfer" in m["body"] or "not" in m["body"]),
        since=since)
    return str(reply["body"])


async def test_coop_operator_transfers_alpha_patron_to_alpha_reference_department(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "bea@beta.test") as bea, operator(lab, "ann@alpha.test") as ann,
                patron(lab, "alpha.test") as pat):
        await join(bea, coop_room(lab, "coop-247"), "Bea")
        async with asking(pat, "alpha.test", "alpha-main", "Can I book a study room?") as chat:
            await bea.groupchat.wait_for(carrying("offer", chat))
            await _claim(bea, chat)
            await join(ann, room(lab, "alpha.test", "Reference"), "Ann")
            answer = await _transfer(bea, chat, "Reference Please check room 2 for Friday")
            assert answer == "Transferred to Reference."
            moved = await pat.messages.wait_for(carrying("transferred"))
            assert payload(moved, "transferred").get("to") == "Reference"
            await ann.groupchat.wait_for(carrying("offer", chat))
            await _claim(ann, chat)
            await pat.messages.wait_for(
                lambda m: carrying("claimed")(m) and payload(m, "claimed").get("nick") == "Ann")
            claimed = [m for m in pat.messages.items if carrying("claimed")(m)]
            assert [payload(m, "claimed").get("nick") for m in claimed] == ["Bea", "Ann"]
            bea.xmpp.send_message(mto=JID(chat), mbody="still there?", mtype="chat")
            await bea.messages.wait_for(lambda m: "taken by Ann" in m["body"])
    record, lines = await chat_record(lab, chat)
    assert record.claimed_by == "ann@alpha.test"
    assert (Sender.SYSTEM, "Transferred by Bea to Reference: Please check room 2 for Friday") in [
        (line.sender, line.body) for line in lines]


async def test_alpha_operator_transfers_to_a_beta_colleague_of_the_local_coop(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "ann@alpha.test") as ann, operator(lab, "ben@beta.test") as ben,
                patron(lab, "alpha.test") as pat):
        await join(ann, room(lab, "alpha.test", "Reference"), "Ann")
        await join(ben, coop_room(lab, "coop-local"), "Ben")
        question = "Do you have Beta's zine archive?"
        async with asking(pat, "alpha.test", "alpha-main", question) as chat:
            await ann.groupchat.wait_for(carrying("offer", chat))
            await _claim(ann, chat)
            assert await _transfer(ann, chat, "ben@beta.test") == "Transferred to ben@beta.test."
            direct = await ben.messages.wait_for(
                lambda m: m["type"] == "chat" and carrying("offer", chat)(m))
            assert payload(direct, "offer").get("home") is None  # Ben is not at Alpha
            await _claim(ben, chat)
            ben.xmpp.send_message(mto=JID(chat), mbody="Yes, I can help with that.", mtype="chat")
            await pat.messages.wait_for(lambda m: m["body"] == "Yes, I can help with that.")


async def test_operator_transfers_chat_to_the_other_coop_and_an_offline_target_is_refused(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "bea@beta.test") as bea, operator(lab, "abe@alpha.test") as abe,
                patron(lab, "alpha.test") as pat):
        await join(bea, coop_room(lab, "coop-247"), "Bea")
        async with asking(pat, "alpha.test", "alpha-main", "Is there a 3D printer?") as chat:
            await bea.groupchat.wait_for(carrying("offer", chat))
            await _claim(bea, chat)
            refused = await _transfer(bea, chat, "Science")
            assert refused == "Science is not online right now."
            assert (await chat_record(lab, chat))[0].state == ChatState.ACTIVE
            await join(abe, coop_room(lab, "coop-local"), "Abe")
            answer = await _transfer(bea, chat, "coop-local")
            assert answer == "Transferred to Valley Libraries Co-op."
            await abe.groupchat.wait_for(carrying("offer", chat))
            await _claim(abe, chat)
