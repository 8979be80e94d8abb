"""The report engine over a seeded year of chats, on SQLite and PostgreSQL: every figure the
engine gives is computed again here, in plain Python, from the chats as the test made them."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from statistics import mean
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.db.models import (
    Chat,
    ChatCoop,
    ChatSummary,
    Coop,
    CoopKind,
    Institution,
    InstitutionKind,
    Widget,
)
from refdesk.reports.engine import ReportEngine
from refdesk.reports.facts import Filters, Scope, chat_facts, summary_facts
from refdesk.reports.figures import Report
from refdesk.reports.period import period
from refdesk.reports.scan import scan

YEAR = 2025
LIBRARIES = ("alpha.test", "beta.test", "gamma.test")
LIBRARIANS = ("ann@alpha.test", "bob@alpha.test", "bea@beta.test", "gil@gamma.test")
BROWSERS = ("Firefox", "Chrome", "Safari", None)
# Europe/Paris leaves winter time at 01:00 UTC on 30 March 2025 and returns at 01:00 UTC on
# 26 October; chats are crowded around both changes.
DST_CHANGES = (datetime(YEAR, 3, 30, 1, tzinfo=UTC), datetime(YEAR, 10, 26, 1, tzinfo=UTC))


@dataclass(frozen=True)
class Made:
    """A chat as the test made it."""

    id: str
    asked: datetime
    claimed: datetime | None
    ended: datetime | None
    by: str | None
    rating: int | None
    widget: str
    browser: str | None
    coop: bool

    @property
    def institution(self) -> str | None:
        return self.by.partition("@")[2] if self.by else None


def made_chats(count: int) -> list[Made]:
    rng = random.Random(12)
    chats = []
    for n in range(count):
        if n % 5 == 0:  # within three hours of a DST change
            asked = rng.choice(DST_CHANGES) + timedelta(seconds=rng.randint(-10800, 10800))
        else:
            asked = datetime(YEAR, 1, 1, tzinfo=UTC) + timedelta(
                seconds=rng.randint(0, 365 * 86400 - 1))
        claimed = asked + timedelta(seconds=rng.randint(5, 300)) if rng.random() < 0.8 else None
        ended = claimed + timedelta(seconds=rng.randint(60, 1800)) if claimed else None
        by = rng.choice(LIBRARIANS) if claimed else None
        rating = rng.randint(1, 5) if claimed and rng.random() < 0.4 else None
        chats.append(Made(f"c{n}", asked, claimed, ended, by, rating,
                          rng.choice(("alpha-main", "alpha-law")), rng.choice(BROWSERS),
                          rng.random() < 0.5))
    return chats


CHATS = made_chats(1200)


@pytest.fixture
async def engines(sessions: async_sessionmaker[AsyncSession]) -> dict[str, ReportEngine]:
    async with sessions() as session, session.begin():
        alpha = Institution(domain="alpha.test", name="Alpha", kind=InstitutionKind.ACADEMIC)
        session.add_all([alpha, Coop(id="coop-247", name="24/7", kind=CoopKind.GLOBAL,
                                     host_domain="coop.test", room="r@conference.coop.test",
                                     component="coop.coop.test")])
        await session.flush()
        session.add_all([Widget(id=w, institution_id=alpha.id, name=w)
                         for w in ("alpha-main", "alpha-law")])
        await session.flush()
        for chat in CHATS:
            session.add(_chat_row(chat, alpha.id))
            session.add(_summary_row(chat))
            if chat.coop:
                session.add(ChatCoop(chat_id=chat.id, coop_id="coop-247"))
    return {"chat": ReportEngine(sessions, chat_facts("alpha.test")),
            "summary": ReportEngine(sessions, summary_facts("coop-247"))}


def _chat_row(chat: Made, institution: int) -> Chat:
    return Chat(id=chat.id, widget_id=chat.widget, institution_id=institution,
                patron_jid="p@guest.alpha.test/w", question="?", created_at=chat.asked,
                claimed_at=chat.claimed, ended_at=chat.ended, claimed_by=chat.by,
                claimed_institution=chat.institution, rating=chat.rating,
                browser=chat.browser, source="https://alpha.test/ask" if chat.coop else None)


def _summary_row(chat: Made) -> ChatSummary:
    # The co-op's summaries: the half of the chats it was offered, and a few it was not.
    home = LIBRARIES[int(chat.id[1:]) % 3]
    return ChatSummary(coop_id="coop-247", home=home, chat_id=chat.id, widget_id=chat.widget,
                       requested_at=chat.asked, claimed_at=chat.claimed,
                       ended_at=chat.ended or chat.asked, answered_by=chat.by,
                       answered_institution=chat.institution, rating=chat.rating,
                       offered=chat.coop, browser=chat.browser)


Figures = tuple[int, int, float | None, float | None, int, float | None]
Expected = dict[str, dict[str, Figures]]
"""table -> key -> (chats, answered, mean wait, mean duration, ratings, mean rating)."""


def expected(chats: list[Made], keys_of: dict[str, object]) -> Expected:
    grouped: dict[str, dict[str, list[Made]]] = defaultdict(lambda: defaultdict(list))
    for chat in chats:
        for table, key_of in keys_of.items():
            key = key_of(chat)  # type: ignore[operator]
            if key is not None:
                grouped[table][key].append(chat)
    return {table: {key: _figures(found) for key, found in rows.items()}
            for table, rows in grouped.items()}


def _figures(chats: list[Made]) -> Figures:
    waits = [(c.claimed - c.asked).total_seconds() for c in chats if c.claimed]
    lasted = [(c.ended - c.claimed).total_seconds() for c in chats if c.claimed and c.ended]
    rated = [c.rating for c in chats if c.rating is not None]
    wait, duration = (mean(waits) if waits else None), (mean(lasted) if lasted else None)
    return len(chats), len(waits), wait, duration, len(rated), mean(rated) if rated else None


def figures_of(report: Report) -> Expected:
    found: Expected = {}
    for table in report.tables:
        found[table.name] = {}
        for row in table.rows:
            f = row.figures
            found[table.name][row.key] = (f.chats, f.answered, f.wait, f.duration, f.ratings,
                                          f.rating)
    return found


def assert_same(found: Expected, wanted: Expected, zeros: bool = False) -> None:
    for table, rows in found.items():
        shown = {k: v for k, v in rows.items() if v[0] or not zeros}
        assert shown.keys() == wanted.get(table, {}).keys(), table
        for key, figures in shown.items():
            assert figures == pytest.approx(wanted[table][key], abs=1e-3), (table, key)


def in_period(chats: list[Made], first: date, last: date, zone: ZoneInfo) -> list[Made]:
    return [c for c in chats if first <= c.asked.astimezone(zone).date() <= last]


def local_keys(zone: ZoneInfo) -> dict[str, object]:
    def local(chat: Made) -> datetime:
        return chat.asked.astimezone(zone)
    return {"month": lambda c: local(c).strftime("%Y-%m"),
            "weekday": lambda c: str(local(c).isoweekday()),
            "hour": lambda c: local(c).strftime("%H"),
            "day-hour": lambda c: f"{local(c).isoweekday()}-{local(c):%H}"}


@pytest.mark.parametrize("zone", ["Europe/Paris", "Asia/Kolkata", "UTC"])
async def test_distributions_of_a_year_match_counting_each_chat_in_the_askers_zone(
        engines: dict[str, ReportEngine], zone: str) -> None:
    asked = period(f"{YEAR}-01-01", f"{YEAR}-12-31", zone)
    report = await engines["chat"].report("distributions", asked, Scope("library"), Filters())
    chats = in_period(CHATS, asked.first, asked.last, asked.zone)
    assert report.chats == len(chats)
    assert_same(figures_of(report), expected(chats, local_keys(asked.zone)), zeros=True)
    assert [len(table.rows) for table in report.tables] == [12, 7, 24, 168]


async def test_the_dst_change_moves_the_paris_hours_of_the_same_chats(
        engines: dict[str, ReportEngine]) -> None:
    spring = period(f"{YEAR}-03-30", f"{YEAR}-03-30", "Europe/Paris")
    report = await engines["chat"].report("distributions", spring, Scope("library"), Filters())
    hours = {row.key: row.figures.chats for row in report.tables[2].rows}
    assert hours["02"] == 0  # 02:00-03:00 does not exist in Paris that night
    chats = in_period(CHATS, spring.first, spring.last, spring.zone)
    assert sum(hours.values()) == len(chats) > 0


async def test_sources_and_staff_match_and_leave_unanswered_chats_out_of_staff(
        engines: dict[str, ReportEngine]) -> None:
    year = period(f"{YEAR}-01-01", f"{YEAR}-12-31", "UTC")
    sources = await engines["chat"].report("sources", year, Scope("library"), Filters())
    assert_same({"browser": figures_of(sources)["browser"],
                 "source": figures_of(sources)["source"]},
                expected(CHATS, {"browser": lambda c: c.browser or "Other",
                                 "source": lambda c: "https://alpha.test/ask" if c.coop
                                 else "Other"}))
    staff = await engines["chat"].report("staff", year, Scope("library"), Filters())
    assert staff.chats == len(CHATS)
    assert_same(figures_of(staff), expected(CHATS, {"user": lambda c: c.by,
                                                     "institution": lambda c: c.institution}))


async def test_scopes_and_filters_only_narrow(engines: dict[str, ReportEngine]) -> None:
    year = period(f"{YEAR}-01-01", f"{YEAR}-12-31", "UTC")
    mine = await engines["chat"].report("staff", year, Scope("mine", answered_by=LIBRARIANS[2]),
                                        Filters(widget="alpha-law"))
    wanted = [c for c in CHATS if c.by == LIBRARIANS[2] and c.widget == "alpha-law"]
    assert mine.chats == len(wanted) > 0
    assert [row.key for row in mine.tables[0].rows] == [LIBRARIANS[2]]
    in_coop = await engines["chat"].report("staff", year, Scope("library"),
                                           Filters(coop="coop-247", institution="beta.test"))
    assert in_coop.chats == len([c for c in CHATS if c.coop and c.institution == "beta.test"])
    elsewhere = await engines["chat"].report("staff", year, Scope("library"),
                                             Filters(coop="coop-other"))
    assert elsewhere.chats == 0


async def test_the_coops_reports_count_only_offered_summaries_within_the_institution_scope(
        engines: dict[str, ReportEngine]) -> None:
    year = period(f"{YEAR}-01-01", f"{YEAR}-12-31", "Asia/Kolkata")
    report = await engines["summary"].report("staff", year, Scope("institution",
                                                                  institution="gamma.test"),
                                             Filters())
    chats = [c for c in in_period(CHATS, year.first, year.last, year.zone) if c.coop and (
        c.institution == "gamma.test" or LIBRARIES[int(c.id[1:]) % 3] == "gamma.test")]
    assert report.chats == len(chats)
    assert_same(figures_of(report), expected(chats, {"user": lambda c: c.by,
                                                      "institution": lambda c: c.institution}))
    other = await engines["summary"].report("staff", year, Scope("coop"), Filters(coop="x"))
    assert other.chats == 0


@pytest.mark.parametrize("kind", ["distributions", "sources", "staff"])
async def test_the_full_scan_gives_the_engines_figures(
        sessions: async_sessionmaker[AsyncSession], engines: dict[str, ReportEngine],
        kind: str) -> None:
    asked = period(f"{YEAR}-02-01", f"{YEAR}-11-30", "Asia/Kolkata")
    for engine in engines.values():
        grouped = await engine.report(kind, asked, Scope("coop"), Filters())
        scanned = await scan(sessions, engine.facts, kind, asked, Scope("coop"), Filters())
        assert scanned.chats == grouped.chats
        assert_same(figures_of(grouped), figures_of(scanned))
