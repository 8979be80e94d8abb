"""The gateway's JSON API for a library's own dashboards, against the real lab: the same
figures as the components answer over XMPP, asked as the librarian so that every access rule
is the components' own; CSV; one login per burst; and nobody else gets in."""

from __future__ import annotations

import asyncio
import base64
import csv
import io
import time
from pathlib import Path
from typing import Any

from gateway.api.access import REFUSAL_FLOOR_S
from tests.integration.api import (
    api,
    conforms,
    logins,
    password,
    refused_logins,
    source_address,
)
from tests.integration.archive import answered_chat
from tests.integration.queue import coop_room
from tests.integration.stats import Answer, refusal, report, report_request, today
from tests.integration.xmpp import operator

YEAR = {"from": f"{today()[:4]}-01-01", "to": f"{today()[:4]}-12-31"}


def same_figures(rows: list[dict[str, Any]], table: dict[str, dict[str, str]]) -> None:
    """A JSON table's rows carry exactly the XMPP table's rows and figures."""
    assert {row["key"] for row in rows} == set(table)
    for row in rows:
        xml = table[row["key"]]
        assert set(row) == set(xml), row["key"]
        for name, value in row.items():
            expected = xml[name]
            assert (value == float(expected) if isinstance(value, (int, float))
                    else value == expected), (row["key"], name)


def same_report(document: dict[str, Any], answer: Answer) -> None:
    assert (document["scope"], document["chats"]) == (answer.scope, answer.chats)
    assert set(document["tables"]) == set(answer.tables)
    for name, rows in document["tables"].items():
        same_figures(rows, answer.tables[name])


async def test_alpha_admin_fetches_a_report_as_json_with_the_figures_stats_answers_over_xmpp(
        lab: dict[str, Any]) -> None:
    await answered_chat(lab, "alpha.test", "alpha-private", "Old maps?", "abe@alpha.test",
                        coop_room(lab, "coop-247"), 4)

    async with api(lab, "alpha.test", "ann@alpha.test") as ann_api:
        reply = await ann_api.get("/report", kind="staff", **YEAR)
        distributions = await ann_api.get("/report", kind="distributions", **YEAR,
                                          zone="Europe/Paris")
    async with operator(lab, "ann@alpha.test") as ann:
        staff = await report(ann, "stats.alpha.test", "staff", YEAR["from"], YEAR["to"])
        by_hour = await report(ann, "stats.alpha.test", "distributions", YEAR["from"],
                               YEAR["to"], zone="Europe/Paris")

    assert reply.status == 200 and reply.headers["Content-Type"].startswith("application/json")
    assert reply.headers["Cache-Control"] == "no-store"
    document = conforms(reply.json(), "Report")
    assert document["scope"] == "library" and document["chats"] >= 1
    abe = next(row for row in document["tables"]["user"] if row["key"] == "abe@alpha.test")
    assert abe["chats"] >= 1 and 1 <= abe["rating"] <= 5
    same_report(document, staff)
    same_report(conforms(distributions.json(), "Report"), by_hour)
    assert len(distributions.json()["tables"]["hour"]) == 24


async def test_a_report_as_csv_reads_back_to_the_json_figures(lab: dict[str, Any]) -> None:
    async with api(lab, "alpha.test", "ann@alpha.test") as ann_api:
        as_json = (await ann_api.get("/report", kind="distributions", **YEAR)).json()
        as_csv = await ann_api.get("/report", kind="distributions", **YEAR, format="csv")

    assert as_csv.status == 200 and as_csv.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in as_csv.headers["Content-Disposition"]
    read = list(csv.DictReader(io.StringIO(as_csv.text)))
    rows = [{"table": name, **row} for name, table in as_json["tables"].items() for row in table]
    assert len(read) == len(rows) > 24
    for original, back in zip(rows, read, strict=True):
        assert {name: (float(back[name]) if isinstance(value, (int, float)) else back[name])
                for name, value in original.items()} == original
        assert all(back[name] == "" for name in back if name not in original)


