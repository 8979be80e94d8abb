"""An admin of the patron's library watches a chat silently and leaves notes for the
librarian that the patron never sees; nobody else may watch it or read its history."""

from __future__ import annotations

from typing import Any

from slixmpp import JID

from refdesk.db.models import Sender
from tests.integration.console import (
    NO_SUCH_CHAT,
    ask,
    console,
    copy_of,
    history,
    note,
    refused,
)
from tests.integration.queue import (
    asking,
    carrying,
    chat_record,
    claim_by_text,
    coop_room,
    join,
    request,
)
from tests.integration.xmpp import Session, operator, patron

NOTE = "Ask for their library card number before renewing."
TYPED_NOTE = "They may be a Beta patron too."


async def _said(pat: Session, ben: Session, chat: str, text: str) -> None:
    """ben says a line and the patron gets it: whatever was sent before has arrived."""
    ben.xmpp.send_message(mto=JID(chat), mbody=text, mtype="chat")
    await pat.messages.wait_for(lambda m: m["body"] == text)


async def test_alpha_admin_supervises_bens_chat_and_her_notes_never_reach_the_patron(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "ben@beta.test") as ben, operator(lab, "ann@alpha.test") as ann,
                patron(lab, "alpha.test") as pat):
        await join(ben, coop_room(lab, "coop-247"), "Ben")
        async with asking(pat, "alpha.test", "alpha-main", "Can you renew my books?") as chat:
            await ben.messages.wait_for(carrying("offer", chat))
            await claim_by_text(ben, chat)

            await ask(ann, chat, "set", console("supervise"))
            pat.xmpp.send_message(mto=JID(chat), mbody="I have three books.", mtype="chat")
            copied = await ann.messages.wait_for(copy_of(chat, "patron", "I have three books."))
            assert copied["body"] == "Patron: I have three books."
            ben.xmpp.send_message(mto=JID(chat), mbody="Let me look.", mtype="chat")
            await ann.messages.wait_for(copy_of(chat, "operator", "Let me look."))

            note(ann, chat, NOTE)
            await ben.messages.wait_for(copy_of(chat, "note", NOTE))
            ann.xmpp.send_message(mto=JID(chat), mbody=f"!note {TYPED_NOTE}", mtype="chat")
            await ben.messages.wait_for(copy_of(chat, "note", TYPED_NOTE))
            ben.xmpp.send_message(mto=JID(chat), mbody="!note Will do.", mtype="chat")
            await ann.messages.wait_for(copy_of(chat, "note", "Will do."))
            await _said(pat, ben, chat, "Done: all three renewed.")

            lines = await history(ann, chat)
            assert [(x.get("sender"), x.text) for x in lines if x.get("sender") == "note"] == [
                ("note", NOTE), ("note", TYPED_NOTE), ("note", "Will do.")]
            assert [x.text for x in await history(ben, chat)] == [x.text for x in lines]
            everything = "\n".join(str(m) for m in pat.messages.items)
            assert NOTE not in everything and TYPED_NOTE not in everything
            assert "Will do." not in everything and "supervis" not in everything.lower()
            assert "Ann" not in everything
        _, transcript = await chat_record(lab, chat)
    assert [(x.sender, x.body) for x in transcript if x.sender == Sender.NOTE] == [
        (Sender.NOTE, NOTE), (Sender.NOTE, TYPED_NOTE), (Sender.NOTE, "Will do.")]


