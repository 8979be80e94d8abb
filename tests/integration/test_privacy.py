"""A patron's question reaches only the staff entitled to it, tried as an attacker would: a
patron on the guest host, an operator of a library outside the co-op."""

from __future__ import annotations

from typing import Any

import pytest
from slixmpp import JID
from slixmpp.exceptions import IqError
from slixmpp.xmlstream import ET

from components.coop.wire import PUBSUB
from tests.integration.queue import (
    asking,
    carrying,
    command,
    coop_room,
    join,
    refused_entry,
    request,
    room,
)
from tests.integration.xmpp import Session, operator, patron

MAM = "urn:xmpp:mam:2"
MUC_USER = "http://jabber.org/protocol/muc#user"
SECRET = "My card number is 2940-1177, can you renew it?"


async def test_a_patron_cannot_enter_a_staff_room_nor_read_its_archive(
    lab: dict[str, Any],
) -> None:
    reference = room(lab, "alpha.test", "Reference")
    async with operator(lab, "ann@alpha.test") as ann, patron(lab, "alpha.test") as asker:
        await join(ann, reference, "Ann")
        async with asking(asker, "alpha.test", "alpha-main", SECRET) as chat:
            await ann.messages.wait_for(carrying("offer", chat))
            async with patron(lab, "alpha.test") as snoop:
                assert await refused_entry(snoop, reference, "curious") == (
                    "registration-required")
                archive = snoop.xmpp.make_iq_set(ito=JID(reference))
                archive.xml.append(ET.Element(f"{{{MAM}}}query"))
                with pytest.raises(IqError) as refused:
                    await archive.send(timeout=10)
    assert refused.value.condition == "forbidden"
    assert SECRET not in str(refused.value.iq)


async def test_a_patron_cannot_list_the_queue_nor_preview_or_claim_anothers_chat(
    lab: dict[str, Any],
) -> None:
    reference = room(lab, "alpha.test", "Reference")
    async with operator(lab, "ann@alpha.test") as ann, patron(lab, "alpha.test") as asker:
        await join(ann, reference, "Ann")
        async with (asking(asker, "alpha.test", "alpha-main", SECRET) as chat,
                    patron(lab, "alpha.test") as snoop):
            await ann.messages.wait_for(carrying("offer", chat))
            snoop.xmpp.register_plugin("xep_0050")  # any XMPP client can run commands
            listed = await command(snoop, "queue.alpha.test", "queue")
            assert SECRET not in str(listed)
            assert listed["command"]["notes"] == [("info", "Nobody is waiting for you.")]

            since = snoop.messages.mark()
            snoop.xmpp.send_message(mto=JID(chat), mbody="hello?", mtype="chat")
            answer = await snoop.messages.wait_for(lambda m: m["from"] == chat, since=since)
            assert answer["type"] == "error" and SECRET not in str(answer)
            for node in ("claim", "transfer", "end"):
                with pytest.raises(IqError) as refused:
                    await command(snoop, chat, node)
                assert refused.value.condition == "item-not-found", node
                with pytest.raises(IqError) as made_up:
                    await command(snoop, "chat-0000000000000000@queue.alpha.test", node)
                assert made_up.value.condition == "item-not-found", node

            mine = await command(ann, "queue.alpha.test", "queue")
            assert SECRET in str(mine)  # the library's own librarian does see it


async def test_an_operator_outside_the_coop_sees_nothing_of_its_chats(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "bea@beta.test") as bea, operator(lab, "gus@gamma.test") as gus,
                patron(lab, "alpha.test") as asker):
        await join(bea, coop_room(lab, "coop-local"), "Bea")
        assert await refused_entry(gus, coop_room(lab, "coop-local"), "Gus") == (
            "registration-required")
        async with asking(asker, "alpha.test", "alpha-main", SECRET) as chat:
            await bea.messages.wait_for(carrying("offer", chat), timeout=15)
            listed = await command(gus, "queue.alpha.test", "queue")
            assert SECRET not in str(listed)


async def test_forged_room_presence_does_not_make_a_widget_look_online(
    lab: dict[str, Any],
) -> None:
    async with patron(lab, "gamma.test") as forger:
        async def online() -> bool:
            iq = forger.xmpp.make_iq_get(ito=JID("queue.gamma.test"))
            iq["refdesk_status"]["widget"] = "gamma-main"
            return bool((await iq.send(timeout=10))["refdesk_status"]["online"] == "true")

        assert not await online()
        desk = room(lab, "gamma.test", "Information Desk")
        for n in range(50):  # as if from the room: an occupant who is a gamma librarian
            forged = forger.xmpp.make_presence(pto=JID("queue.gamma.test/queue"))
            forged["from"] = JID(f"{desk}/Gus{n}")  # the server puts the patron's own back
            x = ET.SubElement(forged.xml, f"{{{MUC_USER}}}x")
            ET.SubElement(x, f"{{{MUC_USER}}}item", {"jid": "gus@gamma.test/desk",
                                                      "affiliation": "member",
                                                      "role": "participant"})
            forged.send()
        # The status query travels the forgeries' path after them: they have all been seen.
        assert not await online()
        with pytest.raises(IqError) as refused:
            await request(forger, "gamma.test", "gamma-main", "Anyone there?")
        assert refused.value.condition == "service-unavailable"


async def test_an_error_sent_by_a_stranger_does_not_reach_the_patron(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "ben@beta.test") as ben, patron(lab, "beta.test") as pat,
                operator(lab, "bea@beta.test") as bea):
        await join(ben, room(lab, "beta.test", "Adult Services"), "Ben")
        async with asking(pat, "beta.test", "beta-main", "Where is the quiet room?") as chat:
            await ben.messages.wait_for(carrying("offer", chat))
            ben.xmpp.send_message(mto=JID(chat), mbody="!claim", mtype="chat")
            await pat.messages.wait_for(carrying("claimed"))
            bounce = bea.xmpp.make_message(mto=JID(chat), mtype="error", mbody="spoof")
            bounce["error"]["condition"] = "recipient-unavailable"
            bounce.send()
            since = pat.messages.mark()
            ben.xmpp.send_message(mto=JID(chat), mbody="Second floor.", mtype="chat")
            await pat.messages.wait_for(lambda m: m["body"] == "Second floor.", since=since)
    assert not [m for m in pat.messages.items if "could not be delivered" in m["body"]]
    assert not [m for m in pat.messages.items if m["body"] == "spoof"]


async def test_a_patron_cannot_learn_a_coops_librarians_from_its_registry(
    lab: dict[str, Any],
) -> None:
    # Alpha hosts the local co-op: its registry is on the patron's own server. (A 24/7
    # co-op's host is on another domain, which anonymous patrons cannot reach at all.)
    async with (patron(lab, "alpha.test") as snoop,
                operator(lab, "bea@beta.test") as bea):
        with pytest.raises(IqError) as refused:
            await _coop_items(snoop, "coop.alpha.test", "coop-local")
        assert refused.value.condition == "forbidden"
        assert "@alpha.test" not in str(refused.value.iq)
        with pytest.raises(IqError):  # nor may an operator, from their own account
            await _coop_items(bea, "coop.alpha.test", "coop-local")


async def _coop_items(session: Session, registry: str, node: str) -> None:
    """Ask a co-op's registry for the co-op as it publishes it (its pubsub node's items)."""
    iq = session.xmpp.make_iq_get(ito=JID(registry))
    pubsub = ET.SubElement(iq.xml, f"{{{PUBSUB}}}pubsub")
    ET.SubElement(pubsub, f"{{{PUBSUB}}}items", {"node": node})
    await iq.send(timeout=10)
