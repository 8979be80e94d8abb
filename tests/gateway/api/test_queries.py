"""Query strings become valid stats.xsd and schedule.xsd requests, or a clear 400."""

from __future__ import annotations

import datetime
from pathlib import Path
from xml.etree.ElementTree import tostring

import pytest
import xmlschema

from gateway.api import queries
from gateway.api.problems import Problem

SCHEMAS = Path(__file__).parents[3] / "schemas"
STATS = xmlschema.XMLSchema(str(SCHEMAS / "stats.xsd"))
SCHEDULE = xmlschema.XMLSchema(str(SCHEMAS / "schedule.xsd"))


def test_a_library_report_query_is_a_valid_request_with_its_filters() -> None:
    element = queries.report({"kind": "sources", "from": "2026-01-01", "to": "2026-03-31",
                              "zone": "America/Toronto", "coop": "coop-247",
                              "widget": "alpha-main", "format": "csv"})

    STATS.validate(tostring(element))
    assert element.attrib == {"kind": "sources", "from": "2026-01-01", "to": "2026-03-31",
                              "zone": "America/Toronto", "coop": "coop-247",
                              "widget": "alpha-main"}


def test_a_coop_report_takes_its_coop_from_the_path_not_the_query() -> None:
    with pytest.raises(Problem) as refused:
        queries.report({"kind": "staff", "from": "2026-01-01", "to": "2026-01-02",
                        "coop": "other"}, coop="coop-247")

    assert refused.value.status == 400 and "'coop'" in refused.value.detail
    element = queries.report({"kind": "staff", "from": "2026-01-01", "to": "2026-01-02"},
                             coop="coop-247")
    assert element.get("coop") == "coop-247"


@pytest.mark.parametrize(("query", "sentence"), [
    ({"from": "2026-01-01", "to": "2026-01-02"}, "kind must be one of"),
    ({"kind": "all", "from": "2026-01-01", "to": "2026-01-02"}, "kind must be one of"),
    ({"kind": "staff", "to": "2026-01-02"}, "from must be a date"),
    ({"kind": "staff", "from": "2026-1-1", "to": "2026-01-02"}, "from must be a date"),
    ({"kind": "staff", "from": "2026-01-03", "to": "2026-01-02"}, "to must not be before"),
    ({"kind": "staff", "from": "2026-01-01", "to": "2026-01-02", "zone": "x" * 65},
     "zone must be 1 to 64"),
    ({"kind": "staff", "from": "2026-01-01", "to": "2026-01-02", "format": "xls"},
     "format must be one of"),
    ({"kind": "staff", "from": "2026-01-01", "to": "2026-01-02", "limit": "5"},
     "Unknown parameter 'limit'"),
    ({"kind": "staff", "from": "2026-01-01", "to": "2026-01-02", "zone": "\x00"},
     "zone must not contain control characters"),
    ({"kind": "staff", "from": "2026-01-01", "to": "2026-01-02", "widget": "a\x1bb"},
     "widget must not contain control characters"),
    ({"kind": "staff", "from": "2026-01-01", "to": "2026-01-02", "coop": "\ufffe"},
     "coop must not contain control characters"),
    ({"kind": "staff\x00", "from": "2026-01-01", "to": "2026-01-02"},
     "kind must not contain control characters"),
    ({"kind": "staff", "from": "2026-01-01", "to": "2026-01-02", "widget": "w" * 65},
     "widget must be 1 to 64"),
    ({"kind": "staff", "from": "2026-01-0\x00", "to": "2026-01-02"},
     "from must not contain control characters"),
    ({"kind": "staff", "from": "2026-01-01", "to": "2026-01-02" + "0" * 100},
     "to must be a date"),
    ({"kind": "staff", "from": "1999-12-31", "to": "2026-01-02"},
     "from must be a date from 2000 to 2100"),
    ({"kind": "staff", "from": "2026-01-01", "to": "2101-01-01"},
     "to must be a date from 2000 to 2100"),
])
def test_a_bad_query_gets_a_sentence_saying_what_is_wrong(query: dict[str, str],
                                                          sentence: str) -> None:
    with pytest.raises(Problem) as refused:
        queries.report(query)

    assert refused.value.status == 400 and sentence in refused.value.detail


def test_activity_contribution_and_dashboard_requests_are_valid() -> None:
    period = {"from": "2026-01-01", "to": "2026-01-31"}
    for element in (queries.activity({"kind": "institutions", **period}, "coop-247"),
                    queries.contribution(period, "coop-247"),
                    queries.dashboard({"zone": "Europe/Paris"})):
        STATS.validate(tostring(element))


def test_a_schedule_is_asked_for_the_monday_of_the_week_given_or_of_today() -> None:
    thursday = datetime.date(2026, 11, 26)

    asked = queries.schedule({"week": "2026-11-29"}, "coop-247", thursday)
    this_week = queries.schedule({}, "coop-247", thursday)

    SCHEDULE.validate(tostring(asked))
    assert asked.get("week") == "2026-11-23" and this_week.get("week") == "2026-11-23"


def test_a_week_outside_the_years_served_or_with_control_characters_is_a_400() -> None:
    for week in ("1970-01-01", "9999-12-31", "2026-11-2\x00"):
        with pytest.raises(Problem) as refused:
            queries.schedule({"week": week}, "coop-247", datetime.date(2026, 11, 26))
        assert refused.value.status == 400 and "week must" in refused.value.detail


def test_only_what_could_be_an_id_is_looked_up_as_a_coop() -> None:
    assert queries.is_slug("coop-247")
    assert not any(queries.is_slug(v) for v in ("", "c" * 65, "coop\x00", "a\ud800"))
