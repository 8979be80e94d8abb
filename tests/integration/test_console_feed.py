"""The Patron Chats feed of the console protocol: a live list of a library's waiting and
active chats, for each librarian exactly the chats they may see."""

from __future__ import annotations

from typing import Any

import pytest
from slixmpp import JID
from slixmpp.exceptions import IqError

from tests.integration.console import (
    ask,
    console,
    field,
    push,
    pushes_about,
    round_trip,
    subscribe,
)
from tests.integration.queue import (
    asking,
    carrying,
    claim_by_text,
    coop_room,
    join,
    room,
)
from tests.integration.xmpp import operator, patron


async def test_alpha_and_beta_feeds_follow_an_alpha_chat_from_waiting_to_taken_to_ended(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "ann@alpha.test") as ann, operator(lab, "ben@beta.test") as ben,
                operator(lab, "abe@alpha.test") as abe, patron(lab, "alpha.test") as pat):
        await join(abe, room(lab, "alpha.test", "Reference"), "Abe")
        await join(ben, coop_room(lab, "coop-local"), "Ben")
        await subscribe(ann, "alpha.test")
        await subscribe(ben, "alpha.test")
        async with asking(pat, "alpha.test", "alpha-main", "Where are the maps?",
                          name="Pat") as chat:
            waiting = await push(ann, chat, "waiting")
            assert waiting.get("home") == "true" and waiting.get("coop") is None
            assert field(waiting, "question") == "Where are the maps?"
            assert field(waiting, "name") == "Pat"
            assert waiting.get("widget-name") == "Ask Alpha"
            assert not pushes_about(ben, chat)  # Reference first: not Ben's yet

            seen = await push(ben, chat, "waiting")  # the co-op step, one period later
            assert seen.get("home") == "false"
            assert (seen.get("coop"), seen.get("coop-name")) == (
                "coop-local", "Valley Libraries Co-op")
            assert seen.get("since") == waiting.get("since")
            await claim_by_text(ben, chat)

            for session, mine in ((ann, "false"), (ben, "true")):
                taken = await push(session, chat, "active")
                assert taken.get("taken-nick") == "Ben"
                assert taken.get("taken-institution") == "Beta Public Library"
                assert taken.get("mine") == mine
            since = ben.messages.mark()
            ben.xmpp.send_message(mto=JID(chat), mbody="!end", mtype="chat")
            await push(ann, chat, "ended")
            await push(ben, chat, "ended", since=since)


async def test_a_non_contributing_members_librarian_never_sees_alpha_chats_in_the_feed(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "gus@gamma.test") as gus, operator(lab, "bea@beta.test") as bea,
                operator(lab, "abe@alpha.test") as abe, patron(lab, "alpha.test") as pat):
        await join(abe, room(lab, "alpha.test", "Reference"), "Abe")
        await join(gus, coop_room(lab, "coop-247"), "Gus")
        await join(bea, coop_room(lab, "coop-247"), "Bea")
        await subscribe(bea, "alpha.test")
        async with asking(pat, "alpha.test", "alpha-main", "Is the library open Sunday?") as chat:
            await push(bea, chat, "waiting")  # as far as coop-247
            listed = await subscribe(gus, "alpha.test")
            assert chat not in listed
            await claim_by_text(bea, chat)
            await push(bea, chat, "active")
            await round_trip(gus, "alpha.test")
            assert not pushes_about(gus, chat)
            assert not await subscribe(gus, "alpha.test")


async def test_a_patron_cannot_follow_the_feed_nor_ask_for_a_desk(lab: dict[str, Any]) -> None:
    async with patron(lab, "alpha.test") as snoop:
        for kind, name in (("set", "subscribe"), ("get", "desk")):
            with pytest.raises(IqError) as refused:
                await ask(snoop, "queue.alpha.test", kind, console(name))  # type: ignore[arg-type]
            assert refused.value.condition == "forbidden"


async def test_unsubscribe_and_unavailable_presence_stop_the_pushes(lab: dict[str, Any]) -> None:
    async with (operator(lab, "ann@alpha.test") as ann, operator(lab, "ada@alpha.test") as ada,
                operator(lab, "ben@beta.test") as ben, patron(lab, "alpha.test") as pat):
        await join(ben, coop_room(lab, "coop-local"), "Ben")
        for session in (ann, ada, ben):
            await subscribe(session, "alpha.test")
        await ask(ada, "queue.alpha.test", "set", console("unsubscribe"))
        # As a console does when it closes: its server tells the queue it went away.
        ben.xmpp.make_presence(pto=JID("queue.alpha.test"), ptype="unavailable").send()
        await round_trip(ben, "alpha.test")
        async with asking(pat, "alpha.test", "alpha-main", "Any quiet rooms?") as chat:
            await push(ann, chat, "waiting")
            await ben.messages.wait_for(carrying("offer", chat))  # it did reach his room
            await claim_by_text(ben, chat)
            await push(ann, chat, "active")
            for gone in (ada, ben):
                await round_trip(gone, "alpha.test")
                assert not pushes_about(gone, chat)


async def test_a_librarian_who_starts_monitoring_a_coop_sees_the_chat_already_waiting_there(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "bo@beta.test") as bo, operator(lab, "ben@beta.test") as ben,
                operator(lab, "abe@alpha.test") as abe, patron(lab, "alpha.test") as pat):
        await join(abe, room(lab, "alpha.test", "Reference"), "Abe")
        await join(ben, coop_room(lab, "coop-local"), "Ben")
        async with asking(pat, "alpha.test", "alpha-main", "Any Welsh newspapers?") as chat:
            await ben.messages.wait_for(carrying("offer", chat))  # offered in coop-local
            assert chat not in await subscribe(bo, "alpha.test")  # Bo monitors nothing yet
            await join(bo, coop_room(lab, "coop-local"), "Bo")
            seen = await push(bo, chat, "waiting")  # no change to the chat: Bo came in
            assert seen.get("coop") == "coop-local"
            bo.xmpp.plugin["xep_0045"].leave_muc(JID(coop_room(lab, "coop-local")), "Bo")
            await push(bo, chat, "withdrawn")  # out of the room, out of reach
