"""Monitoring: watchers see a widget come and go; librarians start and stop monitoring with
a command; who may claim is who the chat reached; follow-up tickets land at home."""

from __future__ import annotations

from typing import Any

from slixmpp import JID, Iq
from sqlalchemy import select

from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.models import FollowupTicket
from tests.integration.queue import (
    asking,
    carrying,
    command,
    coop_room,
    database_url,
    join,
    refused_entry,
    room,
)
from tests.integration.xmpp import Session, eventually, operator, patron

CONFERENCE = "{jabber:x:conference}x"


async def _status(watcher: Session, online: bool, since: int) -> None:
    expected = "true" if online else "false"
    await watcher.messages.wait_for(
        lambda m: carrying("status")(m) and m["refdesk_status"]["online"] == expected,
        since=since)


async def test_gamma_widget_status_is_pushed_to_its_watcher_as_gus_comes_and_goes(
    lab: dict[str, Any],
) -> None:
    async with patron(lab, "gamma.test") as watcher:
        since = watcher.messages.mark()
        watcher.xmpp.send_presence(pto=JID("widget-gamma-main@queue.gamma.test"))
        await _status(watcher, False, since)
        since = watcher.messages.mark()
        async with operator(lab, "gus@gamma.test") as gus:
            await join(gus, room(lab, "gamma.test", "Information Desk"), "Gus")
            await _status(watcher, True, since)
            since = watcher.messages.mark()
        await _status(watcher, False, since)


async def _monitoring(op: Session, domain: str, rooms: list[str] | None) -> Any:
    """Run the `monitoring` command; with rooms, submit them as the new selection."""
    first = await command(op, f"queue.{domain}", "monitoring")
    if rooms is None:
        return first
    form = first["command"]["form"]
    form["type"] = "submit"
    form.field["rooms"]["value"] = rooms
    return await command(op, f"queue.{domain}", "monitoring", action="complete",
                         payload=form, sessionid=first["command"]["sessionid"])


async def test_ann_starts_and_stops_monitoring_reference_with_the_monitoring_command(
    lab: dict[str, Any],
) -> None:
    reference = room(lab, "alpha.test", "Reference")
    async with operator(lab, "ann@alpha.test") as ann:
        shown = await _monitoring(ann, "alpha.test", None)
        options = {o["value"] for o in shown["command"]["form"].field["rooms"]["options"]}
        assert reference in options and coop_room(lab, "coop-247") in options
        assert "Reference: not monitoring" in shown["command"]["form"]["instructions"]

        since = ann.messages.mark()
        await _monitoring(ann, "alpha.test", [reference])
        invitation = await ann.messages.wait_for(
            lambda m: m.xml.find(CONFERENCE) is not None, since=since)
        assert invitation.xml.find(CONFERENCE).get("jid") == reference
        await join(ann, reference, "Ann")
        shown = await _monitoring(ann, "alpha.test", None)
        assert "Reference: monitoring" in shown["command"]["form"]["instructions"]

        done = await _monitoring(ann, "alpha.test", [])
        assert "Reference: you stopped monitoring." in done["command"]["notes"][0][1]

        async def stopped() -> bool:
            shown = await _monitoring(ann, "alpha.test", None)
            return "Reference: not monitoring" in shown["command"]["form"]["instructions"]
        await eventually(stopped)


async def test_gamma_operator_outside_the_local_coop_cannot_join_its_room_nor_claim_its_chats(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "gus@gamma.test") as gus, operator(lab, "bea@beta.test") as bea,
                patron(lab, "alpha.test") as pat):
        # Gamma is not a member of the local co-op.
        assert await refused_entry(gus, coop_room(lab, "coop-local"), "Gus") == (
            "registration-required")
        await join(bea, coop_room(lab, "coop-local"), "Bea")
        async with asking(pat, "alpha.test", "alpha-main", "Who can renew my card?") as chat:
            await bea.messages.wait_for(carrying("offer", chat))
            since = gus.messages.mark()
            gus.xmpp.send_message(mto=JID(chat), mbody="!claim", mtype="chat")
            refused = await gus.messages.wait_for(lambda m: m["from"] == chat, since=since)
            assert (refused["type"], refused["error"]["condition"]) == ("error", "forbidden")
            assert "Who can renew" not in str(refused)
            bea.xmpp.send_message(mto=JID(chat), mbody="!claim", mtype="chat")
            await pat.messages.wait_for(carrying("claimed"))
            bea.xmpp.send_message(mto=JID(chat), mbody="!followup Send the renewal form",
                                  mtype="chat")
            opened = await bea.messages.wait_for(lambda m: "Follow-up ticket" in m["body"])
            assert "Alpha University Library" in opened["body"]
    tickets = await _tickets(lab, "alpha.test")
    assert ("bea@beta.test", "Send the renewal form") in tickets


async def _tickets(lab: dict[str, Any], domain: str) -> list[tuple[str | None, str | None]]:
    """Follow-up tickets in the home library's own database."""
    engine = create_engine(database_url(lab, domain))
    try:
        async with create_sessionmaker(engine)() as session:
            rows = await session.scalars(select(FollowupTicket))
            return [(t.opened_by, t.note) for t in rows]
    finally:
        await engine.dispose()


async def test_science_widget_reaches_abe_directly_while_he_is_online_with_the_home_marker(
    lab: dict[str, Any],
) -> None:
    async with patron(lab, "alpha.test") as pat:
        async def status() -> bool:
            iq = pat.xmpp.make_iq_get(ito="queue.alpha.test")
            iq["refdesk_status"]["widget"] = "alpha-science"
            reply: Iq = await iq.send(timeout=10)
            return bool(reply["refdesk_status"]["online"] == "true")

        assert not await status()  # nobody in Science, Abe offline
        async with operator(lab, "abe@alpha.test") as abe:  # no room: just online
            await eventually(status, True)
            async with asking(pat, "alpha.test", "alpha-science", "Where is the lab manual?"
                              ) as chat:
                offer = await abe.messages.wait_for(
                    lambda m: m["type"] == "chat" and carrying("offer", chat)(m))
                assert offer["from"] == chat and offer["refdesk_offer"]["home"] == "true"
                assert offer["body"].startswith("[Your library]")
                abe.xmpp.send_message(mto=JID(chat), mbody="/claim", mtype="chat")
                await pat.messages.wait_for(carrying("claimed"))
        await eventually(status, False)
