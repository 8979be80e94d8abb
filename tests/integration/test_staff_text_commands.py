"""Supervision and blocking from any client, by the text commands a librarian types in the
chat (or the ad-hoc commands): Alpha's admin watches a chat silently with `!supervise`, her
`!note` reaches Ben and never the patron, and Ben blocks the patron with `!block`; a Regular
cannot supervise."""

from __future__ import annotations

from typing import Any

import pytest
from slixmpp import JID
from slixmpp.exceptions import IqError

from tests.integration.console import copy_of
from tests.integration.queue import (
    asking,
    carrying,
    claim_by_text,
    command,
    coop_room,
    join,
    notes,
    request,
)
from tests.integration.xmpp import Session, operator, patron

NOTE = "Offer the renewal form."


async def typed(session: Session, chat: str, line: str) -> str:
    """Type a line in the chat, as in any client; the queue's answer."""
    since = session.messages.mark()
    session.xmpp.send_message(mto=JID(chat), mbody=line, mtype="chat")
    reply = await session.messages.wait_for(
        lambda m: m["from"] == chat and m["type"] == "chat" and bool(m["body"])
        and m.xml.find("{urn:refdesk:console:0}line") is None, since=since)
    return str(reply["body"])


async def test_an_admin_supervises_by_text_and_a_librarian_blocks_by_text(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "ben@beta.test") as ben, operator(lab, "ann@alpha.test") as ann,
                operator(lab, "abe@alpha.test") as abe, patron(lab, "alpha.test") as pat):
        await join(ben, coop_room(lab, "coop-247"), "Ben")
        async with asking(pat, "alpha.test", "alpha-main", "You people are useless") as chat:
            await ben.messages.wait_for(carrying("offer", chat))
            assert await typed(ben, chat, "!note too early") == (
                "Claim the chat, or supervise it, before leaving a note.")
            await claim_by_text(ben, chat)

            assert "no such chat" in (await typed(abe, chat, "!supervise")).lower()
            # The ad-hoc command (Gajim, poezio) and the text command do the same.
            assert notes(await command(ann, chat, "supervise")).startswith("You are supervising")
            assert await typed(ann, chat, "!unsupervise") == "You stopped supervising this chat."
            assert (await typed(ann, chat, "!supervise")).startswith("You are supervising")
            pat.xmpp.send_message(mto=JID(chat), mbody="Answer me now!", mtype="chat")
            copied = await ann.messages.wait_for(copy_of(chat, "patron", "Answer me now!"))
            assert copied["body"] == "Patron: Answer me now!"  # readable in any client
            assert "not see" in await typed(ann, chat, f"! note {NOTE}")
            await ben.messages.wait_for(copy_of(chat, "note", NOTE))

            since = ben.messages.mark()
            ben.xmpp.send_message(mto=JID(chat), mbody="!block 30 Insults after two warnings",
                                  mtype="chat")
            await ben.messages.wait_for(
                lambda m: m["body"].startswith("You blocked the patron until")
                and m["body"].endswith("Insults after two warnings"), since=since)
            ended = await pat.messages.wait_for(carrying("ended"))
            assert ended["body"] == "The chat has ended."
            assert NOTE not in "\n".join(str(m) for m in pat.messages.items)
        with pytest.raises(IqError) as again:
            await request(pat, "alpha.test", "alpha-main", "Hello again")
        assert again.value.condition == "forbidden"
