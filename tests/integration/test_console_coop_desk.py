"""The 24/7 co-op's own staff have a desk too: its coordinating host runs a queue that answers
them, with the co-ops it hosts and their members, and an empty Patron Chats feed of its own."""

from __future__ import annotations

from typing import Any

from tests.integration.console import NS, ask, console, console_payload, refused, valid
from tests.integration.queue import coop_room, entry_answer, refused_entry
from tests.integration.xmpp import operator

COOP_QUEUE = "queue.coop.test"
COOP_STAFF_ROOM = "staff@conference.coop.test"


async def test_sue_desk_at_the_coop_host_lists_the_247_coop_its_members_and_the_staff_room(
    lab: dict[str, Any],
) -> None:
    async with operator(lab, "sue@coop.test") as sue:
        desk = console_payload(await ask(sue, COOP_QUEUE, "get", console("desk")), "desk")

    assert desk is not None
    assert (desk.get("library"), desk.get("name")) == ("coop.test", "24/7 Reference Co-op")
    me = desk.find(f"{{{NS}}}me")
    assert me is not None and (me.get("jid"), me.get("nick"), me.get("admin")) == (
        "sue@coop.test", "Sue", "false")
    staff = desk.find(f"{{{NS}}}staff-room")
    assert staff is not None and (staff.get("jid"), staff.get("name")) == (
        COOP_STAFF_ROOM, "24/7 Reference Co-op staff")
    assert desk.find(f"{{{NS}}}department") is None
    coops = {c.get("id"): c for c in desk.iterfind(f"{{{NS}}}coop")}
    assert set(coops) == {"coop-247"}
    coop = coops["coop-247"]
    assert (coop.get("room"), coop.get("host"), coop.get("level")) == (
        coop_room(lab, "coop-247"), "coop.test", "regular")
    assert {(m.get("domain"), m.get("queue")) for m in coop.iterfind(f"{{{NS}}}member")} == {
        ("alpha.test", "queue.alpha.test"), ("beta.test", "queue.beta.test"),
        ("gamma.test", "queue.gamma.test")}


async def test_sam_the_coop_admin_subscribes_to_the_coop_host_feed_and_it_is_empty(
    lab: dict[str, Any],
) -> None:
    async with operator(lab, "sam@coop.test") as sam:
        desk = console_payload(await ask(sam, COOP_QUEUE, "get", console("desk")), "desk")
        reply = await ask(sam, COOP_QUEUE, "set", console("subscribe"))
        await ask(sam, COOP_QUEUE, "set", console("unsubscribe"))

    assert desk is not None
    me = desk.find(f"{{{NS}}}me")
    assert me is not None and me.get("admin") == "true"  # the co-op's admin
    chats = valid(reply.xml.find(f"{{{NS}}}chats"))
    assert chats.get("library") == "coop.test" and len(chats) == 0


async def test_a_member_librarian_has_no_desk_at_the_coop_host_nor_a_place_in_its_staff_room(
    lab: dict[str, Any],
) -> None:
    async with operator(lab, "ann@alpha.test") as ann, operator(lab, "sue@coop.test") as sue:
        condition, text = await refused(ann, COOP_QUEUE, "get", console("desk"))
        assert condition == "forbidden" and "ann" not in text

        entered = await entry_answer(sue, COOP_STAFF_ROOM, "Sue")
        assert entered["type"] != "error", entered
        assert await refused_entry(ann, COOP_STAFF_ROOM, "Ann") == "registration-required"
