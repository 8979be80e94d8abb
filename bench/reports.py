"""Reports benchmark: each report kind over 1,000,000 generated chats, at a library (its
`chat` table) and at a co-op's registry (its chat summaries), on SQLite and PostgreSQL, each
figure also computed by a plain full scan (every row read, counted in Python) in the same run.

Each backend gets a fresh database migrated to head; the same chats (a year of them, with
claims, endings, ratings, pages and browsers, answered by 60 librarians of 6 libraries) are
bulk-inserted into both tables (PostgreSQL by COPY). Reports are for the whole year in
Europe/Paris: the library's local admin's (every chat), a Co-Op Admin's (every offered
summary) and a Regular's (the chats they answered). Prints the time of each report, of the
scan, their ratio, and whether both gave the same figures; asserts nothing. PostgreSQL is a
throwaway server started the way tests/postgres.py does.

    .venv/bin/python bench/reports.py [--chats 1000000] [--no-postgres] [--no-sqlite]
                                      [--time-bound SECONDS]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# In place of bench/ itself, whose queue.py would shadow the standard library's queue.
sys.path[0] = str(ROOT)

from sqlalchemy import insert  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncEngine  # noqa: E402

from refdesk.db import create_engine, create_sessionmaker, migrate  # noqa: E402
from refdesk.db.models import (  # noqa: E402
    Chat,
    ChatSummary,
    Coop,
    CoopKind,
    Institution,
    InstitutionKind,
    Widget,
)
from refdesk.reports.engine import KINDS, ReportEngine  # noqa: E402
from refdesk.reports.facts import Facts, Filters, Scope, chat_facts, summary_facts  # noqa: E402
from refdesk.reports.figures import Report  # noqa: E402
from refdesk.reports.period import period  # noqa: E402
from refdesk.reports.scan import scan  # noqa: E402
from tests import postgres  # noqa: E402

SEED = 12
YEAR = 2025
BATCH = 20_000
DEADLINE_S = 1500
LIBRARIES = [f"lib{n}.test" for n in range(6)]
LIBRARIANS = [f"op{n}@{LIBRARIES[n % 6]}" for n in range(60)]
BROWSERS = ("Chrome", "Firefox", "Safari", "Edge", "Mobile Safari", None)
SYSTEMS = ("Windows", "Mac OS X", "iOS", "Android", "Linux", None)
DEVICES = ("Other", "iPhone", "Samsung SM-G991B", None)
PAGES = [f"https://lib.test/{path}" for path in ("", "ask", "catalogue", "hours", "help")]


def chats(count: int) -> Iterator[dict[str, Any]]:
    """The chats, as rows of the chat table."""
    rng = random.Random(SEED)
    start, year_s = datetime(YEAR, 1, 1, tzinfo=UTC), 365 * 86400
    for n in range(count):
        asked = start + timedelta(seconds=rng.randrange(year_s))
        claimed = asked + timedelta(seconds=rng.randint(3, 400)) if rng.random() < 0.85 else None
        by = rng.choice(LIBRARIANS) if claimed else None
        yield {"id": f"{n:016x}", "widget_id": "main", "institution_id": 1,
               "patron_jid": "p@guest.lib0.test/w", "question": "?", "created_at": asked,
               "claimed_at": claimed, "claimed_by": by,
               "claimed_institution": by.partition("@")[2] if by else None,
               "ended_at": claimed + timedelta(seconds=rng.randint(30, 2400)) if claimed
               else None,
               "rating": rng.randint(1, 5) if claimed and rng.random() < 0.3 else None,
               "source": rng.choice(PAGES), "browser": rng.choice(BROWSERS),
               "os": rng.choice(SYSTEMS), "device": rng.choice(DEVICES)}


def summary(chat: dict[str, Any]) -> dict[str, Any]:
    """The same chat as a co-op's registry keeps it (one in ten not offered to the co-op)."""
    n = int(chat["id"], 16)
    return {"coop_id": "coop-247", "home": LIBRARIES[n % 6], "chat_id": chat["id"],
            "widget_id": "main", "requested_at": chat["created_at"],
            "claimed_at": chat["claimed_at"], "ended_at": chat["ended_at"] or chat["created_at"],
            "answered_by": chat["claimed_by"], "answered_institution": chat["claimed_institution"],
            "rating": chat["rating"], "offered": n % 10 != 0, "source": chat["source"],
            "browser": chat["browser"], "os": chat["os"], "device": chat["device"]}


