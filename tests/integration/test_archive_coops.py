"""The archive and its library's co-ops: the co-ops a chat reached stay with it (a chat
handed on to another co-op is found under both), and who may read follows the registry live."""

from __future__ import annotations

import uuid
from typing import Any

from slixmpp import JID

from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.models import CoopLevel
from refdesk.db.stores.registry import RegistryStore
from tests.integration.archive import listing, transcript
from tests.integration.queue import (
    asking,
    carrying,
    chat_id,
    claim_by_text,
    coop_room,
    database_url,
    join,
)
from tests.integration.xmpp import Session, eventually, operator, patron


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


async def _set_level(lab: dict[str, Any], jid: str, level: CoopLevel) -> None:
    """As the co-op's admin would at its registry (the host's own database)."""
    engine = create_engine(database_url(lab, "coop.test"))
    try:
        await RegistryStore(create_sessionmaker(engine)).grant("coop-247", jid, "Gus", level)
    finally:
        await engine.dispose()


async def test_the_archive_follows_the_registry_a_new_coop_admin_reads_at_once_and_loses_it(
        lab: dict[str, Any]) -> None:
    """Gus (Gamma) made Co-Op Admin of coop-247 at its registry reads Alpha's coop-247 chats
    as soon as the registry's push reaches Alpha's archive; put back, he reads none again."""
    mark = uuid.uuid4().hex[:10]
    async with operator(lab, "sue@coop.test") as sue, patron(lab, "alpha.test") as pat:
        await join(sue, coop_room(lab, "coop-247"), "Sue")
        async with asking(pat, "alpha.test", "alpha-main", f"Night hours {mark}") as chat:
            await sue.messages.wait_for(carrying("offer", chat), timeout=30)
            await claim_by_text(sue, chat)

    async def count(gus: Session) -> int:
        return (await listing(gus, "alpha.test", text=mark)).count

    async with operator(lab, "gus@gamma.test") as gus:
        assert await count(gus) == 0
        try:
            await _set_level(lab, "gus@gamma.test", CoopLevel.COOP_ADMIN)
            await eventually(lambda: count(gus), 1, timeout=20)
        finally:
            await _set_level(lab, "gus@gamma.test", CoopLevel.INSTITUTION_ADMIN)
        await eventually(lambda: count(gus), 0, timeout=20)
