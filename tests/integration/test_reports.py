"""Reports across the federation: who sees which chats, at stats.<library> and at a co-op's
registry, proven with real chats answered through the lab's queues.

The chats of the first story: two Alpha patrons asking through alpha-private (coop-247 only),
answered by Ben (a Beta Regular) and by Sue (the co-op's own staff), and a Gamma patron
answered by Bo (Beta). Each asker's report is read before and after, and only the difference
is judged: the lab is shared by every story of the run."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from slixmpp import JID
from slixmpp.exceptions import IqError

from components.coop.reportscope import NO_ACCESS
from components.stats.askers import NOT_STAFF
from tests.integration.archive import answered_chat
from tests.integration.chataccess import chat_off_at_registry
from tests.integration.poezio import shown_by_poezio
from tests.integration.queue import command, coop_room, notes
from tests.integration.stats import (
    Answer,
    ask,
    element,
    refusal,
    report,
    report_request,
    today,
)
from tests.integration.xmpp import Session, eventually, operator, patron

REGISTRY = "coop.coop.test"
ASKERS = ("ben@beta.test", "ann@alpha.test", "bea@beta.test", "sam@coop.test")


def users(answer: Answer) -> dict[str, int]:
    return {key: int(row["chats"]) for key, row in answer.tables["user"].items()}


def grown(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """Rows whose count grew, by how much."""
    return {key: n - before.get(key, 0) for key, n in after.items() if n != before.get(key, 0)}


async def staff_reports(lab: dict[str, Any]) -> dict[str, Answer]:
    found = {}
    for jid in ASKERS:
        async with operator(lab, jid) as asker:
            found[jid] = await report(asker, REGISTRY, "staff", coop="coop-247")
    return found


async def test_each_coop_level_sees_its_share_of_three_coop_chats_across_the_federation(
        lab: dict[str, Any]) -> None:
    before = await staff_reports(lab)
    mark = uuid.uuid4().hex[:8]
    room = coop_room(lab, "coop-247")
    await answered_chat(lab, "alpha.test", "alpha-private", f"Maps {mark}", "ben@beta.test",
                        room, 5)
    await answered_chat(lab, "alpha.test", "alpha-private", f"Films {mark}", "sue@coop.test",
                        room, 3)
    await answered_chat(lab, "gamma.test", "gamma-main", f"Tax {mark}", "bo@beta.test", room, 4)

    async with operator(lab, "sam@coop.test") as sam:
        async def coop_chats() -> int:
            return (await report(sam, REGISTRY, "staff", coop="coop-247")).chats
        # The summaries reach the registry once each chat has ended.
        await eventually(coop_chats, before["sam@coop.test"].chats + 3, timeout=30)
    after = await staff_reports(lab)
    assert [after[jid].scope for jid in ASKERS] == ["mine", "institution", "institution", "coop"]
    seen = {jid: grown(users(before[jid]), users(after[jid])) for jid in ASKERS}
    assert seen == {
        "ben@beta.test": {"ben@beta.test": 1},  # a Regular: the chat he answered
        "ann@alpha.test": {"ben@beta.test": 1, "sue@coop.test": 1},  # Alpha's patrons' chats
        "bea@beta.test": {"ben@beta.test": 1, "bo@beta.test": 1},  # chats Beta's users answered
        "sam@coop.test": {"ben@beta.test": 1, "sue@coop.test": 1, "bo@beta.test": 1},
    }
    assert set(users(after["ben@beta.test"])) == {"ben@beta.test"}
    ben = after["sam@coop.test"].tables["user"]["ben@beta.test"]
    assert ben["label"] == "Ben" and float(ben["rating"]) > 0
    assert after["sam@coop.test"].tables["institution"]["coop.test"]["label"]


@pytest.mark.parametrize(("asker", "registry", "coop"), [
    ("gus@gamma.test", "coop.alpha.test", "coop-local"),  # Gamma is not in coop-local
    ("gus@gamma.test", "coop.alpha.test", "coop-nowhere"),
    ("ben@beta.test", REGISTRY, "coop-local"),  # hosted elsewhere
])
async def test_someone_outside_a_coop_is_refused_its_reports_as_for_a_coop_that_does_not_exist(
        lab: dict[str, Any], asker: str, registry: str, coop: str) -> None:
    async with operator(lab, asker) as session:
        refused = await refusal(session, registry, report_request("staff", coop=coop))
        bad = await refusal(session, registry, report_request("staff", "2026-02-01",
                                                                "2026-01-01", coop=coop))
    assert refused == bad == ("forbidden", NO_ACCESS)


async def _outcome(session: Session, to: str, payload: Any) -> tuple[str, str]:
    """("result", "") for an answer, else the refusal's condition and text."""
    try:
        await ask(session, to, payload)
    except IqError as error:
        return str(error.iq["error"]["condition"]), str(error.iq["error"]["text"])
    return "result", ""


