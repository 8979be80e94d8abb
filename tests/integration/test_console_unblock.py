"""An Alpha admin sees who is blocked at Alpha and lifts a block a Beta librarian made by
mistake: the patron's address is served again by Alpha's gateway within a second, and their
session may ask again at once, while the record, its reason and who lifted it stay. A
Regular librarian, a Beta librarian (even Beta's admin) and a patron cannot list or lift
blocks, and learn nothing, whether over urn:refdesk:console:0 or the ad-hoc command."""

from __future__ import annotations

from typing import Any

import pytest
from slixmpp import Iq
from slixmpp.exceptions import IqError

from components.forms import text_of
from tests.integration.console import CONSOLE, ask, console, console_payload, refused
from tests.integration.patrons import (
    CLIENT,
    STREAMS,
    open_frame,
    q,
    stream_error_condition,
    ws_patron,
)
from tests.integration.queue import (
    carrying,
    claim_by_text,
    command,
    coop_room,
    join,
    notes,
    request,
    site,
)
from tests.integration.xmpp import Session, eventually, operator, patron

QUEUE = "urn:refdesk:queue:0"
ALPHA_QUEUE = "queue.alpha.test"
MISTAKEN = "127.0.61.90"
"""The address of the patron blocked by mistake (no other story blocks it)."""
REASON = "Rude to staff (wrong patron: meant for another chat)"
ADMINS_ONLY = ("forbidden", "Blocked patrons are for the admins of this library.")
FEATURES_OR_ERROR = (q(STREAMS, "features"), q(STREAMS, "error"))


async def _served(site_: dict[str, Any]) -> bool:
    """Whether Alpha's gateway opens a patron's stream from the mistaken address."""
    async with ws_patron(site_, local_address=MISTAKEN) as attempt:
        await attempt.send(open_frame(site_["guest_host"]))
        answer = await attempt.expect(lambda f: f.tag in FEATURES_OR_ERROR)
        if answer.tag == q(STREAMS, "error"):
            assert stream_error_condition(answer) == "policy-violation", attempt.shown()
        return bool(answer.tag == q(STREAMS, "features"))


async def _blocks(session: Session, domain: str = "alpha.test") -> dict[str, Any]:
    """The blocks a library's queue lists, by chat JID (validated against the XSD)."""
    reply = await ask(session, f"queue.{domain}", "get", console("blocks"))
    listed = console_payload(reply, "blocks")
    assert listed is not None and listed.get("library") == domain
    return {str(block.get("chat")): block for block in listed}


async def _block_by_ben(ben: Session, chat: str, minutes: str = "60") -> None:
    await ben.messages.wait_for(carrying("offer", chat))
    await claim_by_text(ben, chat)
    await ask(ben, chat, "set", console("block", {"minutes": minutes}, reason=REASON))


