"""The 24/7 co-op's staffing schedule at its registry (coop.coop.test), asked for across the
federation: Sam (its Co-Op Admin, the coordinator) builds the week; Beta's librarians see
their own shifts and no other library's staff; Bea (Beta's Institution Admin) records a
miss and its make-up of Beta's shifts only; Ben (a Regular) changes nothing; the gaps are
the coordinator's alone. Stories use weeks ahead of the sample schedule's holiday."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from slixmpp import JID
from slixmpp.xmlstream import ET

from components.coop.access import no_access
from tests.integration.chataccess import chat_off_at_registry
from tests.integration.queue import command
from tests.integration.schedule import (
    REGISTRY,
    add_shift,
    element,
    monday,
    outcome,
    shift,
    week,
)
from tests.integration.stats import element as stats_element
from tests.integration.stats import refusal
from tests.integration.test_admin import new_librarian
from tests.integration.xmpp import Session, account, operator

SAM, BEN, BEA = "sam@coop.test", "ben@beta.test", "bea@beta.test"
ABE = "abe@alpha.test"


async def test_the_coordinator_builds_a_week_of_alpha_and_beta_shifts_across_the_federation(
        lab: dict[str, Any]) -> None:
    ahead = monday(6)
    async with operator(lab, SAM) as sam:
        assert await outcome(sam, element("member-hours", institution="beta.test",
                                          served="42000")) == "ok"
        assert await outcome(sam, element("member-hours", institution="alpha.test",
                                          hours="6.5")) == "ok"
        beta = await add_shift(sam, shift("beta.test", 7, "18:00", "20:00", (BEN,), (BEA,)))
        alpha = await add_shift(sam, shift("alpha.test", 7, "20:00", "21:30", (ABE,)))
        seen = await week(sam, ahead + timedelta(days=3))

    assert seen.shift(beta).staff == (BEN,) and seen.shift(beta).backup == (BEA,)
    assert seen.shift(alpha).staff == (ABE,) and not seen.shift(alpha).mine
    assert seen.members["beta.test"]["owed"] == "9"  # ceil(42000 / 5000 served per hour)
    assert seen.members["alpha.test"]["owed"] == "6.5"
    for domain in ("alpha.test", "beta.test"):
        hours = sum(s.hours for s in seen.shifts if s.institution == domain)
        assert float(seen.members[domain]["scheduled"]) == hours


async def test_the_coordinator_is_told_plainly_what_makes_a_shift_wrong(
        lab: dict[str, Any]) -> None:
    async with operator(lab, SAM) as sam:
        crossing = await outcome(sam, shift("beta.test", 5, "22:00", "02:00", (BEN,)))
        backwards = await outcome(sam, shift("beta.test", 5, "12:00", "11:00"))
        quarter = await outcome(sam, shift("beta.test", 5, "09:10", "11:00"), check=False)
        stranger = await outcome(sam, shift("beta.test", 5, "09:00", "11:00", (ABE,)))
        outsider = await outcome(sam, shift("delta.test", 5, "09:00", "11:00"))
        zone = await outcome(sam, element("settings", zone="Mars/Olympus"))

    assert crossing.startswith("bad-request: ") and "crosses midnight" in crossing
    assert backwards.startswith("bad-request: ") and "ends after it starts" in backwards
    assert quarter.startswith("bad-request: ") and "quarter hour" in quarter
    assert stranger == ("bad-request: abe@alpha.test: not a user of beta.test with access to "
                        "coop-247; give them access first.")
    assert outsider.startswith("bad-request: delta.test is not a member")
    assert zone.startswith("bad-request: 'Mars/Olympus' is not a time zone")


async def test_a_beta_librarian_sees_their_own_shifts_marked_and_no_other_librarys_staff(
        lab: dict[str, Any]) -> None:
    ahead = monday(7)
    async with operator(lab, SAM) as sam:
        mine = await add_shift(sam, shift("beta.test", 6, "19:00", "21:00", (BEN,)))
        theirs = await add_shift(sam, shift("alpha.test", 6, "21:00", "23:00", (ABE,)))
        coordinator = await week(sam, ahead)
    async with operator(lab, BEN) as ben:
        seen = await week(ben, ahead)

    assert seen.shift(mine).mine and seen.shift(mine).staff == (BEN,)
    assert (seen.shift(theirs).institution, seen.shift(theirs).start) == ("alpha.test", "21:00")
    assert all(not s.staff and not s.backup for s in seen.shifts
               if s.institution != "beta.test")
    assert not seen.gaps
    # Saturday: the sample's Beta shift 10:00-14:00, then these two from 19:00 to 23:00.
    saturday = [(start, end) for day, start, end in coordinator.gaps if day == 6]
    assert saturday == [("00:00", "10:00"), ("14:00", "19:00"), ("23:00", "24:00")]


async def test_betas_institution_admin_records_a_miss_and_its_make_up_but_not_alphas(
        lab: dict[str, Any]) -> None:
    ahead = monday(8)
    sunday = (ahead + timedelta(days=6)).isoformat()
    async with operator(lab, SAM) as sam:
        beta = await add_shift(sam, shift("beta.test", 7, "08:00", "10:00", (BEN,)))
        alpha = await add_shift(sam, shift("alpha.test", 7, "06:00", "08:00", (ABE,)))
        before = await week(sam, ahead)
    async with operator(lab, BEA) as bea:
        missed = element("missed", shift=str(beta), date=sunday, reason="Snowed in")
        assert await outcome(bea, missed) == "ok"
        after = await week(bea, ahead)
        [miss] = after.missed
        made_up = element("make-up", missed=miss["id"], date=ahead.isoformat(), start="17:00",
                          end="18:30")
        assert await outcome(bea, made_up) == "ok"
        repaid = await week(bea, ahead)
        not_hers = await outcome(bea, element("missed", shift=str(alpha), date=sunday))
        nowhere = await outcome(bea, element("missed", shift="999999", date=sunday))

    assert (miss["shift"], miss["date"], miss["reason"]) == (str(beta), sunday, "Snowed in")
    owed = float(before.members["beta.test"]["scheduled"])
    assert float(after.members["beta.test"]["scheduled"]) == owed - 2
    assert float(repaid.members["beta.test"]["scheduled"]) == owed - 2 + 1.5
    assert (repaid.missed[0]["make-up-date"], repaid.missed[0]["make-up-start"]) == (
        ahead.isoformat(), "17:00")
    assert not_hers == nowhere.replace("999999", str(alpha))
    assert not_hers.startswith("item-not-found: ")


async def test_a_regular_librarian_cannot_change_the_schedule(lab: dict[str, Any]) -> None:
    sunday = (monday(8) + timedelta(days=6)).isoformat()
    async with operator(lab, SAM) as sam:
        beta = await add_shift(sam, shift("beta.test", 7, "10:00", "11:00", (BEN,)))
    async with operator(lab, BEN) as ben:
        refused = [await outcome(ben, payload) for payload in (
            shift("beta.test", 3, "09:00", "10:00", (BEN,)),
            element("delete-shift", id=str(beta)),
            element("settings", zone="UTC"),
            element("holiday", date=sunday, name="Day off"),
            element("missed", shift=str(beta), date=sunday),
        )]
    assert all(r.startswith("forbidden: Only ") for r in refused), refused


async def _typed(session: Session, text: str) -> str:
    since = session.messages.mark()
    session.xmpp.send_message(mto=JID(REGISTRY), mbody=text, mtype="chat")
    reply = await session.messages.wait_for(
        lambda m: m["from"] == REGISTRY and m["type"] == "chat", since=since)
    return str(reply["body"])


async def test_a_beta_librarian_types_schedule_to_the_registry_from_a_stock_client(
        lab: dict[str, Any]) -> None:
    async with operator(lab, BEN) as ben:
        this_week = await _typed(ben, "!schedule")
        next_week = await _typed(ben, "!schedule next")
        wrong = await _typed(ben, "!schedule someday")

    assert this_week.startswith(f"24/7 Reference, week of {monday(0).isoformat()} (times in")
    assert this_week.index("Your shifts:") < this_week.index("\nShifts:")
    assert "Tuesday 13:00-17:00 (beta.test)" in this_week  # the sample's, his
    assert "Abe" not in this_week and "Gap:" not in this_week
    assert next_week.startswith(f"24/7 Reference, week of {monday(1).isoformat()}")
    assert "Holiday: Wednesday" in next_week  # the sample's Founders' Day
    assert wrong.startswith("A week is `next`, `last` or a date")


async def test_the_coordinator_reads_the_week_with_its_gaps_in_the_ad_hoc_command(
        lab: dict[str, Any]) -> None:
    async with operator(lab, SAM) as sam:
        shown = await command(sam, REGISTRY, "schedule")
    text = "\n".join(str(f["value"]) for f in shown["command"]["form"].get_fields().values()
                     if f["type"] == "fixed")
    assert text.startswith("24/7 Reference, week of")
    assert "Gap: Sunday" in text and "Abe" in text


async def test_each_line_typed_to_the_registry_gets_one_answer_report_and_schedule_alike(
        lab: dict[str, Any]) -> None:
    def from_registry(says: str) -> Any:
        return lambda m: m["from"] == REGISTRY and says in str(m["body"])

    async with operator(lab, BEN) as ben:
        since = ben.messages.mark()
        ben.xmpp.send_message(mto=JID(REGISTRY), mbody="!report staff", mtype="chat")
        report = await ben.messages.wait_for(from_registry("scope mine"), since=since)
        # A second answer to !report, the listing, would come before the one to !hello.
        ben.xmpp.send_message(mto=JID(REGISTRY), mbody="!hello", mtype="chat")
        listing = await ben.messages.wait_for(from_registry("!schedule [week]"), since=since)
        answers = [m for m in ben.messages.items[since:] if m["from"] == REGISTRY and m["body"]]

    assert answers == [report, listing]
    assert "!report <" in str(listing["body"])


async def test_an_alpha_librarian_without_access_to_the_coop_learns_nothing_of_its_schedule(
        lab: dict[str, Any]) -> None:
    async with new_librarian(lab, "zed") as (jid, password), account(lab, jid, password) as zed:
        schedule = await outcome(zed, element("schedule", week=monday(0).isoformat()), "get")
        activity = await refusal(zed, REGISTRY, stats_element(
            "activity", kind="mine", coop="coop-247",
            **{"from": monday(0).isoformat(), "to": monday(0).isoformat()}))
        typed = await _typed(zed, "!schedule")
    async with operator(lab, SAM) as sam:
        named = await outcome(sam, shift("alpha.test", 4, "06:00", "07:00", (jid,)))

    assert schedule == f"forbidden: {no_access('coop-247')}"
    assert activity == ("forbidden", no_access("coop-247"))
    assert typed.startswith("Only users given access to a co-op hosted here")
    assert named.startswith(f"bad-request: {jid}: not a user of alpha.test with access")


async def test_a_guest_gets_one_answer_for_the_coop_and_for_a_coop_that_does_not_exist(
        lab: dict[str, Any]) -> None:
    def asked(coop: str) -> tuple[ET.Element, ET.Element]:
        day = monday(0).isoformat()
        return (element("schedule", coop=coop, week=day),
                stats_element("activity", kind="mine", coop=coop, **{"from": day, "to": day}))

    answers: dict[str, tuple[str, tuple[str, str]]] = {}
    async with new_librarian(lab, "zoe") as (jid, password), account(lab, jid, password) as zoe:
        for coop in ("coop-247", "coop-nowhere", "coop-local"):  # coop-local: hosted elsewhere
            schedule, activity = asked(coop)
            answers[coop] = (await outcome(zoe, schedule, "get"),
                             await refusal(zoe, REGISTRY, activity))
    assert answers == {coop: (f"forbidden: {no_access(coop)}", ("forbidden", no_access(coop)))
                       for coop in answers}


async def test_bea_with_chat_access_switched_off_at_beta_is_refused_the_schedule_as_a_stranger(
        lab: dict[str, Any]) -> None:
    async with operator(lab, BEA) as bea:
        assert await outcome(bea, element("schedule", week=monday(0).isoformat()), "get") == "ok"
        async with chat_off_at_registry(lab, BEA):
            read = await outcome(bea, element("schedule", week=monday(0).isoformat()), "get")
            missed = await outcome(bea, element("missed", shift="1", date=monday(1).isoformat()))
            typed = await _typed(bea, "!schedule")
    assert read == missed == f"forbidden: {no_access('coop-247')}"
    assert typed.startswith("Only users given access to a co-op hosted here")
