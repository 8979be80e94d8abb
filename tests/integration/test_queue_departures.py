"""Departures are seen: a patron who closes the page, a librarian whose client disappears or
who falls silent. (The lab's grace, ping and silence periods are the test settings': 2 s, 1 s
and 12 s.)"""

from __future__ import annotations

from typing import Any

from slixmpp import JID

from refdesk.db.models import ChatState, Sender
from tests.integration.queue import (
    asking,
    carrying,
    chat_record,
    claim_by_text,
    join,
    payload,
    room,
)
from tests.integration.xmpp import Session, operator, patron


def _present(pat: Session, chat: str) -> None:
    """What the widget does once it has its chat (and `asking` does too): directed presence,
    so that the patron's server tells the chat when the connection ends."""
    pat.xmpp.make_presence(pto=JID(chat)).send()


async def test_patron_who_closes_the_page_while_waiting_leaves_the_queue(
    lab: dict[str, Any],
) -> None:
    async with operator(lab, "ben@beta.test") as ben, patron(lab, "beta.test") as pat:
        await join(ben, room(lab, "beta.test", "Adult Services"), "Ben")
        async with asking(pat, "beta.test", "beta-main", "Are you open late?") as chat:
            await ben.messages.wait_for(carrying("offer", chat))
            pat.xmpp.disconnect()  # the tab closes: no cancel, just gone
            withdrawn = await ben.messages.wait_for(carrying("withdrawn", chat), timeout=15)
    assert "the patron left" in withdrawn["body"]
    assert (await chat_record(lab, chat))[0].state == ChatState.CANCELLED


async def test_librarian_is_told_when_the_patron_of_a_claimed_chat_leaves(
    lab: dict[str, Any],
) -> None:
    async with operator(lab, "ben@beta.test") as ben, patron(lab, "beta.test") as pat:
        await join(ben, room(lab, "beta.test", "Adult Services"), "Ben")
        async with asking(pat, "beta.test", "beta-main", "Can I renew online?") as chat:
            await ben.messages.wait_for(carrying("offer", chat))
            await claim_by_text(ben, chat)
            pat.xmpp.disconnect()
            told = await ben.messages.wait_for(
                lambda m: m["from"] == chat and "The patron left" in m["body"], timeout=15)
    assert "!end" in told["body"]


async def test_patron_who_comes_back_within_the_grace_period_is_not_gone(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "ben@beta.test") as ben, patron(lab, "beta.test") as pat):
        await join(ben, room(lab, "beta.test", "Adult Services"), "Ben")
        async with asking(pat, "beta.test", "beta-main", "Is the lift working?") as chat:
            await ben.messages.wait_for(carrying("offer", chat))
            unavailable = pat.xmpp.make_presence(pto=JID(chat), ptype="unavailable")
            unavailable.send()
            _present(pat, chat)  # a blip: back at once
            await claim_by_text(ben, chat)  # still there to claim, seconds later
            assert (await chat_record(lab, chat))[0].state == ChatState.ACTIVE


async def test_chat_goes_back_to_the_queue_when_the_librarian_disconnects(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "ann@alpha.test") as ann, patron(lab, "alpha.test") as pat):
        await join(ann, room(lab, "alpha.test", "Reference"), "Ann")
        async with operator(lab, "abe@alpha.test") as abe:
            await join(abe, room(lab, "alpha.test", "Reference"), "Abe")
            async with asking(pat, "alpha.test", "alpha-main", "Where are the maps?") as chat:
                await abe.messages.wait_for(carrying("offer", chat))
                await claim_by_text(abe, chat)
                abe.xmpp.send_message(mto=JID(chat), mbody="One moment, please.",
                                      mtype="chat")
                await pat.messages.wait_for(lambda m: m["body"] == "One moment, please.")
                since = ann.messages.mark()
                abe.xmpp.disconnect()  # his laptop's lid closes

                back = await pat.messages.wait_for(carrying("requeued"), timeout=15)

                assert payload(back, "requeued").get("reason") == "disconnected"
                assert "back in the queue" in back["body"]
                again = await ann.messages.wait_for(carrying("offer", chat), since=since)
                assert "Back in the queue: Abe (Alpha University Library) was disconnected" in (
                    again["body"])
                ann.xmpp.send_message(mto=JID(chat), mbody="!claim", mtype="chat")
                claimed = await ann.messages.wait_for(
                    lambda m: m["from"] == chat and m["body"].startswith("You cl"))
                assert "Abe: One moment, please." in claimed["body"]
                await pat.messages.wait_for(
                    lambda m: carrying("claimed")(m)
                    and payload(m, "claimed").get("nick") == "Ann")
    _, lines = await chat_record(lab, chat)
    note = "Back in the queue: Abe (Alpha University Library) was disconnected"
    assert (Sender.SYSTEM, note) in [(line.sender, line.body) for line in lines]


async def test_chat_goes_back_to_the_queue_when_the_librarian_falls_silent(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "ben@beta.test") as ben, patron(lab, "beta.test") as pat):
        await join(ben, room(lab, "beta.test", "Adult Services"), "Ben")
        async with asking(pat, "beta.test", "beta-main", "Do you have large print?") as chat:
            await ben.messages.wait_for(carrying("offer", chat))
            await claim_by_text(ben, chat)
            # Ben's client stays connected, but Ben says nothing at all.
            back = await pat.messages.wait_for(carrying("requeued"), timeout=30)
            assert payload(back, "requeued").get("reason") == "silent"
            told = await ben.messages.wait_for(
                lambda m: m["from"] == chat and "went back to the queue" in m["body"])
            assert "did not answer" in told["body"]
            assert (await chat_record(lab, chat))[0].state == ChatState.WAITING
