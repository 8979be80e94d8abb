"""Follow-up tickets across the federation: listed, assigned, answered by email and closed
at the home library, referred to a partner library over XMPP or to an address by email;
nobody but the library's own operators learns anything about them."""

from __future__ import annotations

from typing import Any

import pytest
from slixmpp import JID
from slixmpp.exceptions import IqError
from slixmpp.xmlstream import ET

from components.archive.ticketwire import RSM
from components.forms import text_of
from tests.integration.queue import asking, carrying, chat_id, command, join, notes, room
from tests.integration.tickets import (
    IqKind,
    archive,
    ask,
    leave_question,
    mail_away,
    mail_to,
    question_of,
    refused,
    rsm,
    ticket_ids,
    ticket_in,
    tickets,
)
from tests.integration.xmpp import operator, patron


async def test_gamma_librarian_answers_a_question_left_on_the_offline_widget_by_email(
    lab: dict[str, Any],
) -> None:
    async with patron(lab, "gamma.test") as pat:
        number = await leave_question(pat, "gamma.test", "gamma-main",
                                      "Do you keep old county maps?", name="Pat Lee",
                                      email="pat.lee@example.org")
    async with operator(lab, "gus@gamma.test") as gus:
        listed = ticket_in(await tickets(gus, "gamma.test"), number)
        assert listed is not None and question_of(listed) == "Do you keep old county maps?"
        assert (listed.get("origin"), listed.get("patron"), listed.get("email")) == (
            "offline", "Pat Lee", "pat.lee@example.org")
        answer = "Yes: ask at the Local History desk.\nThey are open on Saturdays."
        answered = await ask(gus, "gamma.test", archive("answer", {"ticket": str(number)},
                                                        answer))
        assert answered is not None and answered.get("answered-by") == "gus@gamma.test"
        mail = await mail_to(lab, "pat.lee@example.org",
                             lambda m: "Local History" in m.get_content())
        assert number not in ticket_ids(await tickets(gus, "gamma.test"))
        closed = ticket_in(await tickets(gus, "gamma.test", "closed"), number)
        assert closed is not None and closed.get("state") == "closed"
    assert mail["From"] == "ask@gamma.test"
    assert mail["Subject"] == "Your question to Gamma County Library"
    body = mail.get_content()
    assert body.startswith("Dear Pat Lee,\n\nYes: ask at the Local History desk.\nThey are")
    assert "> Do you keep old county maps?" in body


async def test_a_question_left_without_an_email_cannot_be_answered_by_mail_but_stays_open(
    lab: dict[str, Any],
) -> None:
    async with patron(lab, "gamma.test") as pat:
        number = await leave_question(pat, "gamma.test", "gamma-main", "Where do I park?")
    async with operator(lab, "gus@gamma.test") as gus:
        condition, text = await refused(gus, "gamma.test",
                                        archive("answer", {"ticket": str(number)}, "Lot B."))
        assert condition == "bad-request" and "no email address" in text
        assert number in ticket_ids(await tickets(gus, "gamma.test"))
        condition, text = await refused(gus, "gamma.test",
                                        archive("answer", {"ticket": str(number)}, "  "))
        assert (condition, text) == ("bad-request", "The answer is empty.")


async def test_nobody_but_the_librarys_operators_learns_anything_of_its_tickets(
    lab: dict[str, Any],
) -> None:
    async with patron(lab, "gamma.test") as pat:
        number = await leave_question(pat, "gamma.test", "gamma-main", "Private question?",
                                      email="private@example.org")
        missing = await refused(pat, "gamma.test", archive("tickets"), "get")
        assert missing[0] == "item-not-found"
    async with operator(lab, "bea@beta.test") as bea, operator(lab, "gus@gamma.test") as gus:
        # A librarian of another library, an admin of a co-op Gamma is in, as for a ticket
        # that does not exist.
        queries: list[tuple[ET.Element, IqKind]] = [
            (archive("tickets", {"state": "all"}), "get"),
            (archive("close", {"ticket": str(number)}), "set"),
            (archive("answer", {"ticket": str(number)}, "Hi"), "set"),
            (archive("assign", {"ticket": str(number), "to": "bea@beta.test"}), "set")]
        for query, kind in queries:
            assert await refused(bea, "gamma.test", query, kind) == (
                "item-not-found", "There is no such ticket.")
        assert await refused(gus, "gamma.test", archive("close", {"ticket": "999999"})) == (
            "item-not-found", "There is no such ticket.")
        assert number in ticket_ids(await tickets(gus, "gamma.test"))


