"""Searching a library's FAQs from stock clients: the ad-hoc `search` at faq.<library>
(Gajim, poezio) and `!faq <words>` typed to it (Dino, Conversations), with the same rules as
the protocol's search: 24/7 Staffing results marked staff-only for co-op staff, never shown
to a patron."""

from __future__ import annotations

from typing import Any

from slixmpp import JID

from tests.integration.poezio import shown_by_poezio
from tests.integration.queue import command, notes
from tests.integration.xmpp import Session, operator, patron

ALPHA = "alpha.test"
FAQ = f"faq.{ALPHA}"
STAFF_ONLY = "[24/7 Staffing: staff only, never for the patron]"


async def _typed(session: Session, text: str) -> str:
    since = session.messages.mark()
    session.xmpp.send_message(mto=JID(FAQ), mbody=text, mtype="chat")
    reply = await session.messages.wait_for(
        lambda m: m["from"] == FAQ and m["type"] == "chat", since=since)
    return str(reply["body"])


def _filled(reply: Any, values: dict[str, str]) -> Any:
    form = reply["command"]["form"]
    form["type"] = "submit"
    for var, value in values.items():
        form.get_fields()[var]["value"] = value
    return form


async def test_a_beta_librarian_searches_alpha_faqs_with_the_ad_hoc_command(
        lab: dict[str, Any]) -> None:
    async with operator(lab, "ben@beta.test") as ben:
        opened = await command(ben, FAQ, "search")
        shown = await command(ben, FAQ, "search", action="complete",
                              payload=_filled(opened, {"words": "database login"}),
                              sessionid=opened["command"]["sessionid"])
    # One note and no form: poezio shows it whole, profanity the first note only.
    assert len(shown["command"]["notes"]) == 1
    text = notes(shown)

    assert text.startswith(f"1. Database login for co-op librarians {STAFF_ONLY}\n")
    assert text in shown_by_poezio(shown)
    assert "tulip-harbor-42" in text
    assert "printer" not in text.lower()


async def test_a_beta_librarian_without_ad_hoc_commands_searches_by_typing_faq(
        lab: dict[str, Any]) -> None:
    async with operator(lab, "ben@beta.test") as ben:
        found = await _typed(ben, "!faq renew")
        usage = await _typed(ben, "!faq")
        nothing = await _typed(ben, "!faq overtime printer")

    assert "How do I renew my books?" in found
    assert f"Alert: renewals are down this week {STAFF_ONLY}" in found
    assert usage.startswith("!faq <words>")
    assert nothing == "No FAQ you may read matches."


async def test_a_patron_typing_faq_finds_only_public_faqs(lab: dict[str, Any]) -> None:
    async with patron(lab, ALPHA) as pat:
        found = await _typed(pat, "!faq renew database login")

    assert "How do I renew my books?" in found
    assert "staff" not in found.lower() and "tulip" not in found
