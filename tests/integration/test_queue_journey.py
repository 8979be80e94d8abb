"""A patron's question at Alpha reaches the 24/7 co-op and a Beta librarian answers it."""

from __future__ import annotations

import asyncio
from typing import Any

from slixmpp import JID
from slixmpp.xmlstream import tostring

from refdesk.db.models import ChatState, EndedBy, Sender
from tests.integration.queue import (
    asking,
    carrying,
    chat_record,
    claim_by_command,
    coop_room,
    join,
    notes,
    payload,
)
from tests.integration.xmpp import operator, patron

QUESTION = "Do you have Kafka's letters to Milena in German?"


async def test_alpha_patron_reaches_247_coop_and_beta_operator_claims_by_adhoc_command(
    lab: dict[str, Any],
) -> None:
    room = coop_room(lab, "coop-247")
    async with (operator(lab, "bea@beta.test") as bea, operator(lab, "ben@beta.test") as ben,
                patron(lab, "alpha.test") as pat):
        await asyncio.gather(join(bea, room, "Bea"), join(ben, room, "Ben"))
        async with asking(pat, "alpha.test", "alpha-main", QUESTION, name="Pat",
                          referrer="https://alpha.test/catalog", user_agent="Firefox") as chat:
            offer = await bea.messages.wait_for(carrying("offer", chat))
            assert payload(offer, "offer").attrib == {
                "chat": chat, "library": "alpha.test", "widget": "alpha-main"}
            assert QUESTION in offer["body"] and f"xmpp:{chat}?message" in offer["body"]

            bea.xmpp.send_message(mto=JID(chat), mbody="What is this about?", mtype="chat")
            preview = await bea.messages.wait_for(
                lambda m: m["from"] == chat and "New chat" in m["body"])
            for seen in ("Alpha University Library", "Ask Alpha", "24/7 Reference", QUESTION,
                         "https://alpha.test/catalog"):
                assert seen in preview["body"]
            assert (await chat_record(lab, chat))[0].state == ChatState.WAITING

            result = await claim_by_command(bea, chat)
            assert "You claimed the chat" in notes(result)
            claimed = await pat.messages.wait_for(carrying("claimed"))
            assert payload(claimed, "claimed").attrib == {
                "nick": "Bea", "institution": "Beta Public Library"}
            taken = await ben.messages.wait_for(carrying("taken", chat))
            assert payload(taken, "taken").get("nick") == "Bea"

            await _converse(pat, bea, chat)
            ended = pat.xmpp.make_iq_set(ito=chat)
            ended.enable("refdesk_ended")
            await ended.send(timeout=10)
            for side in (pat, bea):
                notice = await side.messages.wait_for(carrying("ended"))
                assert payload(notice, "ended").get("by") == "patron"
            rating = pat.xmpp.make_iq_set(ito=chat)
            rating["refdesk_rating"]["score"], rating["refdesk_rating"]["comment"] = 5, "Thanks!"
            await rating.send(timeout=10)
        everything_patron_saw = "".join(tostring(m.xml) for m in pat.messages.items)
    assert "bea@beta.test" not in everything_patron_saw

    record, lines = await chat_record(lab, chat)
    assert (record.state, record.ended_by, record.rating) == (ChatState.ENDED, EndedBy.PATRON, 5)
    assert (record.claimed_by, record.claimed_institution) == ("bea@beta.test", "beta.test")
    assert [(line.sender, line.body) for line in lines] == [
        (Sender.PATRON, QUESTION),
        (Sender.SYSTEM, "Claimed by Bea (Beta Public Library)"),
        (Sender.PATRON, "Is the 1952 edition there?"),
        (Sender.OPERATOR, "Yes, at the Special Collections desk."),
        (Sender.SYSTEM, "Ended by the patron"),
    ]


async def test_beta_operator_without_adhoc_commands_claims_and_ends_with_text_commands(
    lab: dict[str, Any],
) -> None:
    room = coop_room(lab, "coop-247")
    async with operator(lab, "ben@beta.test") as ben, patron(lab, "alpha.test") as pat:
        await join(ben, room, "Ben")
        async with asking(pat, "alpha.test", "alpha-main", "Opening hours on Sunday?") as chat:
            await ben.messages.wait_for(carrying("offer", chat))
            # "!" because stock clients keep "/words" for their own commands.
            ben.xmpp.send_message(mto=JID(chat), mbody="!help", mtype="chat")
            await ben.messages.wait_for(lambda m: "!transfer" in m["body"])
            ben.xmpp.send_message(mto=JID(chat), mbody="!claim", mtype="chat")
            await ben.messages.wait_for(lambda m: m["body"].startswith("You claimed"))
            claimed = await pat.messages.wait_for(carrying("claimed"))
            assert payload(claimed, "claimed").get("nick") == "Ben"
            ben.xmpp.send_message(mto=JID(chat), mbody="We open at noon on Sundays.", mtype="chat")
            await pat.messages.wait_for(lambda m: m["body"] == "We open at noon on Sundays.")
            ben.xmpp.send_message(mto=JID(chat), mbody="!end", mtype="chat")
            await pat.messages.wait_for(carrying("ended"))
    record, lines = await chat_record(lab, chat)
    assert (record.state, record.ended_by) == (ChatState.ENDED, EndedBy.OPERATOR)
    assert [line.sender for line in lines] == [
        Sender.PATRON, Sender.SYSTEM, Sender.OPERATOR, Sender.SYSTEM]


async def _converse(pat: Any, bea: Any, chat: str) -> None:
    """A line each way, a typing notification, and a receipt for the patron's line."""
    composing = pat.xmpp.make_message(mto=chat, mtype="chat")
    composing["chat_state"] = "composing"
    composing.send()
    typing = await bea.messages.wait_for(
        lambda m: m.xml.find("{http://jabber.org/protocol/chatstates}composing") is not None)
    assert typing["from"] == chat
    line = pat.xmpp.make_message(mto=chat, mbody="Is the 1952 edition there?", mtype="chat")
    line["request_receipt"] = True
    line.send()
    relayed = await bea.messages.wait_for(lambda m: m["body"] == "Is the 1952 edition there?")
    assert relayed["from"] == chat
    await pat.messages.wait_for(
        lambda m: m.xml.find("{urn:xmpp:receipts}received") is not None)
    bea.xmpp.send_message(mto=JID(chat), mbody="Yes, at the Special Collections desk.",
                          mtype="chat")
    answer = await pat.messages.wait_for(
        lambda m: m["body"] == "Yes, at the Special Collections desk.")
    assert answer["from"] == chat