async def test_alpha_admin_lifts_a_block_ben_made_and_the_patrons_address_is_served_again(
    lab: dict[str, Any],
) -> None:
    alpha = site(lab, "alpha.test")
    async with (operator(lab, "ben@beta.test") as ben, operator(lab, "ann@alpha.test") as ann,
                operator(lab, "abe@alpha.test") as abe, operator(lab, "bea@beta.test") as bea,
                patron(lab, "alpha.test") as snoop):
        await join(ben, coop_room(lab, "coop-247"), "Ben")
        async with ws_patron(alpha, local_address=MISTAKEN) as mistaken:
            await mistaken.login(alpha["guest_host"])
            chat = await mistaken.ask(ALPHA_QUEUE, "alpha-main", "Where are the study rooms?")
            await _block_by_ben(ben, chat)
            await mistaken.closed()  # the gateway closed the blocked session
        assert not await _served(alpha)

        block = (await _blocks(ann))[chat]
        reason = block.findtext(f"{{{CONSOLE}}}reason")
        assert (block.get("state"), block.get("by"), reason) == (
            "in-force", "ben@beta.test", REASON)
        assert block.get("lifted-by") is None
        unblock = console("unblock", {"id": str(block.get("id"))})
        for stranger in (abe, bea, ben, snoop):
            assert await refused(stranger, ALPHA_QUEUE, "get", console("blocks")) == ADMINS_ONLY
            assert await refused(stranger, ALPHA_QUEUE, "set", unblock) == ADMINS_ONLY
            assert await refused(stranger, ALPHA_QUEUE, "set", console(
                "unblock", {"id": "999999"})) == ADMINS_ONLY
        assert chat not in await _blocks(bea, "beta.test")  # her own library's only

        await ask(ann, ALPHA_QUEUE, "set", unblock)

        await eventually(lambda: _served(alpha), timeout=3.0)
        async with ws_patron(alpha, local_address=MISTAKEN) as again:
            await again.login(alpha["guest_host"])
            other = await again.ask(ALPHA_QUEUE, "alpha-main",
                                    "Where are the study rooms, please?")
            await again.send(f'<iq xmlns="{CLIENT}" type="set" id="leave" to="{other}">'
                             f'<cancel xmlns="{QUEUE}"/></iq>')
            left = await again.expect(lambda f: f.get("id") == "leave")
            assert left.get("type") == "result", again.shown()
        kept = (await _blocks(ann))[chat]
        assert (kept.get("state"), kept.get("lifted-by"), kept.get("by")) == (
            "lifted", "ann@alpha.test", "ben@beta.test")
        assert kept.get("lifted-at") and kept.findtext(f"{{{CONSOLE}}}reason") == REASON
        assert await refused(ann, ALPHA_QUEUE, "set", unblock) == (
            "conflict", f"Block {block.get('id')} was already lifted by ann@alpha.test.")
        for bad in ("0", "twelve", "1" * 40, "١٢"):
            condition, text = await refused(ann, ALPHA_QUEUE, "set", _unchecked(bad))
            assert (condition, "number" in text) == ("bad-request", True), bad
        assert await refused(ann, ALPHA_QUEUE, "set", console(
            "unblock", {"id": "999999"})) == ("item-not-found", "There is no such block.")


async def test_alpha_admin_lifts_a_block_with_the_blocks_command_and_the_patron_asks_again(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "ben@beta.test") as ben, operator(lab, "ann@alpha.test") as ann,
                operator(lab, "abe@alpha.test") as abe, operator(lab, "bea@beta.test") as bea,
                patron(lab, "alpha.test") as pat):
        await join(ben, coop_room(lab, "coop-247"), "Ben")
        chat = str((await request(pat, "alpha.test", "alpha-main", "Renew my books?"))
                   ["refdesk_chat"]["jid"])
        await _block_by_ben(ben, chat, "1440")
        await pat.messages.wait_for(carrying("ended"))
        with pytest.raises(IqError) as blocked:
            await request(pat, "alpha.test", "alpha-main", "Hello again?")
        assert blocked.value.condition == "forbidden"
        for stranger in (abe, bea, ben):
            with pytest.raises(IqError) as refusal:
                await command(stranger, ALPHA_QUEUE, "blocks")
            assert (refusal.value.condition, refusal.value.text) == ADMINS_ONLY

        shown = await command(ann, ALPHA_QUEUE, "blocks")
        form = shown["command"]["form"]
        listing = _listing(shown)
        block_id = str((await _blocks(ann))[chat].get("id"))
        assert f"#{block_id}: until" in listing and chat in listing and REASON in listing
        assert block_id in {option["value"] for option in form.get_fields()["lift"]["options"]}
        form["type"] = "submit"
        form.set_values({"lift": block_id})
        done = await command(ann, ALPHA_QUEUE, "blocks", action="complete", payload=form,
                             sessionid=shown["command"]["sessionid"])

        assert done["command"]["status"] == "completed"
        assert notes(done) == f"Block #{block_id} is lifted: the patron may ask again."
        again = await request(pat, "alpha.test", "alpha-main", "Hello again?")
        assert again["refdesk_chat"]["jid"]
        cancel = pat.xmpp.make_iq_set(ito=again["refdesk_chat"]["jid"])
        cancel.enable("refdesk_cancel")
        await cancel.send(timeout=15)
        relisted = _listing(await command(ann, ALPHA_QUEUE, "blocks"))
        assert f"#{block_id}: lifted by ann@alpha.test" in relisted


def _listing(reply: Iq) -> str:
    """The listing the command shows: in its form, or in its note when nothing is left to
    lift."""
    form = reply["command"]["form"]
    return text_of(form) if form.get_fields() else notes(reply)


def _unchecked(block_id: str) -> Any:
    """An unblock the XSD would refuse: what a careless or hostile client may send."""
    element = console("unblock", {"id": "1"})
    element.set("id", block_id)
    return element