async def test_a_regular_gets_the_chats_they_answered_and_no_institutions_activity(
        lab: dict[str, Any]) -> None:
    room = coop_room(lab, "coop-247")
    await answered_chat(lab, "alpha.test", "alpha-private", "Census?", "ada@alpha.test", room, 5)
    await answered_chat(lab, "alpha.test", "alpha-private", "Deeds?", "bela@beta.test", room, 3)

    async with api(lab, "alpha.test", "ada@alpha.test") as ada_api:
        library = await ada_api.get("/report", kind="staff", **YEAR)
        coop = await ada_api.get("/coops/coop-247/report", kind="staff", **YEAR)
        institutions = await ada_api.get("/coops/coop-247/activity", kind="institutions",
                                         **YEAR)
        mine = await ada_api.get("/coops/coop-247/activity", kind="mine", **YEAR)
    async with api(lab, "alpha.test", "ann@alpha.test") as ann_api:
        admins = await ann_api.get("/report", kind="staff", **YEAR)

    assert (library.status, coop.status, mine.status) == (200, 200, 200)
    assert conforms(library.json(), "Report")["scope"] == "mine"
    assert {row["key"] for row in library.json()["tables"]["user"]} == {"ada@alpha.test"}
    coop_document = conforms(coop.json(), "Report")
    assert coop_document["scope"] == "mine"
    assert {row["key"] for row in coop_document["tables"]["user"]} <= {"ada@alpha.test"}
    # The chat Bela answered is in the library's report, not in the Regular's.
    assert {"ada@alpha.test", "bela@beta.test"} <= {
        row["key"] for row in admins.json()["tables"]["user"]}
    assert conforms(mine.json(), "Activity")["scope"] == "mine"
    assert institutions.status == 403
    problem = conforms(institutions.json(), "Problem")
    assert institutions.headers["Content-Type"].startswith("application/problem+json")
    assert problem["status"] == 403 and problem["detail"]


async def test_a_component_refusal_is_a_problem_document_with_the_components_sentence(
        lab: dict[str, Any]) -> None:
    async with api(lab, "alpha.test", "ann@alpha.test") as ann_api:
        bad_zone = await ann_api.get("/report", kind="staff", **YEAR, zone="Mars/Olympus")
        no_coop = await ann_api.get("/coops/coop-nowhere/contribution", **YEAR)
        typo = await ann_api.get("/report", kind="staf", **YEAR)
    async with operator(lab, "ann@alpha.test") as ann:
        condition, sentence = await refusal(ann, "stats.alpha.test", report_request(
            "staff", YEAR["from"], YEAR["to"], zone="Mars/Olympus"))

    assert (bad_zone.status, condition) == (400, "bad-request")
    assert bad_zone.json() == {"type": "about:blank", "title": "Bad Request", "status": 400,
                               "detail": sentence}
    assert no_coop.status == 404 and "coop-nowhere" in no_coop.json()["detail"]
    assert typo.status == 400 and "kind must be one of" in typo.json()["detail"]


async def test_a_wrong_password_and_an_unknown_user_get_the_same_401_and_no_log_of_either(
        lab: dict[str, Any]) -> None:
    source = source_address(lab, 0)
    replies = []
    for user, secret in (("ann@alpha.test", "not her password"), ("nobody@alpha.test", "pw"),
                         ("ann", "not her password either")):
        async with api(lab, "alpha.test", user, secret, source) as client:
            replies.append(await client.get("/report", kind="staff", **YEAR))

    assert {reply.status for reply in replies} == {401}
    assert len({reply.text for reply in replies}) == 1
    assert {reply.headers["WWW-Authenticate"] for reply in replies} == {
        'Basic realm="refdesk", charset="UTF-8"'}
    gateway_log = (Path(lab["dir"]) / "alpha.test" / "run" / "gateway.log").read_text()
    for secret in ("not her password", password(lab, "ann@alpha.test")):
        assert secret not in gateway_log


