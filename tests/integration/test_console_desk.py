"""The console's desk, the library's all-staff room, and transfers from the console."""

from __future__ import annotations

from typing import Any

import pytest
from slixmpp.exceptions import IqError

from tests.integration.console import (
    NS,
    ask,
    console,
    console_payload,
    field,
    push,
    subscribe,
)
from tests.integration.queue import (
    asking,
    carrying,
    claim_by_text,
    coop_room,
    entry_answer,
    join,
    refused_entry,
    room,
)
from tests.integration.xmpp import operator, patron

STAFF_ROOM = "staff@conference.alpha.test"

ALPHA_QUEUE = "queue.alpha.test"


async def test_ann_desk_lists_her_departments_coops_with_members_and_the_staff_room(
    lab: dict[str, Any],
) -> None:
    async with operator(lab, "ann@alpha.test") as ann, operator(lab, "abe@alpha.test") as abe:
        desk = console_payload(await ask(ann, ALPHA_QUEUE, "get", console("desk")), "desk")
        abe_desk = console_payload(await ask(abe, ALPHA_QUEUE, "get", console("desk")), "desk")

    assert desk is not None and abe_desk is not None
    assert (desk.get("library"), desk.get("name")) == ("alpha.test", "Alpha University Library")
    me = desk.find(f"{{{NS}}}me")
    assert me is not None and (me.get("jid"), me.get("nick"), me.get("admin")) == (
        "ann@alpha.test", "Ann", "true")
    abe_me = abe_desk.find(f"{{{NS}}}me")
    assert abe_me is not None and abe_me.get("admin") == "false"
    staff = desk.find(f"{{{NS}}}staff-room")
    assert staff is not None and (staff.get("jid"), staff.get("name")) == (
        STAFF_ROOM, "Alpha University Library staff")
    assert [(d.get("name"), d.get("jid")) for d in desk.iterfind(f"{{{NS}}}department")] == [
        ("Reference", room(lab, "alpha.test", "Reference")),
        ("Science", room(lab, "alpha.test", "Science"))]
    coops = {c.get("id"): c for c in desk.iterfind(f"{{{NS}}}coop")}
    assert set(coops) == {"coop-local", "coop-247"}
    assert (coops["coop-local"].get("level"), coops["coop-247"].get("level")) == (
        "coop-admin", "institution-admin")
    assert coops["coop-247"].get("host") == "coop.test"
    assert coops["coop-247"].get("room") == coop_room(lab, "coop-247")
    members = {(m.get("domain"), m.get("queue"))
               for m in coops["coop-247"].iterfind(f"{{{NS}}}member")}
    assert members == {("alpha.test", "queue.alpha.test"), ("beta.test", "queue.beta.test"),
                       ("gamma.test", "queue.gamma.test")}


async def test_only_alpha_operators_have_an_alpha_desk_and_enter_its_staff_room(
    lab: dict[str, Any],
) -> None:
    async with operator(lab, "ann@alpha.test") as ann, operator(lab, "ben@beta.test") as ben:
        with pytest.raises(IqError) as refused:
            await ask(ben, "queue.alpha.test", "get", console("desk"))
        assert refused.value.condition == "forbidden"
        assert "ben" not in str(refused.value.iq["error"]["text"])

        entered = await entry_answer(ann, STAFF_ROOM, "Ann")
        assert entered["type"] != "error", entered
        assert await refused_entry(ben, STAFF_ROOM, "Ben") == "registration-required"


async def test_presence_in_the_staff_room_is_no_monitoring(lab: dict[str, Any]) -> None:
    async with operator(lab, "ann@alpha.test") as ann, patron(lab, "alpha.test") as pat:
        entered = await entry_answer(ann, STAFF_ROOM, "Ann")
        assert entered["type"] != "error", entered
        status = pat.xmpp.make_iq_get(ito="queue.alpha.test")
        status["refdesk_status"]["widget"] = "alpha-main"
        reply = await status.send(timeout=15)
    assert reply["refdesk_status"]["online"] == "false"


async def test_ben_lists_transfer_targets_online_and_hands_the_chat_to_reference_with_a_note(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "ann@alpha.test") as ann, operator(lab, "ben@beta.test") as ben,
                operator(lab, "abe@alpha.test") as abe, operator(lab, "bea@beta.test") as bea,
                patron(lab, "alpha.test") as pat):
        await join(ben, coop_room(lab, "coop-local"), "Ben")
        await subscribe(ann, "alpha.test")
        async with asking(pat, "alpha.test", "alpha-main", "Who holds the zine archive?") as chat:
            await ben.messages.wait_for(carrying("offer", chat))
            await claim_by_text(ben, chat)
            await join(abe, room(lab, "alpha.test", "Reference"), "Abe")
            await join(bea, coop_room(lab, "coop-247"), "Bea")
            for outsider in (abe, bea):  # not the claimant: as for a chat that does not exist
                for to in (chat, "chat-nonexistent@queue.alpha.test"):
                    with pytest.raises(IqError) as refused:
                        await ask(outsider, to, "get", console("transfer-targets"))
                    assert refused.value.condition == "item-not-found"
                    assert refused.value.text == "There is no such chat."

            listed = console_payload(await ask(ben, chat, "get", console("transfer-targets")),
                                     "transfer-targets")
            assert listed is not None
            targets = {(t.get("kind"), t.get("to"), t.get("label"), t.get("institution"))
                       for t in listed}
            assert targets == {
                ("department", "Reference", "Reference", None),
                ("operator", "abe@alpha.test", "Abe", None),
                ("operator", "bea@beta.test", "Bea", "Beta Public Library"),
                ("coop", "Valley Libraries Co-op", "Valley Libraries Co-op", None),
                ("coop", "24/7 Reference", "24/7 Reference", None),
            }

            since = ann.messages.mark()
            await ask(ben, chat, "set", console("transfer", {"to": "Reference"},
                                                note="Ask about the 1990s boxes"))
            again = await push(ann, chat, "waiting", since=since)
            assert field(again, "transfer") == (
                "Transferred by Ben (Beta Public Library): Ask about the 1990s boxes")
            assert again.get("taken-nick") is None
            await abe.messages.wait_for(carrying("offer", chat))
            with pytest.raises(IqError) as gone:
                await ask(ben, chat, "get", console("transfer-targets"))
            assert gone.value.condition == "item-not-found"
