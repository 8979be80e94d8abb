"""The demo's past chats: the same every time, each library keeping its own patrons' chats
and each co-op's host the summaries of exactly those chats, answered only by librarians
entitled to answer them, and seeded into real databases that the reports read."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from refdesk.db import create_engine, create_sessionmaker, migrate
from refdesk.db.models import Chat, ChatSummary, MonitoringSession
from refdesk.lab import sample_history
from refdesk.lab.sample import sample_federation
from refdesk.lab.seed import History, seed_site
from refdesk.reports.engine import ReportEngine
from refdesk.reports.facts import Filters, Scope, chat_facts
from refdesk.reports.period import period

UNTIL = datetime(2026, 11, 1, tzinfo=UTC)
FEDERATION = sample_federation()


def test_the_history_is_the_same_every_time_and_within_its_days() -> None:
    first = sample_history.history(FEDERATION, 30, UNTIL)
    again = sample_history.history(FEDERATION, 30, UNTIL)

    assert first == again and len(first) > 50
    assert all(date(2026, 10, 2) <= chat.requested.date() < date(2026, 11, 1) for chat in first)
    assert all(chat.claimed is None or chat.requested < chat.claimed < chat.ended
               for chat in first)


def test_answers_come_from_home_or_from_members_that_staff_the_coops_offered() -> None:
    coops = {coop.id: coop for coop in FEDERATION.coops}
    for chat in sample_history.history(FEDERATION, 60, UNTIL):
        if chat.answerer is None or chat.answerer[2] == chat.home.domain:
            continue
        assert chat.offered, "only a co-op chat is answered elsewhere"
        staffing = {domain for coop in chat.offered for domain, contributing
                    in coops[coop].members if contributing} | {"coop.test"}
        assert chat.answerer[2] in staffing  # never Gamma, a non-contributing member


def test_each_coops_host_is_told_of_every_chat_of_the_widgets_routed_to_it() -> None:
    chats = sample_history.history(FEDERATION, 30, UNTIL)
    alpha = FEDERATION.site("alpha.test")  # hosts coop-local
    told = list(sample_history.summary_rows(alpha, chats))

    assert {(s.home, s.chat_id) for s in told} == {
        (c.home.domain, c.id) for c in chats if "coop-local" in c.routed}
    assert all(s.offered == ("coop-local" in c.offered) for s in told
               for c in chats if c.id == s.chat_id)


async def test_a_seeded_library_reports_its_patrons_chats(tmp_path: object) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/alpha.db"
    await migrate.upgrade(url)
    await seed_site(url, FEDERATION, FEDERATION.site("alpha.test"), History(30, UNTIL))
    ours = [c for c in sample_history.history(FEDERATION, 30, UNTIL)
            if c.home.domain == "alpha.test"]
    engine = create_engine(url)
    try:
        sessions = create_sessionmaker(engine)
        async with sessions() as session:
            counts = [await session.scalar(select(func.count()).select_from(model))
                      for model in (Chat, ChatSummary, MonitoringSession)]
        report = await ReportEngine(sessions, chat_facts("alpha.test")).report(
            "distributions", period("2026-10-01", "2026-10-31", "UTC"), Scope("library"),
            Filters())
    finally:
        await engine.dispose()

    assert counts[0] == len(ours) and counts[1] and counts[2]  # Alpha hosts coop-local
    assert report.chats == len(ours)
