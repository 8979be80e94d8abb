"""The co-ops a chat reached stay with it: a chat handed on to another co-op is found under
both, and the first co-op's admin still reads it."""

from __future__ import annotations

import uuid
from typing import Any

from slixmpp import JID

from tests.integration.archive import chat_id, listing, transcript
from tests.integration.queue import asking, carrying, claim_by_text, coop_room, join
from tests.integration.xmpp import operator, patron


async def test_a_chat_transferred_to_the_other_coop_is_found_under_both_coops(
        lab: dict[str, Any]) -> None:
    mark = uuid.uuid4().hex[:10]
    async with (operator(lab, "bea@beta.test") as bea, operator(lab, "abe@alpha.test") as abe,
                patron(lab, "alpha.test") as pat):
        await join(bea, coop_room(lab, "coop-247"), "Bea")
        async with asking(pat, "alpha.test", "alpha-main", f"3D printing {mark}") as chat:
            await bea.messages.wait_for(carrying("offer", chat))
            await claim_by_text(bea, chat)
            await join(abe, coop_room(lab, "coop-local"), "Abe")
            since = bea.messages.mark()
            bea.xmpp.send_message(mto=JID(chat), mbody="!transfer Valley Libraries Co-op",
                                  mtype="chat")
            await bea.messages.wait_for(lambda m: "Transferred" in m["body"], since=since)
            await abe.messages.wait_for(carrying("offer", chat))
            await claim_by_text(abe, chat)
    async with operator(lab, "ann@alpha.test") as ann, operator(lab, "sam@coop.test") as sam:
        by_247 = await listing(ann, "alpha.test", text=mark, coop="coop-247")
        by_local = await listing(ann, "alpha.test", text=mark, coop="coop-local")
        seen_by_sam = await transcript(sam, "alpha.test", chat_id(chat))
    assert by_247.ids == by_local.ids == [chat_id(chat)]
    assert set((seen_by_sam.get("coops") or "").split()) == {"coop-247", "coop-local"}
    assert seen_by_sam.get("librarian") == "abe@alpha.test"