async def test_a_beta_librarian_is_refused_at_alphas_gateway_and_served_at_her_own(
        lab: dict[str, Any]) -> None:
    source = source_address(lab, 1)
    async with api(lab, "alpha.test", "bea@beta.test", source=source) as at_alpha:
        refused = await at_alpha.get("/report", kind="staff", **YEAR)
    async with api(lab, "alpha.test", "nobody@alpha.test", "x", source) as unknown:
        unknown_reply = await unknown.get("/report", kind="staff", **YEAR)
    async with api(lab, "beta.test", "bea@beta.test", source=source) as at_beta:
        served = await at_beta.get("/report", kind="staff", **YEAR)

    assert refused.status == 401 and refused.text == unknown_reply.text
    assert served.status == 200 and conforms(served.json(), "Report")["scope"] == "library"


async def test_a_patron_has_no_way_in(lab: dict[str, Any]) -> None:
    source = source_address(lab, 2)
    guest = lab["libraries"][0]["guest_host"]
    async with api(lab, "alpha.test", source=source) as nobody:
        bare = await nobody.get("/report", kind="staff", **YEAR)
        empty = await nobody.get_with({"Authorization": "Basic Og=="}, "/dashboard")
    async with api(lab, "alpha.test", f"someone@{guest}", "x", source) as as_guest:
        anonymous = await as_guest.get("/dashboard")
    async with api(lab, "alpha.test", guest, "", source) as as_host:
        host = await as_host.get("/dashboard")

    assert [r.status for r in (bare, empty, anonymous, host)] == [401] * 4
    assert len({r.text for r in (bare, empty, anonymous, host)}) == 1
    assert all("WWW-Authenticate" in r.headers for r in (bare, empty, anonymous, host))


async def test_a_dashboards_burst_logs_in_once_and_the_next_request_reuses_the_session(
        lab: dict[str, Any]) -> None:
    before = logins(lab, "ava@alpha.test")
    async with api(lab, "alpha.test", "ava@alpha.test") as ava_api:
        burst = await asyncio.gather(*(ava_api.get("/report", kind=kind, **YEAR)
                                       for kind in ("distributions", "sources", "staff") * 2))
        after_burst = logins(lab, "ava@alpha.test")
        later = await ava_api.get("/report", kind="staff", **YEAR)

    assert [reply.status for reply in burst] == [200] * 6 and later.status == 200
    # Once, or not at all where an earlier story's session of hers is still open.
    assert after_burst - before <= 1
    assert logins(lab, "ava@alpha.test") == after_burst


async def test_failed_logins_from_one_address_are_answered_429_until_retry_after(
        lab: dict[str, Any]) -> None:
    source = source_address(lab, 3)
    async with api(lab, "alpha.test", "ari@alpha.test", "guess", source) as guesser:
        guesses = [(await guesser.get("/report", kind="staff", **YEAR)).status
                   for _ in range(5)]
        stopped = await guesser.get("/report", kind="staff", **YEAR)
    async with api(lab, "alpha.test", "ari@alpha.test", source=source) as right:
        still_stopped = await right.get("/report", kind="staff", **YEAR)
    async with api(lab, "alpha.test", "ari@alpha.test", source=source_address(lab, 4)) as other:
        elsewhere = await other.get("/report", kind="staff", **YEAR)

    assert guesses == [401] * 5
    assert (stopped.status, still_stopped.status, elsewhere.status) == (429, 429, 200)
    assert 0 < int(stopped.headers["Retry-After"]) <= 300
    assert stopped.json()["status"] == 429


async def test_forty_parallel_guesses_from_one_address_are_five_tries_and_thirty_five_429s(
        lab: dict[str, Any]) -> None:
    source = source_address(lab, 5)
    before = refused_logins(lab, "alpha.test", source)
    async with api(lab, "alpha.test", source=source) as guesser:
        replies = await asyncio.gather(*(
            guesser.get_with({"Authorization": basic(f"ari@alpha.test:guess {n}")}, "/report",
                             {"kind": "staff", **YEAR})
            for n in range(40)))

    assert refused_logins(lab, "alpha.test", source) - before == 5
    assert sorted(reply.status for reply in replies) == [401] * 5 + [429] * 35
    assert all(0 < int(reply.headers["Retry-After"]) <= 300
               for reply in replies if reply.status == 429)


