"""Transcripts by email: the patron asks for their own once the chat has ended (a few times
at most), and the home library's admins mail one from the archive; nobody else can."""

from __future__ import annotations

from typing import Any

from slixmpp import JID
from slixmpp.exceptions import IqError

from components.queue.transcript_requests import register_stanzas
from tests.integration.queue import asking, carrying, claim_by_text, join, payload, room
from tests.integration.tickets import archive, ask, mail_to, refused
from tests.integration.xmpp import Session, operator, patron

register_stanzas()


async def _patron_asks_for_transcript(pat: Session, chat: str, to: str) -> tuple[str, str]:
    """('', '') when the queue took it; else the error's condition and text."""
    iq = pat.xmpp.make_iq_set(ito=JID(chat))
    iq["refdesk_email_transcript"]["to"] = to
    payload(iq, "email-transcript")
    try:
        await iq.send(timeout=15)
    except IqError as error:
        return str(error.condition), str(error.text)
    return "", ""


async def test_beta_patron_gets_their_own_transcript_by_email_once_the_chat_has_ended(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "ben@beta.test") as ben, patron(lab, "beta.test") as pat,
                patron(lab, "beta.test") as other):
        await join(ben, room(lab, "beta.test", "Adult Services"), "Ben")
        async with asking(pat, "beta.test", "beta-main", "Do you have large-print novels?",
                          name="Lou") as chat:
            await ben.messages.wait_for(carrying("offer", chat))
            await claim_by_text(ben, chat)
            ben.xmpp.send_message(mto=JID(chat), mbody="!note Asked last week too.",
                                  mtype="chat")
            await ben.messages.wait_for(lambda m: m["body"].startswith("Note kept"))
            ben.xmpp.send_message(mto=JID(chat), mbody="Yes, on the second floor.",
                                  mtype="chat")
            await pat.messages.wait_for(lambda m: m["body"] == "Yes, on the second floor.")
            assert await _patron_asks_for_transcript(pat, chat, "lou@example.org") == (
                "conflict", "The transcript can be emailed once the chat has ended.")
            ben.xmpp.send_message(mto=JID(chat), mbody="!end", mtype="chat")
            await pat.messages.wait_for(carrying("ended"))
            # Another patron, or a made-up address, learns nothing of the chat.
            assert await _patron_asks_for_transcript(other, chat, "x@example.org") == (
                "item-not-found", "There is no such chat.")
            assert (await _patron_asks_for_transcript(pat, chat, "lou"))[0] == "bad-request"
            assert await _patron_asks_for_transcript(pat, chat, "lou@example.org") == ("", "")
            mail = await mail_to(lab, "lou@example.org")
            assert await _patron_asks_for_transcript(pat, chat, "lou2@example.org") == ("", "")
            assert await _patron_asks_for_transcript(pat, chat, "spam@example.org") == (
                "conflict", "This transcript has been emailed already.")
    assert mail["From"] == "ask@beta.test"
    assert mail["Subject"] == "Your chat with Beta Public Library"
    body = mail.get_content()
    assert "You: Do you have large-print novels?" in body
    assert "Ben: Yes, on the second floor." in body
    assert "Asked last week" not in body  # staff notes never go out


async def test_a_home_admin_emails_a_transcript_and_nobody_else_can(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "ben@beta.test") as ben, patron(lab, "beta.test") as pat):
        await join(ben, room(lab, "beta.test", "Adult Services"), "Ben")
        async with asking(pat, "beta.test", "beta-main", "Is there a book club?") as chat:
            await ben.messages.wait_for(carrying("offer", chat))
            await claim_by_text(ben, chat)
            ben.xmpp.send_message(mto=JID(chat), mbody="!end", mtype="chat")
            await pat.messages.wait_for(carrying("ended"))
    chat_id = JID(chat).user.removeprefix("chat-")
    request = archive("email-transcript", {"id": chat_id, "to": "board@beta.example"})
    async with (operator(lab, "bea@beta.test") as bea, operator(lab, "ann@alpha.test") as ann,
                operator(lab, "gus@gamma.test") as gus, operator(lab, "ben@beta.test") as ben,
                patron(lab, "beta.test") as outsider):
        # The librarian who answered it (not an admin), a Co-Op Admin of another library,
        # another library's admin, a patron: as for a chat that does not exist.
        for session in (ben, ann, gus, outsider):
            assert await refused(session, "beta.test", request) == (
                "item-not-found", "There is no such chat.")
        missing = archive("email-transcript", {"id": "no-such-chat", "to": "a@b.example"})
        assert await refused(bea, "beta.test", missing) == (
            "item-not-found", "There is no such chat.")
        bad = archive("email-transcript", {"id": chat_id, "to": "board"})
        assert (await refused(bea, "beta.test", bad))[0] == "bad-request"
        assert await ask(bea, "beta.test", request) is None
    mail = await mail_to(lab, "board@beta.example")
    assert mail["Subject"].startswith("Chat transcript: Beta Public Library")
    assert "Patron: Is there a book club?" in mail.get_content()