def batches(count: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for chat in chats(count):
        batch.append(chat)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


async def setup(engine: AsyncEngine) -> None:
    async with create_sessionmaker(engine)() as session, session.begin():
        session.add(Institution(id=1, domain="lib0.test", name="Lib 0",
                                kind=InstitutionKind.ACADEMIC))
        session.add(Coop(id="coop-247", name="24/7", kind=CoopKind.GLOBAL,
                         host_domain="coop.test", room="r@conference.coop.test",
                         component="coop.coop.test"))
        await session.flush()
        session.add(Widget(id="main", institution_id=1, name="Ask"))


async def fill(engine: AsyncEngine, count: int) -> None:
    """Every chat into both tables: executemany on SQLite, COPY on PostgreSQL."""
    for batch in batches(count):
        summaries = [summary(chat) for chat in batch]
        async with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                raw = (await connection.get_raw_connection()).driver_connection
                assert raw is not None
                for table, rows in (("chat", batch), ("coop_chat_summary", summaries)):
                    columns = list(rows[0])
                    await raw.copy_records_to_table(
                        table, records=[tuple(row[c] for c in columns) for row in rows],
                        columns=columns)
            else:
                await connection.execute(insert(Chat), batch)
                await connection.execute(insert(ChatSummary), summaries)
    async with engine.begin() as connection:
        await connection.exec_driver_sql("ANALYZE")  # the planner's figures, as a live one has


async def timed_report(engine: ReportEngine, kind: str, scope: Scope) -> tuple[float, Report]:
    asked = period(f"{YEAR}-01-01", f"{YEAR}-12-31", "Europe/Paris")
    started = time.perf_counter()
    report = await engine.report(kind, asked, scope, Filters())
    return time.perf_counter() - started, report


def same(first: Report, second: Report) -> bool:
    """The same rows with the same counts and means (to a millisecond: SQLite's julianday
    arithmetic and Python's timedelta round differently)."""
    def figures(report: Report) -> dict[tuple[str, str], tuple[float, ...]]:
        return {(table.name, row.key): (row.figures.chats, row.figures.answered,
                                        row.figures.ratings, row.figures.wait or 0,
                                        row.figures.duration or 0, row.figures.rating or 0)
                for table in report.tables for row in table.rows}
    mine, theirs = figures(first), figures(second)
    return mine.keys() == theirs.keys() and all(
        math.isclose(a, b, abs_tol=1e-3) for key in mine
        for a, b in zip(mine[key], theirs[key], strict=True))


async def measure(backend: str, url: str, count: int, deadline: float) -> None:
    await migrate.upgrade(url)
    engine = create_engine(url)
    try:
        await setup(engine)
        started = time.perf_counter()
        await fill(engine, count)
        print(f"{backend}: {count} chats and their summaries inserted in "
              f"{time.perf_counter() - started:.1f} s")
        sessions = create_sessionmaker(engine)
        sources: list[tuple[str, Facts, Scope]] = [
            ("stats, library", chat_facts("lib0.test"), Scope("library")),
            ("registry, co-op", summary_facts("coop-247"), Scope("coop")),
            ("registry, inst.", summary_facts("coop-247"),
             Scope("institution", institution=LIBRARIES[1])),
            ("registry, mine", summary_facts("coop-247"), Scope("mine", LIBRARIANS[7])),
            ("stats, mine", chat_facts("lib0.test"), Scope("mine", LIBRARIANS[7])),
        ]
        for where, facts, scope in sources:
            for kind in KINDS:
                took, report = await timed_report(ReportEngine(sessions, facts), kind, scope)
                line = f"{backend:<10} {where:<16} {kind:<13} {took * 1000:9.1f} ms"
                if time.monotonic() > deadline:
                    print(f"{line}   (scan skipped: past the time bound)")
                    continue
                scan_started = time.perf_counter()
                scanned = await scan(sessions, facts, kind, period(
                    f"{YEAR}-01-01", f"{YEAR}-12-31", "Europe/Paris"), scope, Filters())
                scan_took = time.perf_counter() - scan_started
                agree = "same figures" if same(scanned, report) else "DIFFERENT"
                print(f"{line}   scan {scan_took * 1000:9.1f} ms   "
                      f"scan/report {scan_took / took:6.1f}x   {report.chats} chats, {agree}")
    finally:
        await engine.dispose()


async def on_postgres(count: int, deadline: float) -> None:
    with postgres._temporary_directory() as root:
        server = postgres._start(postgres.server_binaries(), root)
        try:
            async with postgres.fresh_database(server.url) as url:
                await measure("PostgreSQL", url, count, deadline)
        finally:
            postgres._run_as_server(server.bin_dir / "pg_ctl", "stop", "-D",
                                    str(server.data_dir), "-m", "fast", "-w", cwd=root)


async def run(args: argparse.Namespace) -> None:
    deadline = time.monotonic() + args.time_bound
    print(f"{args.chats} chats over {YEAR}, reports for the year in Europe/Paris")
    if args.sqlite:
        with tempfile.TemporaryDirectory() as directory:
            await measure("SQLite", f"sqlite+aiosqlite:///{directory}/bench.db", args.chats,
                          deadline)
    if args.postgres:
        await on_postgres(args.chats, deadline)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chats", type=int, default=1_000_000)
    parser.add_argument("--no-postgres", dest="postgres", action="store_false")
    parser.add_argument("--no-sqlite", dest="sqlite", action="store_false")
    parser.add_argument("--time-bound", type=float, default=DEADLINE_S,
                        help="seconds after which no more full scans are started")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
