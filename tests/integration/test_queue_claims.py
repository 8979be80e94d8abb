"""Eighteen librarians on three domains go for the same chat: one gets it, all know who.

They are the 24/7 co-op's staff and the staff of its contributing members, Alpha and Beta:
Gamma's, a non-contributing member's, are never offered another library's chat."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from typing import Any

from slixmpp import JID

from tests.integration.queue import asking, carrying, chat_record, coop_room, join, payload
from tests.integration.xmpp import Session, operator, patron

CLAIMERS = 18


def _claimers(lab: dict[str, Any]) -> list[str]:
    """Every operator of Alpha and Beta, and the 24/7 co-op's own staff."""
    staffs = [op["jid"] for library in lab["libraries"] if library["domain"] != "gamma.test"
              for op in library["operators"]]
    coop = next(c for c in lab["coops"] if c["id"] == "coop-247")
    chosen = staffs + [staff["jid"] for staff in coop["staff"]]
    assert len(chosen) == CLAIMERS and len({jid.split("@")[1] for jid in chosen}) == 3
    return chosen


async def test_eighteen_operators_on_three_domains_claim_at_once_one_wins_others_told_who(
    lab: dict[str, Any],
) -> None:
    room = coop_room(lab, "coop-247")
    async with AsyncExitStack() as stack:
        operators = [await stack.enter_async_context(operator(lab, jid))
                     for jid in _claimers(lab)]
        await asyncio.gather(*(join(op, room, op.jid.split("@")[0]) for op in operators))
        pat = await stack.enter_async_context(patron(lab, "beta.test"))
        chat = await stack.enter_async_context(
            asking(pat, "beta.test", "beta-main", "Can I renew a book twice?"))
        # Offered to each directly: Gamma's staff may be in the room too.
        await asyncio.gather(*(op.messages.wait_for(carrying("offer", chat))
                               for op in operators))

        for op in operators:
            op.xmpp.send_message(mto=JID(chat), mbody="/claim", mtype="chat")
        answers = await asyncio.gather(*(_answer(op, chat) for op in operators))

        record, _ = await chat_record(lab, chat)
        winners = [op for op, text in zip(operators, answers, strict=True)
                   if text.startswith("You claimed")]
        assert [op.jid for op in winners] == [record.claimed_by]
        winner_nick = record.claimed_nick
        told = [text for text in answers if not text.startswith("You claimed")]
        assert len(told) == CLAIMERS - 1
        assert all(f"already claimed by {winner_nick}" in text for text in told)
        for op in operators:
            if op.jid == record.claimed_by:
                continue
            notice = await op.messages.wait_for(carrying("taken", chat))
            assert payload(notice, "taken").get("nick") == winner_nick
        record, _ = await chat_record(lab, chat)
        ended = winners[0]
        ended.xmpp.send_message(mto=JID(chat), mbody="/end", mtype="chat")
        await pat.messages.wait_for(carrying("ended"))  # the shared lab's queue left empty


async def _answer(op: Session, chat: str) -> str:
    reply = await op.messages.wait_for(
        lambda m: m["from"] == chat and ("claimed" in m["body"]), timeout=20)
    return str(reply["body"])
