"""The Contribution Percentage from real chats across the federation (QuestionPoint's
definition: chats a member's librarians accepted, whoever the patron, over chats its own
patrons requested), seen from each level of the 24/7 co-op, and each user's dashboard."""

from __future__ import annotations

from typing import Any

from slixmpp import JID

from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.stores.activity import ActivityStore, Summary
from tests.integration.contribution import (
    NS,
    contribution,
    dashboard,
    refused,
    rows,
    totals,
)
from tests.integration.queue import (
    asking,
    carrying,
    chat_id,
    claim_by_text,
    coop_room,
    database_url,
    join,
    room,
)
from tests.integration.tickets import leave_question
from tests.integration.xmpp import Session, eventually, operator, patron

REGISTRY_247, REGISTRY_LOCAL = "coop.coop.test", "coop.alpha.test"
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15"
          " (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1")


async def _answered(pat: Session, librarian: Session, domain: str, widget: str,
                    question: str, **fields: str) -> str:
    """A chat `librarian` is offered, claims and ends; its JID."""
    async with asking(pat, domain, widget, question, **fields) as chat:
        await librarian.messages.wait_for(carrying("offer", chat))
        await claim_by_text(librarian, chat)
        librarian.xmpp.send_message(mto=JID(chat), mbody="!end", mtype="chat")
        await pat.messages.wait_for(carrying("ended"))
    return chat


async def _summary(lab: dict[str, Any], chat: str) -> Summary | None:
    engine = create_engine(database_url(lab, "coop.test"))
    try:
        found = await ActivityStore(create_sessionmaker(engine)).summaries("coop-247")
    finally:
        await engine.dispose()
    return next((s for s in found if s.chat_id == chat_id(chat)), None)


def _plus(before: dict[str, tuple[int, int, str | None]], domain: str, requested: int,
          accepted: int) -> tuple[int, int]:
    old = before.get(domain, (0, 0, None))
    return old[0] + requested, old[1] + accepted


async def test_alpha_and_beta_contributions_follow_who_answered_whose_patrons(
    lab: dict[str, Any],
) -> None:
    async with operator(lab, "sam@coop.test") as sam:
        before = await contribution(sam, REGISTRY_247, "coop-247")
    async with (operator(lab, "bea@beta.test") as bea, operator(lab, "abe@alpha.test") as abe,
                operator(lab, "ann@alpha.test") as ann, patron(lab, "alpha.test") as alf,
                patron(lab, "beta.test") as bet):
        await join(bea, coop_room(lab, "coop-247"), "Bea")
        await join(abe, coop_room(lab, "coop-247"), "Abe")
        await _answered(alf, bea, "alpha.test", "alpha-private", "Alpha asks, Beta answers?")
        await _answered(alf, abe, "alpha.test", "alpha-private", "Alpha asks, Alpha answers?")
        await _answered(bet, abe, "beta.test", "beta-main", "Beta asks, Alpha answers?")
        # Answered at home before the co-op's turn: it counts, though the co-op was not offered.
        await join(ann, room(lab, "alpha.test", "Reference"), "Ann")
        home = await _answered(alf, ann, "alpha.test", "alpha-main", "Asked at home?",
                               referrer="https://alpha.test/ask?who=me#top", user_agent=IPHONE)

    expected = {"alpha.test": _plus(rows(before), "alpha.test", 3, 3),
                "beta.test": _plus(rows(before), "beta.test", 1, 1)}

    async def figures() -> dict[str, tuple[int, int]]:
        async with operator(lab, "sam@coop.test") as sam:
            now = rows(await contribution(sam, REGISTRY_247, "coop-247"))
        return {domain: now[domain][:2] for domain in expected}
    await eventually(figures, expected, timeout=20)

    summary = await _summary(lab, home)
    assert summary is not None and not summary.offered
    assert (summary.origin.source, summary.origin.browser, summary.origin.device) == (
        "https://alpha.test/ask", "Mobile Safari", "iPhone")
    async with operator(lab, "sam@coop.test") as sam:
        everyone = await contribution(sam, REGISTRY_247, "coop-247")
    assert set(rows(everyone)) == {"alpha.test", "beta.test", "gamma.test"}
    assert totals(everyone) == (totals(before)[0] + 4, totals(before)[1] + 4)
    for requested, accepted, percent in rows(everyone).values():
        assert percent == (f"{accepted / requested * 100:.1f}" if requested else None)
    member = everyone.find(f"{{{NS}}}member")
    assert member is not None and member.get("target") == "100"