async def test_an_unknown_user_and_a_wrong_password_are_refused_no_sooner_than_the_floor(
        lab: dict[str, Any]) -> None:
    source = source_address(lab, 6)
    took = []
    for user, secret in (("nobody@alpha.test", "pw"), ("ann@alpha.test", "not hers")):
        async with api(lab, "alpha.test", user, secret, source) as client:
            started = time.monotonic()
            reply = await client.get("/report", kind="staff", **YEAR)
            took.append((reply.status, time.monotonic() - started))

    assert [status for status, _ in took] == [401, 401]
    assert all(seconds >= REFUSAL_FLOOR_S for _, seconds in took)


async def test_a_control_character_or_a_far_year_in_a_query_is_a_400_naming_the_parameter(
        lab: dict[str, Any]) -> None:
    async with api(lab, "alpha.test", "ann@alpha.test") as ann_api:
        nul_zone = await ann_api.get("/report", kind="staff", **YEAR, zone="\x00")
        escape = await ann_api.get("/dashboard", zone="Europe/\x1bParis")
        long_widget = await ann_api.get("/report", kind="staff", **YEAR, widget="w" * 65)
        far = await ann_api.get("/coops/coop-247/contribution", **{**YEAR, "to": "2101-01-01"})
        nul_coop = await ann_api.get("/coops/coop%00/contribution", **YEAR)
        still_served = await ann_api.get("/report", kind="staff", **YEAR)

    assert [r.status for r in (nul_zone, escape, long_widget, far)] == [400] * 4
    assert "zone" in nul_zone.json()["detail"] and "zone" in escape.json()["detail"]
    assert "widget" in long_widget.json()["detail"] and "to" in far.json()["detail"]
    assert nul_coop.status == 404
    # The librarian's own link to the server outlived all of it.
    assert still_served.status == 200


async def test_coop_views_answer_in_the_openapi_shapes(lab: dict[str, Any]) -> None:
    async with api(lab, "alpha.test", "ann@alpha.test") as ann_api:
        dashboard = await ann_api.get("/dashboard")
        contribution = await ann_api.get("/coops/coop-247/contribution", **YEAR)
        schedule = await ann_api.get("/coops/coop-247/schedule")
        shifts_csv = await ann_api.get("/coops/coop-247/schedule", format="csv")
    async with api(lab, "beta.test", "ben@beta.test") as ben_api:
        bens = await ben_api.get("/coops/coop-local/contribution", **YEAR)
    async with api(lab, "coop.test", "sam@coop.test") as sam_api:
        coordinators = await sam_api.get("/coops/coop-247/contribution", **YEAR)

    levels = {coop["id"]: coop["level"]
              for coop in conforms(dashboard.json(), "Dashboard")["coops"]}
    assert levels == {"coop-local": "coop-admin", "coop-247": "institution-admin"}
    members = conforms(contribution.json(), "Contribution")["members"]
    assert [member["domain"] for member in members] == ["alpha.test"]
    week = conforms(schedule.json(), "Schedule")
    assert week["coop"] == "coop-247" and week["shifts"]
    read = list(csv.DictReader(io.StringIO(shifts_csv.text)))
    assert [row["id"] for row in read] == [str(shift["id"]) for shift in week["shifts"]]
    # A Regular of Beta: his own library's row, and the co-op as a whole.
    assert [m["domain"] for m in conforms(bens.json(), "Contribution")["members"]] == [
        "beta.test"]
    # The 24/7 co-op's coordinator, at the co-op's own host: every member.
    assert sorted(m["domain"] for m in conforms(coordinators.json(), "Contribution")[
        "members"]) == ["alpha.test", "beta.test", "gamma.test"]


def basic(pair: str) -> str:
    return "Basic " + base64.b64encode(pair.encode()).decode()
