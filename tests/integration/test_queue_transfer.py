"""A librarian hands a chat on: to a home department, to a co-op colleague, to another co-op."""

from __future__ import annotations

from typing import Any

from slixmpp import JID

from refdesk.db.models import ChatState, Sender
from tests.integration.queue import (
    asking,
    carrying,
    chat_record,
    claim_by_text,
    coop_room,
    join,
    payload,
    room,
)
from tests.integration.xmpp import Session, operator, patron


async def _transfer(op: Session, chat: str, where: str) -> str:
    since = op.messages.mark()
    op.xmpp.send_message(mto=JID(chat), mbody=f"!transfer {where}", mtype="chat")
    reply = await op.messages.wait_for(
        lambda m: m["from"] == chat and ("ransfer" in m["body"] or "not" in m["body"]),
        since=since)
    return str(reply["body"])


async def _stored(pat: Session, chat: str, text: str) -> None:
    """The patron sends a line and waits for the receipt: it is in the transcript."""
    line = pat.xmpp.make_message(mto=JID(chat), mbody=text, mtype="chat")
    line["request_receipt"] = True
    line.send()
    await pat.messages.wait_for(
        lambda m: m.xml.find("{urn:xmpp:receipts}received") is not None
        and m.xml.find("{urn:xmpp:receipts}received").get("id") == line["id"])


def _everything_the_patron_got(pat: Session) -> str:
    return "\n".join(str(m) for m in pat.messages.items)


async def test_coop_operator_transfers_alpha_patron_to_alpha_reference_with_notes(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "bea@beta.test") as bea, operator(lab, "ann@alpha.test") as ann,
                patron(lab, "alpha.test") as pat):
        await join(bea, coop_room(lab, "coop-247"), "Bea")
        async with asking(pat, "alpha.test", "alpha-main", "Can I book a study room?") as chat:
            await bea.messages.wait_for(carrying("offer", chat))
            await claim_by_text(bea, chat)
            bea.xmpp.send_message(mto=JID(chat), mbody="Let me find a colleague.", mtype="chat")
            await pat.messages.wait_for(lambda m: m["body"] == "Let me find a colleague.")
            await join(ann, room(lab, "alpha.test", "Reference"), "Ann")

            answer = await _transfer(bea, chat, "Reference Please check room 2 for Friday "
                                                "patron: Ann will book it for you.")

            assert answer == "Transferred to Reference."
            moved = await pat.messages.wait_for(carrying("transferred"))
            assert payload(moved, "transferred").get("to") == (
                "Reference (Alpha University Library)")
            assert moved["body"] == ("You are being transferred to Reference (Alpha University "
                                     "Library). Ann will book it for you.")
            offer = await ann.messages.wait_for(carrying("offer", chat))
            assert payload(offer, "offer").get("transfer") == "true"
            assert ("Transferred by Bea (Beta Public Library): Please check room 2 for Friday"
                    in offer["body"])
            assert "Ann will book" not in offer["body"]  # that note was for the patron

            await _stored(pat, chat, "Thanks, I'll wait.")
            claimed = await claim_by_text(ann, chat)

            assert "Bea: Let me find a colleague." in claimed
            assert "Patron: Thanks, I'll wait." in claimed
            await pat.messages.wait_for(
                lambda m: carrying("claimed")(m) and payload(m, "claimed").get("nick") == "Ann")
            told = await bea.messages.wait_for(
                lambda m: m["type"] == "chat" and carrying("taken", chat)(m))
            assert payload(told, "taken").get("institution") == "Alpha University Library"
            since = pat.messages.mark()
            bea.xmpp.send_message(mto=JID(chat), mbody="still there?", mtype="chat")
            await bea.messages.wait_for(
                lambda m: "taken by Ann (Alpha University Library)" in m["body"])
            ann.xmpp.send_message(mto=JID(chat), mbody="Booked: room 2.", mtype="chat")
            await pat.messages.wait_for(lambda m: m["body"] == "Booked: room 2.", since=since)
            assert all(m["body"] != "still there?" for m in pat.messages.items[since:])
    claimed_nicks = [payload(m, "claimed").get("nick")
                     for m in pat.messages.items if carrying("claimed")(m)]
    assert claimed_nicks == ["Bea", "Ann"]
    seen = _everything_the_patron_got(pat)
    assert "bea@beta.test" not in seen and "ann@alpha.test" not in seen
    record, lines = await chat_record(lab, chat)
    assert record.claimed_by == "ann@alpha.test"
    handover = ("Transferred by Bea (Beta Public Library): Please check room 2 for Friday "
                "→ Reference (for the patron: Ann will book it for you.)")
    assert (Sender.SYSTEM, handover) in [(line.sender, line.body) for line in lines]


async def test_patron_line_typed_during_a_transfer_reaches_the_librarian_who_claims(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "ann@alpha.test") as ann, operator(lab, "ben@beta.test") as ben,
                patron(lab, "alpha.test") as pat):
        await join(ann, room(lab, "alpha.test", "Reference"), "Ann")
        await join(ben, coop_room(lab, "coop-local"), "Ben")
        question = "Do you have Beta's zine archive?"
        async with asking(pat, "alpha.test", "alpha-main", question) as chat:
            await ann.messages.wait_for(carrying("offer", chat))
            await claim_by_text(ann, chat)

            answer = await _transfer(ann, chat, "ben@beta.test")

            assert answer == "Transferred to Ben <ben@beta.test>."
            moved = await pat.messages.wait_for(carrying("transferred"))
            assert payload(moved, "transferred").get("to") == "Ben (Beta Public Library)"
            direct = await ben.messages.wait_for(
                lambda m: m["type"] == "chat" and carrying("offer", chat)(m))
            assert payload(direct, "offer").get("home") is None  # Ben is not at Alpha
            await _stored(pat, chat, "Are you still there?")
            claimed = await claim_by_text(ben, chat)
            ben.xmpp.send_message(mto=JID(chat), mbody="Yes, I can help with that.",
                                  mtype="chat")
            await pat.messages.wait_for(lambda m: m["body"] == "Yes, I can help with that.")

    assert "Patron: Are you still there?" in claimed
    assert "ben@beta.test" not in _everything_the_patron_got(pat)


async def test_operator_transfers_chat_to_the_other_coop_and_an_offline_target_is_refused(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "bea@beta.test") as bea, operator(lab, "abe@alpha.test") as abe,
                patron(lab, "alpha.test") as pat):
        await join(bea, coop_room(lab, "coop-247"), "Bea")
        async with asking(pat, "alpha.test", "alpha-main", "Is there a 3D printer?") as chat:
            await bea.messages.wait_for(carrying("offer", chat))
            await claim_by_text(bea, chat)

            refused = await _transfer(bea, chat, "Science")

            assert refused.startswith("Science is not online right now. Online now: ")
            assert "24/7 Reference" in refused  # Bea herself monitors it
            assert "bea@beta.test" not in refused  # but is no place to hand her own chat on
            assert (await chat_record(lab, chat))[0].state == ChatState.ACTIVE
            await join(abe, coop_room(lab, "coop-local"), "Abe")
            answer = await _transfer(bea, chat, "Valley Libraries Co-op")
            assert answer == "Transferred to Valley Libraries Co-op."
            await abe.messages.wait_for(carrying("offer", chat))
            await claim_by_text(abe, chat)
