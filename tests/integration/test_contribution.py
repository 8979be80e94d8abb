"""The Contribution Percentage from real chats across the federation (QuestionPoint's
definition: chats a member's librarians accepted, whoever the patron, over chats its own
patrons requested), seen from each level of the 24/7 co-op, and each user's dashboard."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from slixmpp import JID
from slixmpp.exceptions import IqError

from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.stores.activity import ActivityStore, Summary
from tests.integration.chataccess import chat_off_at_registry
from tests.integration.contribution import (
    NS,
    contribution,
    dashboard,
    fairness,
    refused,
    rows,
    today,
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


async def _summaries(lab: dict[str, Any]) -> list[Summary]:
    """coop-247's chat summaries in its registry's database."""
    engine = create_engine(database_url(lab, "coop.test"))
    try:
        return await ActivityStore(create_sessionmaker(engine)).summaries("coop-247")
    finally:
        await engine.dispose()


def _counted(summaries: list[Summary], day: str) -> dict[str, tuple[int, int]]:
    """Requested and accepted per library, counted here one summary at a time."""
    counts: dict[str, list[int]] = {}
    for summary in summaries:
        if summary.requested_at.astimezone(UTC).date().isoformat() != day:
            continue
        counts.setdefault(summary.home, [0, 0])[0] += 1
        if summary.answered_institution:
            counts.setdefault(summary.answered_institution, [0, 0])[1] += 1
    return {domain: (requested, accepted) for domain, (requested, accepted) in counts.items()}


async def test_alpha_and_beta_contributions_follow_who_answered_whose_patrons(
    lab: dict[str, Any],
) -> None:
    async with (operator(lab, "bea@beta.test") as bea, operator(lab, "abe@alpha.test") as abe,
                operator(lab, "ann@alpha.test") as ann, patron(lab, "alpha.test") as alf,
                patron(lab, "beta.test") as bet):
        await join(bea, coop_room(lab, "coop-247"), "Bea")
        await join(abe, coop_room(lab, "coop-247"), "Abe")
        chats = {
            await _answered(alf, bea, "alpha.test", "alpha-private", "Alpha asks, Beta?"):
                ("alpha.test", "beta.test", True),
            await _answered(alf, abe, "alpha.test", "alpha-private", "Alpha asks, Alpha?"):
                ("alpha.test", "alpha.test", True),
            await _answered(bet, abe, "beta.test", "beta-main", "Beta asks, Alpha?"):
                ("beta.test", "alpha.test", True),
        }
        # Answered at home before the co-op's turn: it counts, though the co-op was not offered.
        await join(ann, room(lab, "alpha.test", "Reference"), "Ann")
        home = await _answered(alf, ann, "alpha.test", "alpha-main", "Asked at home?",
                               referrer="https://alpha.test/ask?who=me#top", user_agent=IPHONE)
        chats[home] = ("alpha.test", "alpha.test", False)

    async def reported() -> dict[str, tuple[str | None, str | None, bool]]:
        found = {s.chat_id: (s.home, s.answered_institution, s.offered)
                 for s in await _summaries(lab)}
        return {chat: found.get(chat_id(chat), (None, None, False)) for chat in chats}
    await eventually(reported, chats, timeout=20)
    [summary] = [s for s in await _summaries(lab) if s.chat_id == chat_id(home)]
    assert (summary.origin.source, summary.origin.browser, summary.origin.device) == (
        "https://alpha.test/ask", "Mobile Safari", "iPhone")

    # Other stories' chats may end meanwhile: the answer agrees with a count made here.
    async def agrees() -> bool:
        async with operator(lab, "sam@coop.test") as sam:
            answer = await contribution(sam, REGISTRY_247, "coop-247")
        counted = _counted(await _summaries(lab), today())
        return ({d: r[:2] for d, r in rows(answer).items()}
                == {d: counted.get(d, (0, 0)) for d in rows(answer)}
                and totals(answer) == (sum(r for r, _ in counted.values()),
                                       sum(a for _, a in counted.values())))
    await eventually(agrees, timeout=20)
    async with operator(lab, "sam@coop.test") as sam:
        everyone = await contribution(sam, REGISTRY_247, "coop-247")
    assert set(rows(everyone)) == {"alpha.test", "beta.test", "gamma.test"}
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


async def test_bea_with_chat_access_switched_off_at_beta_learns_what_a_stranger_does(
    lab: dict[str, Any],
) -> None:
    async def coops_on_her_dashboard() -> list[str | None]:
        return [c.get("id") for c in (await dashboard(bea, REGISTRY_247)).iterfind(
            f"{{{NS}}}coop")]

    async def contribution_refused() -> tuple[str, str] | None:
        try:
            await contribution(bea, REGISTRY_247, "coop-247")
        except IqError as error:
            return str(error.iq["error"]["condition"]), str(error.iq["error"]["text"])
        return None

    async with operator(lab, "bea@beta.test") as bea:
        assert await coops_on_her_dashboard() == ["coop-247"]
        async with chat_off_at_registry(lab, "bea@beta.test"):
            nowhere = await refused(contribution(bea, REGISTRY_247, "coop-nowhere"))
            said = nowhere[1].replace("coop-nowhere", "coop-247")
            # The registry's published copy follows its database in its own time.
            await eventually(contribution_refused, ("forbidden", said), timeout=15)
            assert await refused(fairness(bea, REGISTRY_247, "coop-247")) == ("forbidden", said)
            assert await coops_on_her_dashboard() == []
        await eventually(coops_on_her_dashboard, ["coop-247"], timeout=15)


async def test_a_period_that_makes_no_sense_is_refused_with_a_sentence(
    lab: dict[str, Any],
) -> None:
    async with operator(lab, "sam@coop.test") as sam:
        backwards = await refused(contribution(sam, REGISTRY_247, "coop-247",
                                               "2026-03-02", "2026-03-01"))
        too_long = await refused(contribution(sam, REGISTRY_247, "coop-247",
                                              "2020-01-01", "2026-01-01"))
    assert backwards[0] == too_long[0] == "bad-request"
    assert "ends before it starts" in backwards[1] and "three years" in too_long[1]


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
    known = {s.chat_id for s in await _summaries(lab)}
    async with patron(lab, "gamma.test") as pat:
        await leave_question(pat, "gamma.test", "gamma-main", "Is anyone there at night?")

    async def left() -> bool:
        return ("gamma.test", "gamma-main", False, None) in [
            (s.home, s.widget_id, s.offered, s.answered_by)
            for s in await _summaries(lab) if s.chat_id not in known]
    await eventually(left, timeout=20)
