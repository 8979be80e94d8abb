"""FAQ search benchmark: the store's full-text search over 10,000 FAQs of one library
against a plain LIKE scan of the same FAQs, on SQLite (FTS5) and PostgreSQL (a GIN
text-search index), in one run.

Each backend gets a fresh database migrated to head and the same 10,000 generated FAQs (one
library, public, 24/7 Staffing and internal groups); the same searches (one to three words,
the last often a prefix being typed, as the widget sends them) run one at a time as co-op
staff would (public and staffing groups), first through the index, then through the scan.
PostgreSQL is a throwaway server started the way tests/postgres.py does. Prints p50 and p99
per backend and the scan-to-index ratios; asserts nothing.

    .venv/bin/python bench/faq_search.py [--faqs 10000] [--searches 300] [--no-postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# In place of bench/ itself, whose queue.py would shadow the standard library's queue.
sys.path[0] = str(ROOT)

from refdesk.db import create_engine, create_sessionmaker, migrate  # noqa: E402
from refdesk.db.models import Availability, Institution, InstitutionKind  # noqa: E402
from refdesk.db.stores.faqs import FaqStore, ImportRow  # noqa: E402
from tests import postgres  # noqa: E402

SEED = 11
VOCABULARY = 3000
LIMIT = 10
DEADLINE_S = 600
STAFF = frozenset({Availability.PUBLIC, Availability.STAFFING})
COMMON = ("renew", "book", "loan", "database", "access", "campus", "library", "card",
          "print", "room", "hours", "holiday", "fine", "interlibrary", "reserve", "login")
GROUPS = (("Public", Availability.PUBLIC, 0.6), ("24/7 Staffing", Availability.STAFFING, 0.2),
          ("Desk notes", Availability.INTERNAL, 0.2))


def vocabulary(rng: random.Random) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    made = {"".join(rng.choices(letters, k=rng.randint(3, 10))) for _ in range(VOCABULARY)}
    return list(COMMON) + sorted(made)


def sentence(rng: random.Random, words: list[str], length: int) -> str:
    # Zipf-like, as in real text: the first words (the library's common ones) most often.
    weights = [1 / (rank + 1) for rank in range(len(words))]
    return " ".join(rng.choices(words, weights=weights, k=length)).capitalize()


def faqs(count: int, rng: random.Random, words: list[str]) -> list[ImportRow]:
    rows = []
    for n in range(count):
        name, availability, _ = rng.choices(GROUPS, weights=[g[2] for g in GROUPS])[0]
        rows.append(ImportRow(n + 2, name, availability, sentence(rng, words, 8) + "?",
                              sentence(rng, words, 60) + ".", " ".join(rng.choices(words, k=3))))
    return rows


def searches(count: int, rng: random.Random, words: list[str]) -> list[str]:
    made = []
    for _ in range(count):
        typed = rng.choices(words, k=rng.randint(1, 3))
        if rng.random() < 0.5:  # the last word still being typed: its first 3 letters or more
            typed[-1] = typed[-1][:rng.randint(3, max(3, len(typed[-1])))]
        made.append(" ".join(typed))
    return made


async def timed(run: Callable[[str], Awaitable[object]], words: list[str],
                deadline: float) -> list[float]:
    samples = []
    for typed in words:
        if time.monotonic() > deadline:
            break
        started = time.perf_counter()
        await run(typed)
        samples.append(time.perf_counter() - started)
    return samples


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def describe(name: str, samples: list[float]) -> str:
    p50, p99 = percentile(samples, 0.5) * 1000, percentile(samples, 0.99) * 1000
    mean = statistics.fmean(samples) * 1000
    return (f"{name:<34} p50 {p50:8.2f} ms   p99 {p99:8.2f} ms   mean {mean:8.2f} ms   "
            f"n={len(samples)}")


async def measure(backend: str, url: str, rows: list[ImportRow], typed: list[str],
                  deadline: float) -> None:
    await migrate.upgrade(url)
    engine = create_engine(url)
    try:
        sessions = create_sessionmaker(engine)
        async with sessions() as session, session.begin():
            home = Institution(domain="alpha.test", name="Alpha", kind=InstitutionKind.ACADEMIC)
            session.add(home)
            await session.flush()
            home_id = home.id
        store = FaqStore(sessions, home_id)
        await store.import_rows(rows, None)
        await timed(lambda w: store.search(w, STAFF, LIMIT), typed[:20], deadline)  # warm up
        indexed = await timed(lambda w: store.search(w, STAFF, LIMIT), typed, deadline)
        scanned = await timed(lambda w: store.scan(w, STAFF, LIMIT), typed, deadline)
    finally:
        await engine.dispose()
    print(describe(f"{backend}: full-text search", indexed))
    print(describe(f"{backend}: LIKE scan", scanned))
    for share, label in ((0.5, "p50"), (0.99, "p99")):
        ratio = percentile(scanned, share) / percentile(indexed, share)
        print(f"{backend}: LIKE scan / full-text search at {label}: {ratio:.1f}x")


async def on_postgres(rows: list[ImportRow], typed: list[str], deadline: float) -> None:
    with postgres._temporary_directory() as root:
        server = postgres._start(postgres.server_binaries(), root)
        try:
            async with postgres.fresh_database(server.url) as url:
                await measure("PostgreSQL", url, rows, typed, deadline)
        finally:
            postgres._run_as_server(server.bin_dir / "pg_ctl", "stop", "-D",
                                    str(server.data_dir), "-m", "fast", "-w", cwd=root)


async def run(args: argparse.Namespace) -> None:
    rng = random.Random(SEED)
    words = vocabulary(rng)
    rows, typed = faqs(args.faqs, rng, words), searches(args.searches, rng, words)
    deadline = time.monotonic() + DEADLINE_S
    print(f"{len(rows)} FAQs of one library; {len(typed)} searches, at most {LIMIT} results "
          "each, as co-op staff (public and 24/7 Staffing groups)")
    with tempfile.TemporaryDirectory() as directory:
        await measure("SQLite", f"sqlite+aiosqlite:///{directory}/bench.db", rows, typed,
                      deadline)
    if args.postgres:
        await on_postgres(rows, typed, deadline)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--faqs", type=int, default=10_000)
    parser.add_argument("--searches", type=int, default=300)
    parser.add_argument("--no-postgres", dest="postgres", action="store_false")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