async def test_a_regular_a_coop_librarian_and_a_patron_cannot_supervise_nor_read_history(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "ben@beta.test") as ben, operator(lab, "abe@alpha.test") as abe,
                operator(lab, "bea@beta.test") as bea, patron(lab, "alpha.test") as pat,
                patron(lab, "alpha.test") as snoop):
        await join(ben, coop_room(lab, "coop-247"), "Ben")
        async with asking(pat, "alpha.test", "alpha-main", "Where is the map room?") as chat:
            await ben.messages.wait_for(carrying("offer", chat))
            await claim_by_text(ben, chat)
            made_up = "chat-00000000deadbeef@queue.alpha.test"
            assert await refused(abe, made_up, "set", console("supervise")) == NO_SUCH_CHAT
            for stranger in (abe, bea, ben, snoop, pat):
                assert await refused(stranger, chat, "set", console("supervise")) == (
                    NO_SUCH_CHAT), stranger.jid
            for stranger in (abe, bea, snoop, pat):
                assert await refused(stranger, chat, "get", console("history")) == (
                    NO_SUCH_CHAT), stranger.jid
            since = ben.messages.mark()
            note(abe, chat, "I am not supervising this.")
            note(pat, chat, "a patron trying a note")
            await _said(pat, ben, chat, "The map room is on floor 2.")
            assert not any("supervising" in m["body"] or "trying a note" in m["body"]
                           for m in ben.messages.items[since:])
        _, transcript = await chat_record(lab, chat)
    assert all(line.sender != Sender.NOTE for line in transcript)


async def test_a_patron_who_reconnects_gets_the_librarians_lines_again_but_never_a_note(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "ben@beta.test") as ben, patron(lab, "alpha.test") as pat,
                patron(lab, "alpha.test") as reconnected):
        await join(ben, coop_room(lab, "coop-247"), "Ben")
        asked = await request(pat, "alpha.test", "alpha-main", "Is the library open late?")
        chat, token = str(asked["refdesk_chat"]["jid"]), str(asked["refdesk_chat"]["token"])
        await ben.messages.wait_for(carrying("offer", chat))
        await claim_by_text(ben, chat)
        ben.xmpp.send_message(mto=JID(chat), mbody="!note Regular late-night asker.",
                              mtype="chat")
        await ben.messages.wait_for(lambda m: m["body"].startswith("Note kept"))
        await _said(pat, ben, chat, "Until midnight on weekdays.")

        resume = reconnected.xmpp.make_iq_set(ito=JID(chat))
        resume["refdesk_resume"]["token"], resume["refdesk_resume"]["after"] = token, "0"
        await resume.send(timeout=15)
        await reconnected.messages.wait_for(carrying("claimed"))
        await reconnected.messages.wait_for(lambda m: m["body"] == "Until midnight on weekdays.")
        assert all("late-night" not in str(m) for m in reconnected.messages.items)
        ben.xmpp.send_message(mto=JID(chat), mbody="!end", mtype="chat")
        await reconnected.messages.wait_for(carrying("ended"))
    assert all("late-night" not in str(m) for m in pat.messages.items)


async def test_a_supervisor_whose_console_goes_offline_gets_no_more_copies(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "ben@beta.test") as ben, operator(lab, "ann@alpha.test") as ann,
                patron(lab, "alpha.test") as pat):
        await join(ben, coop_room(lab, "coop-247"), "Ben")
        async with asking(pat, "alpha.test", "alpha-main", "Do you lend laptops?") as chat:
            await ben.messages.wait_for(carrying("offer", chat))
            await claim_by_text(ben, chat)
            await ask(ann, chat, "set", console("supervise"))
            ann.xmpp.make_presence(pto=JID(chat)).send()  # as the console does
            pat.xmpp.send_message(mto=JID(chat), mbody="For a week?", mtype="chat")
            await ann.messages.wait_for(copy_of(chat, "patron", "For a week?"))

            # Her console closes: her server tells everyone she sent presence to.
            ann.xmpp.make_presence(pto=JID(chat), ptype="unavailable").send()
            # Asked after the presence, on the same stream: she supervises it no more.
            assert await refused(ann, chat, "get", console("history")) == NO_SUCH_CHAT
            pat.xmpp.send_message(mto=JID(chat), mbody="Or a month?", mtype="chat")
            await ben.messages.wait_for(lambda m: m["body"] == "Or a month?")
            assert not [m for m in ann.messages.items if copy_of(chat, "patron", "Or a month?")(m)]