async def test_bea_with_chat_access_switched_off_at_beta_is_refused_coop_reports_as_a_stranger(
        lab: dict[str, Any]) -> None:
    staff = report_request("staff", coop="coop-247")
    async with operator(lab, "bea@beta.test") as bea, operator(lab, "gus@gamma.test") as gus:
        assert (await report(bea, REGISTRY, "staff", coop="coop-247")).scope == "institution"
        stranger = await refusal(gus, "coop.alpha.test", report_request("staff",
                                                                        coop="coop-local"))
        async with chat_off_at_registry(lab, "bea@beta.test"):
            refused = await refusal(bea, REGISTRY, staff)
            typed = await refusal(bea, REGISTRY, report_request("staff"))  # the co-op guessed
    assert refused == typed == stranger == ("forbidden", NO_ACCESS)


async def test_ben_with_chat_access_switched_off_is_refused_at_stats_beta_like_anyone_else(
        lab: dict[str, Any]) -> None:
    staff = report_request("staff")
    async with operator(lab, "ben@beta.test") as ben:
        assert (await report(ben, "stats.beta.test", "staff")).scope == "mine"
        async with chat_off_at_registry(lab, "ben@beta.test"):
            await eventually(partial(_outcome, ben, "stats.beta.test", staff),
                             ("forbidden", NOT_STAFF), timeout=15)
        await eventually(partial(_outcome, ben, "stats.beta.test", staff), ("result", ""),
                         timeout=15)


async def test_alpha_admin_sees_every_alpha_patrons_chat_and_an_operator_only_their_own(
        lab: dict[str, Any]) -> None:
    room = coop_room(lab, "coop-247")
    async with operator(lab, "ann@alpha.test") as ann, operator(lab, "abe@alpha.test") as abe:
        library_before = await report(ann, "stats.alpha.test", "staff")
        abe_before = await report(abe, "stats.alpha.test", "staff")
        await answered_chat(lab, "alpha.test", "alpha-private", "Atlas?", "bela@beta.test",
                            room, 4)
        await answered_chat(lab, "alpha.test", "alpha-private", "Globes?", "abe@alpha.test",
                            room, 2)
        library = await report(ann, "stats.alpha.test", "staff")
        mine = await report(abe, "stats.alpha.test", "staff")
    assert (library.scope, mine.scope) == ("library", "mine")
    assert grown(users(library_before), users(library)) == {"bela@beta.test": 1,
                                                            "abe@alpha.test": 1}
    assert grown(users(abe_before), users(mine)) == {"abe@alpha.test": 1}
    assert set(users(mine)) == {"abe@alpha.test"}
    assert library.tables["institution"]["beta.test"]["label"]


async def test_a_patron_and_another_librarys_librarian_are_forbidden_at_stats_alpha(
        lab: dict[str, Any]) -> None:
    async with patron(lab, "alpha.test") as pat, operator(lab, "bea@beta.test") as bea:
        for session in (pat, bea):
            asked = await refusal(session, "stats.alpha.test", report_request("distributions"))
            nonsense = await refusal(session, "stats.alpha.test",
                                     element("report", kind="pie", **{"from": "x", "to": "y"}),
                                     check=False)
            assert asked == nonsense == ("forbidden", NOT_STAFF)