async def test_alphas_institution_admin_sees_alphas_row_and_the_coops_only(
    lab: dict[str, Any],
) -> None:
    async with operator(lab, "ann@alpha.test") as ann, operator(lab, "sam@coop.test") as sam:
        own = await contribution(ann, REGISTRY_247, "coop-247")
        everyone = await contribution(sam, REGISTRY_247, "coop-247")
    assert list(rows(own)) == ["alpha.test"]
    assert rows(own)["alpha.test"] == rows(everyone)["alpha.test"]
    assert totals(own) == totals(everyone)


async def test_gamma_and_a_patron_learn_nothing_of_a_coop_gamma_is_not_in(
    lab: dict[str, Any],
) -> None:
    async with operator(lab, "gus@gamma.test") as gus, patron(lab, "alpha.test") as pat:
        not_member = await refused(contribution(gus, REGISTRY_LOCAL, "coop-local"))
        nowhere = await refused(contribution(gus, REGISTRY_LOCAL, "coop-nowhere"))
        as_patron = await refused(contribution(pat, REGISTRY_LOCAL, "coop-local"))
    assert not_member[0] == nowhere[0] == as_patron[0] == "forbidden"
    assert not_member[1].replace("coop-local", "X") == nowhere[1].replace("coop-nowhere", "X")


async def test_a_period_that_makes_no_sense_is_refused_with_a_sentence(
    lab: dict[str, Any],
) -> None:
    async with operator(lab, "sam@coop.test") as sam:
        backwards = await refused(contribution(sam, REGISTRY_247, "coop-247",
                                               "2026-03-02", "2026-03-01"))
        too_long = await refused(contribution(sam, REGISTRY_247, "coop-247",
                                              "2020-01-01", "2026-01-01"))
    assert backwards[0] == too_long[0] == "bad-request"
    assert "swap" in backwards[1] and "3 years" in too_long[1]


async def test_abes_dashboard_sums_up_his_month_in_each_coop_he_belongs_to(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "abe@alpha.test") as abe, patron(lab, "alpha.test") as alf):
        await join(abe, coop_room(lab, "coop-247"), "Abe")
        await _answered(alf, abe, "alpha.test", "alpha-private", "Is the dashboard right?")

        async def answered_this_month() -> bool:
            board = await dashboard(abe, REGISTRY_247, "America/Chicago")
            [coop] = board.iterfind(f"{{{NS}}}coop")
            return int(coop.get("answered", "0")) >= 1
        await eventually(answered_this_month, timeout=20)
        board = await dashboard(abe, REGISTRY_247, "America/Chicago")
        local = await dashboard(abe, REGISTRY_LOCAL)
    [coop] = board.iterfind(f"{{{NS}}}coop")
    assert (coop.get("id"), coop.get("level"), coop.get("institution"), coop.get("members")) \
        == ("coop-247", "regular", "alpha.test", "3")
    assert float(coop.get("hours", "0")) > 0 and int(coop.get("coop-chats", "0")) >= 1
    assert coop.get("percent") is not None and board.get("zone") == "America/Chicago"
    assert [c.get("id") for c in local.iterfind(f"{{{NS}}}coop")] == ["coop-local"]
    async with operator(lab, "gus@gamma.test") as gus:
        assert list(await dashboard(gus, REGISTRY_LOCAL)) == []


async def test_a_question_a_gamma_patron_left_offline_counts_as_requested_by_gamma(
    lab: dict[str, Any],
) -> None:
    async with operator(lab, "sam@coop.test") as sam:
        before = rows(await contribution(sam, REGISTRY_247, "coop-247")).get("gamma.test")
    async with patron(lab, "gamma.test") as pat:
        await leave_question(pat, "gamma.test", "gamma-main", "Is anyone there at night?")

    async def requested() -> int:
        async with operator(lab, "sam@coop.test") as sam:
            return rows(await contribution(sam, REGISTRY_247, "coop-247"))["gamma.test"][0]
    await eventually(requested, (before[0] if before else 0) + 1, timeout=20)
