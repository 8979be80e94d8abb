"""Who sees what at stats.<library>, and reports as sent on the wire (valid against
schemas/stats.xsd) and as text."""

from __future__ import annotations

from pathlib import Path

import pytest
import xmlschema
from slixmpp.xmlstream import ET, tostring

from components.stats.askers import NOT_STAFF, scope
from components.stats.reporttext import read_words, report_text
from components.stats.wire import NS, read_report, report_element
from refdesk.db.stores.directory import Directory, OperatorInfo
from refdesk.errors import InvalidInput, NotPermitted
from refdesk.reports.facts import Scope
from refdesk.reports.figures import Figures, Report, Row, Table

SCHEMA = xmlschema.XMLSchema(str(Path(__file__).parents[3] / "schemas" / "stats.xsd"))
ALPHA = Directory(
    "alpha.test", "Alpha", 1, {}, {}, {}, {},
    {"abe@alpha.test": OperatorInfo("abe@alpha.test", "Abe", "Abe", True),
     "ali@alpha.test": OperatorInfo("ali@alpha.test", "Ali", "Ali", True, local_admin=True),
     "amy@alpha.test": OperatorInfo("amy@alpha.test", "Amy", "Amy", False),
     "ada@alpha.test": OperatorInfo("ada@alpha.test", "Ada", "Ada", False, local_admin=True)},
    {})


@pytest.mark.parametrize(("asker", "seen"), [
    ("ali@alpha.test", Scope("library")),
    ("abe@alpha.test", Scope("mine", answered_by="abe@alpha.test")),
    # Local admin rights stand on their own, as in the FAQ and the archive.
    ("ada@alpha.test", Scope("library")),
])
def test_local_admins_see_the_library_and_operators_their_own(asker: str, seen: Scope) -> None:
    assert scope(ALPHA, asker) == seen


@pytest.mark.parametrize("asker", ["x@guest.alpha.test", "bea@beta.test", "alpha.test",
                                   "amy@alpha.test"])
def test_patrons_other_libraries_librarians_and_switched_off_operators_are_refused(
        asker: str) -> None:
    with pytest.raises(NotPermitted) as refused:
        scope(ALPHA, asker)
    assert str(refused.value) == NOT_STAFF


def test_a_report_is_sent_as_stats_xsd_says_and_read_as_text() -> None:
    asked = read_report(ET.Element(f"{{{NS}}}report", {
        "kind": "staff", "from": "2026-03-01", "to": "2026-03-31", "zone": "Asia/Kolkata",
        "coop": "coop-247"}))
    answered = Figures(chats=3, answered=2, wait_s=30.0, durations=2, duration_s=600.0,
                       ratings=1, rating_sum=4)
    report = Report("staff", (Table("user", (Row("abe@alpha.test", answered, "Abe"),)),
                              Table("institution", ())), 3)
    sent = report_element(asked, report, Scope("library"))
    SCHEMA.validate(tostring(sent))
    row = sent.find(f"{{{NS}}}table/{{{NS}}}row")
    assert row is not None and row.attrib == {
        "key": "abe@alpha.test", "label": "Abe", "chats": "3", "answered": "2", "ratings": "1",
        "wait": "15.00", "duration": "300.00", "rating": "4.00"}
    text = report_text(sent)
    assert "Abe (abe@alpha.test), 3 chats, 2 answered, wait 15 s" in text
    assert "institution:\n  (no chats)" in text


@pytest.mark.parametrize(("words", "said"), [
    ("pie", "kind is one of"), ("staff 2026-13-01", "date like"), ("", "kind is one of"),
])
def test_typed_reports_refuse_nonsense_with_a_sentence(words: str, said: str) -> None:
    with pytest.raises(InvalidInput, match=said):
        read_words(words)


def test_a_typed_report_defaults_to_this_month() -> None:
    asked = read_words("distributions")
    assert asked.period.first.day == 1 and asked.filters.coop is None
    assert read_words("staff 2026-01-01 2026-01-31 coop-247").filters.coop == "coop-247"