async def test_followup_ticket_is_assigned_answered_kept_open_then_closed_off_the_list(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "ben@beta.test") as ben, operator(lab, "bea@beta.test") as bea,
                patron(lab, "beta.test") as pat):
        await join(ben, room(lab, "beta.test", "Adult Services"), "Ben")
        async with asking(pat, "beta.test", "beta-main", "Can I get a museum pass?",
                          name="Max", email="max@example.org") as chat:
            await ben.messages.wait_for(carrying("offer", chat))
            ben.xmpp.send_message(mto=JID(chat), mbody="!claim", mtype="chat")
            await pat.messages.wait_for(carrying("claimed"))
            ben.xmpp.send_message(mto=JID(chat), mbody="!followup Check the pass calendar",
                                  mtype="chat")
            await ben.messages.wait_for(lambda m: "Follow-up ticket" in m["body"])
        listed = await tickets(bea, "beta.test")
        ticket = next(t for t in listed if question_of(t) == "Can I get a museum pass?")
        number = ticket.get("id", "")
        assert (ticket.get("origin"), ticket.get("opened-by"), ticket.get("chat")) == (
            "followup", "ben@beta.test", chat_id(chat))
        assert ticket.get("email") == "max@example.org"
        assert await refused(bea, "beta.test", archive("assign", {
            "ticket": number, "to": "ann@alpha.test"})) == (
            "bad-request", "ann@alpha.test is not a librarian of Beta Public Library.")
        assigned = await ask(bea, "beta.test", archive("assign", {"ticket": number,
                                                                  "to": "ben@beta.test"}))
        assert assigned is not None and assigned.get("assigned") == "ben@beta.test"
        kept = await ask(ben, "beta.test", archive(
            "answer", {"ticket": number, "keep-open": "true"}, "Passes go on sale Monday."))
        assert kept is not None and kept.get("state") == "open"
        await mail_to(lab, "max@example.org", lambda m: "Monday" in m.get_content())
        closed = await ask(ben, "beta.test", archive("close", {"ticket": number}))
        assert closed is not None and closed.get("state") == "closed"
        assert int(number) not in ticket_ids(await tickets(bea, "beta.test"))
        assert await refused(ben, "beta.test", archive("close", {"ticket": number})) == (
            "conflict", f"Ticket {number} is closed already.")


async def test_a_relay_that_is_down_is_a_clear_error_and_the_ticket_stays_answerable(
    lab: dict[str, Any],
) -> None:
    async with patron(lab, "gamma.test") as pat:
        number = await leave_question(pat, "gamma.test", "gamma-main", "Is there wifi?",
                                      email="wifi@example.org")
    async with operator(lab, "gus@gamma.test") as gus:
        answer = archive("answer", {"ticket": str(number)}, "Yes, network GammaFree.")
        async with mail_away(lab):
            condition, text = await refused(gus, "gamma.test", answer)
            assert condition == "service-unavailable"
            assert "mail server could not be reached, so nothing was sent" in text
        listed = ticket_in(await tickets(gus, "gamma.test"), number)
        assert listed is not None and listed.get("answered") is None
        await ask(gus, "gamma.test", answer)
        await mail_to(lab, "wifi@example.org", lambda m: "GammaFree" in m.get_content())


async def test_gamma_lists_its_tickets_page_by_page_newest_first(lab: dict[str, Any]) -> None:
    async with patron(lab, "gamma.test") as pat:
        left = [await leave_question(pat, "gamma.test", "gamma-main", f"Paged question {n}?")
                for n in range(3)]
    async with operator(lab, "gus@gamma.test") as gus:
        first = await tickets(gus, "gamma.test", max="2")
        assert ticket_ids(first) == left[:0:-1]
        count = int(first.findtext(f"{{{RSM}}}set/{{{RSM}}}count") or 0)
        last = first.findtext(f"{{{RSM}}}set/{{{RSM}}}last") or ""
        second = await tickets(gus, "gamma.test", max="2", after=last)
        assert ticket_ids(second)[0] == left[0]
        assert int(second.findtext(f"{{{RSM}}}set/{{{RSM}}}count") or 0) == count >= 3
        back = await tickets(gus, "gamma.test", max="2",
                             before=second.findtext(f"{{{RSM}}}set/{{{RSM}}}first") or "")
        assert ticket_ids(back) == ticket_ids(first)
        assert await refused(gus, "gamma.test", rsm(archive("tickets"), max="1000"),
                             "get") == ("bad-request", "max is a whole number up to 100.")


async def test_gus_answers_a_ticket_with_the_tickets_command_from_a_stock_client(
    lab: dict[str, Any],
) -> None:
    async with patron(lab, "gamma.test") as pat:
        number = await leave_question(pat, "gamma.test", "gamma-main", "Do you lend e-readers?",
                                      name="Eve", email="eve@example.org")
    async with operator(lab, "gus@gamma.test") as gus, operator(lab, "bea@beta.test") as bea:
        with pytest.raises(IqError) as outsider:
            await command(bea, "archive.gamma.test", "tickets")
        assert outsider.value.condition == "item-not-found"
        shown = await command(gus, "archive.gamma.test", "tickets")
        form = shown["command"]["form"]
        assert f"#{number} [offline] Eve <eve@example.org>: Do you lend e-readers?" in (
            text_of(form).splitlines())
        form["type"] = "submit"
        for var, value in (("ticket", str(number)), ("action", "answer"),
                           ("text", "Yes, for three weeks.")):
            form.get_fields()[var]["value"] = value
        done = await command(gus, "archive.gamma.test", "tickets", action="complete",
                             payload=form, sessionid=shown["command"]["sessionid"])
        assert notes(done) == f"Ticket #{number}: closed."
    await mail_to(lab, "eve@example.org", lambda m: "three weeks" in m.get_content())
