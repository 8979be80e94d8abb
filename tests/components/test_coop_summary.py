"""The chat summary payload: what a home library writes is what a registry reads, the XSD
accepts it, and anything else is refused with a sentence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import xmlschema
from slixmpp import Iq
from slixmpp.xmlstream import tostring

from components.coop import summary
from components.queue.plan import Offer, Plan
from components.queue.routing import Progress, Route, Target
from components.queue.summaries import coops_of, summary_of
from refdesk.db.models import ChatState, EndedBy, TargetKind
from refdesk.db.stores.activity import Summary
from refdesk.db.stores.chats import ChatRecord
from refdesk.db.stores.directory import RouteStep, WidgetInfo
from refdesk.errors import InvalidInput
from refdesk.useragent import Origin

SCHEMA = xmlschema.XMLSchema(str(Path(__file__).parents[2] / "schemas" / "activity.xsd"))
ASKED = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


def _payload(report: Summary) -> summary.SummaryPayload:
    summary.register()
    iq = Iq()
    summary.write(iq["refdesk_summary"], report)
    payload: summary.SummaryPayload = iq["refdesk_summary"]
    return payload


def test_a_summary_travels_whole_and_valid() -> None:
    report = Summary("coop-247", "alpha.test", "c1", "alpha-main", ASKED,
                     ASKED + timedelta(minutes=9), ASKED + timedelta(seconds=40),
                     "bea@beta.test", "beta.test", 5)
    payload = _payload(report)
    SCHEMA.validate(tostring(payload.xml))
    assert summary.read(payload, "alpha.test") == report


def test_an_unclaimed_chat_summary_has_no_one_who_answered() -> None:
    report = Summary("coop-247", "alpha.test", "c2", "alpha-main", ASKED, ASKED)
    payload = _payload(report)
    SCHEMA.validate(tostring(payload.xml))
    assert set(payload.xml.attrib) == {"coop", "chat", "widget", "requested", "ended"}
    assert summary.read(payload, "alpha.test") == report


@pytest.mark.parametrize(("key", "value", "problem"), [
    ("requested", "yesterday", "Not a chat summary"),
    ("ended", "2026-03-02T14:00:00", "time zones"),
    ("rating", "9", "1 to 5"),
    ("widget", "", "names its co-op"),
])
def test_a_malformed_summary_is_refused_with_a_reason(key: str, value: str,
                                                      problem: str) -> None:
    payload = _payload(Summary("coop-247", "alpha.test", "c3", "alpha-main", ASKED, ASKED,
                               rating=3))
    payload[key] = value
    with pytest.raises(InvalidInput, match=problem):
        summary.read(payload, "alpha.test")


def test_a_chat_counts_for_each_coop_it_was_offered_to_once() -> None:
    plan = Plan(Route((), 30, 40.0), Progress(started_at=0.0), (
        Offer("reference@conference.alpha.test", room=True),
        Offer("coop-local@conference.alpha.test", room=True, coop="coop-local"),
        Offer("coop-247@conference.coop.test", room=True, coop="coop-247"),
        Offer("sam@coop.test", room=False, coop="coop-247"),
    ))
    chat = ChatRecord("c4", "alpha-main", "p@guest.alpha.test/w", None, None, "?", None, None,
                      ChatState.ENDED, ASKED, None, None, None, None, ASKED, EndedBy.PATRON,
                      None, plan.to_json(), None)
    assert coops_of(chat) == {"coop-local": True, "coop-247": True}
    assert summary_of(chat, "coop-247", "alpha.test") == Summary(
        "coop-247", "alpha.test", "c4", "alpha-main", ASKED, ASKED)


def test_a_chat_answered_before_a_coops_turn_is_told_to_it_not_offered() -> None:
    route = Route((Target("department", "reference@conference.alpha.test"),
                   Target("coop", "coop-local"), Target("coop", "coop-247", True)), 30, 40.0)
    plan = Plan(route, Progress(started_at=0.0), (
        Offer("reference@conference.alpha.test", room=True),
        Offer("coop-local@conference.alpha.test", room=True, coop="coop-local")))
    chat = ChatRecord("c5", "alpha-main", "p@guest.alpha.test/w", None, None, "?", None, None,
                      ChatState.ENDED, ASKED, None, None, None, None, ASKED, EndedBy.PATRON,
                      None, plan.to_json(), None,
                      Origin("https://lib.example/ask", "Firefox", "Ubuntu", "Other"))
    assert coops_of(chat) == {"coop-local": True, "coop-247": False}
    report = summary_of(chat, "coop-247", "alpha.test", offered=False)
    assert report is not None and not report.offered
    payload = _payload(report)
    SCHEMA.validate(tostring(payload.xml))
    assert payload.xml.get("offered") == "false"
    assert summary.read(payload, "alpha.test") == report


def test_a_summary_with_an_oversized_page_is_refused() -> None:
    payload = _payload(Summary("coop-247", "alpha.test", "c6", "alpha-main", ASKED, ASKED))
    payload["source"] = "https://lib.example/" + "a" * 256
    with pytest.raises(InvalidInput, match="source is at most 256"):
        summary.read(payload, "alpha.test")
    payload["source"], payload["offered"] = "", "perhaps"
    with pytest.raises(InvalidInput, match="offered is true or false"):
        summary.read(payload, "alpha.test")


def test_a_question_left_offline_is_told_to_its_widgets_coops_not_offered() -> None:
    widget = WidgetInfo("alpha-main", "Ask Alpha", 30, (
        RouteStep(TargetKind.DEPARTMENT, "reference@conference.alpha.test", "Reference"),
        RouteStep(TargetKind.COOP, "coop-local", "Valley"),
        RouteStep(TargetKind.COOP, "coop-247", "24/7")), ())
    left = ChatRecord("c7", "alpha-main", "p@guest.alpha.test/w", None, None, "?", None, None,
                      ChatState.LEFT, ASKED, None, None, None, None, ASKED, EndedBy.PATRON,
                      None, {}, None)
    assert coops_of(left, widget) == {"coop-local": False, "coop-247": False}
    assert coops_of(left) == {}