@pytest.mark.parametrize(("attributes", "said"), [
    ({"from": "2026-03-02", "to": "2026-03-01"}, "ends before it starts"),
    ({"from": "2020-01-01", "to": "2026-03-01"}, "at most three years"),
    ({"from": "2026-03-01", "to": "2026-03-01", "zone": "Mars/Olympus"}, "not a time zone"),
])
async def test_a_nonsense_period_is_a_bad_request_that_says_why(
        lab: dict[str, Any], attributes: dict[str, str], said: str) -> None:
    async with operator(lab, "ann@alpha.test") as ann:
        condition, text = await refusal(ann, "stats.alpha.test",
                                        element("report", kind="sources", **attributes))
    assert condition == "bad-request" and said in text


async def test_distributions_in_a_half_hour_zone_have_every_key_and_count_todays_chats(
        lab: dict[str, Any]) -> None:
    async with operator(lab, "sam@coop.test") as sam:
        found = await report(sam, REGISTRY, "distributions", zone="Asia/Kolkata",
                             coop="coop-247")
    assert [len(found.tables[name]) for name in ("weekday", "hour", "day-hour")] == [7, 24, 168]
    assert sum(int(row["chats"]) for row in found.tables["hour"].values()) == found.chats


def _says(text: str) -> Callable[[Any], bool]:
    return lambda message: text in message["body"]


async def test_librarians_without_the_protocol_get_reports_by_command_and_by_text(
        lab: dict[str, Any]) -> None:
    async with operator(lab, "ann@alpha.test") as ann, operator(lab, "sam@coop.test") as sam:
        form = await command(ann, "stats.alpha.test", "report")
        values = form["command"]["form"]
        values["type"] = "submit"
        values.get_fields()["kind"]["value"] = "staff"
        done = await command(ann, "stats.alpha.test", "report", action="complete",
                             payload=values, sessionid=form["command"]["sessionid"])
        text = notes(done)  # one note, no form: what poezio shows whole
        assert "scope library" in text and "user:" in text
        assert text in shown_by_poezio(done)
        since = sam.messages.mark()
        sam.xmpp.send_message(mto=JID(REGISTRY), mbody=f"!report staff {today()}",
                              mtype="chat")
        answer = await sam.messages.wait_for(_says("scope coop"), since=since, timeout=15)
        assert "institution:" in answer["body"]
        sam.xmpp.send_message(mto=JID("stats.alpha.test"), mbody="!report staff",
                              mtype="chat")
        refused = await sam.messages.wait_for(_says(NOT_STAFF), since=since, timeout=15)
        assert "user:" not in refused["body"]




async def test_outsiders_typing_or_running_report_are_told_only_that_reports_are_for_staff(
        lab: dict[str, Any]) -> None:
    async with patron(lab, "alpha.test") as pat, operator(lab, "gus@gamma.test") as gus:
        for line in ("!report pie yesterday", "hello"):
            since = pat.messages.mark()
            pat.xmpp.send_message(mto=JID("stats.alpha.test"), mbody=line, mtype="chat")
            told = await pat.messages.wait_for(
                lambda m: m["from"] == "stats.alpha.test", since=since, timeout=15)
            assert told["body"] == NOT_STAFF
        since = gus.messages.mark()
        gus.xmpp.send_message(mto=JID("coop.alpha.test"), mbody="!report staff",
                              mtype="chat")
        told = await gus.messages.wait_for(lambda m: m["from"] == "coop.alpha.test",
                                           since=since, timeout=15)
        assert told["body"] == NO_ACCESS
        with pytest.raises(IqError) as refused:
            await command(gus, "stats.alpha.test", "report")
        assert refused.value.iq["error"]["condition"] == "forbidden"
