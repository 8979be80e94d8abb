"""Referrals: a question Alpha cannot answer lands in Beta's ticket list over XMPP, archive
to archive, or goes by email to an address outside the co-op; nobody else can slip a
referral into a library's list."""

from __future__ import annotations

from typing import Any

from tests.integration.tickets import (
    archive,
    ask,
    leave_question,
    mail_to,
    question_of,
    refused,
    ticket_ids,
    ticket_in,
    tickets,
)
from tests.integration.xmpp import operator, patron

# Nobody monitors Alpha's Science desk nor is Abe logged in here: the widget is offline.
OFFLINE_WIDGET = "alpha-science"


async def test_alpha_refers_a_question_to_beta_and_it_lands_in_betas_ticket_list(
    lab: dict[str, Any],
) -> None:
    async with patron(lab, "alpha.test") as pat:
        number = await leave_question(pat, "alpha.test", OFFLINE_WIDGET,
                                      "Does Beta lend telescopes?", name="Ria",
                                      email="ria@example.org")
    async with operator(lab, "ann@alpha.test") as ann, operator(lab, "bea@beta.test") as bea:
        before = ticket_ids(await tickets(bea, "beta.test"))
        referred = await ask(ann, "alpha.test", archive(
            "refer", {"ticket": str(number), "to": "beta.test"}, "Their branch has them."))
        assert referred is not None
        assert (referred.get("state"), referred.get("referred-to")) == ("closed", "beta.test")
        assert number not in ticket_ids(await tickets(ann, "alpha.test"))
        listed = await tickets(bea, "beta.test")
        [new] = [t for t in ticket_ids(listed) if t not in before]
        there = ticket_in(listed, new)
        assert there is not None and question_of(there) == "Does Beta lend telescopes?"
        assert (there.get("origin"), there.get("referred-from"), there.get("patron"),
                there.get("email")) == ("referral", "alpha.test", "Ria", "ria@example.org")
        assert there.findtext("{urn:refdesk:archive:0}note") == "Their branch has them."
        # Beta answers it like any of its own.
        await ask(bea, "beta.test", archive("answer", {"ticket": str(new)}, "We do: 2 weeks."))
        await mail_to(lab, "ria@example.org", lambda m: "2 weeks" in m.get_content())


async def test_a_referral_is_refused_from_a_patron_a_librarian_and_to_a_non_member(
    lab: dict[str, Any],
) -> None:
    referral = archive("referral", {"library-name": "Mallory"},
                       children={"question": "Planted question?"})
    async with patron(lab, "alpha.test") as pat:
        number = await leave_question(pat, "alpha.test", OFFLINE_WIDGET, "Who has maps?")
        condition, _ = await refused(pat, "alpha.test", referral)
        assert condition == "forbidden"
    async with operator(lab, "ann@alpha.test") as ann, operator(lab, "bea@beta.test") as bea:
        before = ticket_ids(await tickets(bea, "beta.test", "all"))
        assert (await refused(ann, "beta.test", referral))[0] == "forbidden"
        assert (await refused(bea, "beta.test", referral))[0] == "forbidden"
        assert ticket_ids(await tickets(bea, "beta.test", "all")) == before
        for outsider in ("coop.test", "delta.test", "alpha.test"):
            condition, text = await refused(ann, "alpha.test", archive(
                "refer", {"ticket": str(number), "to": outsider}))
            assert condition == "bad-request" and "not a member library" in text
        # Nothing was lost: the ticket is still open at Alpha.
        assert number in ticket_ids(await tickets(ann, "alpha.test"))
        condition, _ = await refused(ann, "alpha.test", archive(
            "refer", {"ticket": str(number), "to": "not an address@"}))
        assert condition == "bad-request"


async def test_alpha_refers_a_question_by_email_to_a_library_outside_the_coop(
    lab: dict[str, Any],
) -> None:
    async with patron(lab, "alpha.test") as pat:
        number = await leave_question(pat, "alpha.test", OFFLINE_WIDGET,
                                      "Who holds the 1890 parish records?", name="Ola",
                                      email="ola@example.org")
    async with operator(lab, "ann@alpha.test") as ann:
        referred = await ask(ann, "alpha.test", archive(
            "refer", {"ticket": str(number), "to": "Archives@County.example"},
            "We think you hold them."))
        assert referred is not None
        assert (referred.get("state"), referred.get("referred-to")) == (
            "closed", "Archives@County.example")
    mail = await mail_to(lab, "Archives@County.example")
    assert mail["From"] == "ask@alpha.test"
    assert mail["Subject"] == "A question referred by Alpha University Library"
    body = mail.get_content()
    assert "Ola asked:\n> Who holds the 1890 parish records?" in body
    assert "Please answer them at ola@example.org." in body
    assert "We think you hold them." in body
