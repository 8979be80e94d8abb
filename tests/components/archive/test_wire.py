"""The archive's replies are what archive.xsd says, with every optional part present or not;
bad search input is refused with a clear text."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import xmlschema
from slixmpp.xmlstream import ET, tostring

from components.archive.stanzas import NS, RSM
from components.archive.wire import page_element, read_paging, read_search, transcript_element
from refdesk.db.models import ChatState, Sender
from refdesk.db.stores.transcripts import Feedback, Line, Page, Summary, Transcript
from refdesk.errors import InvalidInput

SCHEMA = xmlschema.XMLSchema(str(Path(__file__).parents[3] / "schemas" / "archive.xsd"))
AT = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
FULL = Summary("c1", "alpha-main", "Ask Alpha", ChatState.ENDED, AT, "Hours?", claimed=AT,
               ended=AT, patron="Pat", librarian="ben@beta.test", nick="Ben",
               institution="beta.test", coops=("coop-247", "coop-local"), rating=4, feedback=2,
               followup=True)
BARE = Summary("c2", "alpha-main", "Ask Alpha", ChatState.CANCELLED, AT, "Gone?",
               patron="Pat", anonymised=True)


def test_a_page_of_summaries_with_its_rsm_set_is_valid() -> None:
    made = page_element(Page([FULL, BARE], 7, "a~c1", "b~c2"), "alpha.test")
    SCHEMA.validate(tostring(made))
    first, second = made.findall(f"{{{NS}}}summary")
    assert (first.get("rating"), first.get("feedback"), first.get("coops")) == (
        "4", "2", "coop-247 coop-local")
    assert second.get("patron") is None  # anonymised: the name is not shown
    assert made.findtext(f"{{{RSM}}}set/{{{RSM}}}count") == "7"


def test_an_empty_page_is_valid_and_counts_nothing() -> None:
    made = page_element(Page([], 0, None, None), "alpha.test")
    SCHEMA.validate(tostring(made))
    assert made.find(f"{{{RSM}}}set/{{{RSM}}}first") is None


@pytest.mark.parametrize("summary", [FULL, BARE])
def test_a_transcript_in_full_is_valid(summary: Summary) -> None:
    chat = Transcript(summary, "pat@example.org", "https://alpha.test/", "Firefox",
                      (Line(1, AT, Sender.PATRON, "Pat", "Hours?", None),
                       Line(2, AT, Sender.OPERATOR, "Ben", "Nine to five", AT),
                       Line(3, AT, Sender.OPERATOR, "Ben", "Reserves: 2 hours.", None,
                            "reserves")),
                      "Thanks", (Feedback("ann@alpha.test", AT, "Good", 5),
                                 Feedback("amy@alpha.test", AT, "Fine", None)))
    made = transcript_element(chat, "alpha.test", ("edit", "delete"))
    SCHEMA.validate(tostring(made))
    assert made.get("may") == "edit delete"
    assert [line.get("script") for line in made.findall(f"{{{NS}}}line")] == [
        None, None, "reserves"]
    assert (made.find(f"{{{NS}}}patron") is None) == summary.anonymised


def _request(xml: str) -> ET.Element:
    return ET.fromstring(f"<transcripts xmlns='{NS}' xmlns:rsm='{RSM}'>{xml}</transcripts>")


def test_a_search_and_its_paging_are_read() -> None:
    request = _request("<filter start='2026-03-01T00:00:00Z' coop='coop-247' rating='3'>"
                       "<text> thesis </text></filter>"
                       "<rsm:set><rsm:max>5</rsm:max><rsm:after>x~c1</rsm:after></rsm:set>")
    search, paging = read_search(request), read_paging(request)
    assert (search.start, search.coop, search.rating, search.text) == (
        datetime(2026, 3, 1, tzinfo=UTC), "coop-247", 3, "thesis")
    assert (paging.max, paging.after, paging.before) == (5, "x~c1", None)


@pytest.mark.parametrize(("xml", "says"), [
    ("<filter start='yesterday'/>", "not a date"),
    ("<filter rating='6'/>", "from 1 to 5"),
    (f"<filter><text>{'x' * 201}</text></filter>", "at most 200"),
    ("<rsm:set><rsm:max>many</rsm:max></rsm:set>", "whole number"),
])
def test_bad_search_input_is_refused_saying_what_is_wrong(xml: str, says: str) -> None:
    request = _request(xml)
    with pytest.raises(InvalidInput, match=says):
        read_search(request)
        read_paging(request)
