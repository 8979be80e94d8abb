"""`refdesk transcripts purge|export`: a sysadmin deletes or anonymises the chats that ended
in a period (a dry run counts them first), or exports them as CSV or JSON.

Dates are YYYY-MM-DD (a whole day: --to includes it) or ISO 8601 date-times (--to excludes
it); a time without a zone is UTC. Bad input is one line, `refdesk: …`, and status 2.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Coroutine
from contextlib import nullcontext
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from refdesk.cliparse import EXIT_BAD_INPUT, OneLineParser, Subparsers, config_subcommand
from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.stores.privacy import Period, PrivacyStore
from refdesk.privacy.export import write_csv, write_json
from refdesk.settings import Settings, load_settings

Work = Callable[[PrivacyStore, argparse.Namespace], Coroutine[Any, Any, str]]


def instant(text: str, is_end: bool = False) -> datetime:
    """A --from or --to value; a date alone is its day's start (its end, for --to)."""
    try:
        if len(text) == 10:
            day = datetime.combine(date.fromisoformat(text), time(), UTC)
            return day + timedelta(days=1) if is_end else day
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date (2026-01-31) nor a date and time "
            "(2026-01-31T09:00:00+00:00)") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def add_commands(commands: Subparsers[argparse.ArgumentParser]) -> None:
    """Add `refdesk transcripts` with purge and export."""
    parser = commands.add_parser("transcripts", help="purge or export the library's chats",
                                 description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    subs = parser.add_subparsers(dest="transcripts_command", required=True,
                                 parser_class=OneLineParser)
    purge = config_subcommand(subs, "purge",
                              "delete or anonymise the chats that ended in a period",
                              partial(_run, _purge))
    purge.add_argument("--from", dest="start", required=True, type=instant)
    purge.add_argument("--to", dest="end", required=True, type=_end)
    action = purge.add_mutually_exclusive_group(required=True)
    action.add_argument("--delete", dest="action", action="store_const", const="delete",
                        help="delete the chats with their transcripts, feedback and tickets")
    action.add_argument("--anonymise", dest="action", action="store_const", const="anonymise",
                        help="strip the patron's name, email, address and browser")
    purge.add_argument("--yes", action="store_true",
                       help="do it; without it, only count what it would change")
    export = config_subcommand(subs, "export", "export the chats that ended in a period",
                              partial(_run, _export))
    export.add_argument("--format", required=True, choices=("csv", "json"))
    export.add_argument("--from", dest="start", type=instant)
    export.add_argument("--to", dest="end", type=_end)
    export.add_argument("--output", type=Path, help="the file to write (default: stdout)")


def _end(text: str) -> datetime:
    return instant(text, is_end=True)


def _run(work: Work, args: argparse.Namespace) -> int:
    if args.start is not None and args.end is not None and args.start >= args.end:
        print("refdesk: transcripts: --from must come before --to", file=sys.stderr)
        return EXIT_BAD_INPUT
    settings = load_settings(args.config)
    output = asyncio.run(_with_store(settings, work, args))
    print(output, file=sys.stderr if args.transcripts_command == "export" else sys.stdout)
    return 0


async def _with_store(settings: Settings, work: Work, args: argparse.Namespace) -> str:
    engine = create_engine(settings.database.url)
    try:
        store = PrivacyStore(create_sessionmaker(engine), settings.retention.batch)
        return await work(store, args)
    finally:
        await engine.dispose()


def _period_text(period: Period) -> str:
    start = period.start.isoformat() if period.start else "the first"
    return f"from {start} to {period.end.isoformat() if period.end else 'now'}"


async def _purge(store: PrivacyStore, args: argparse.Namespace) -> str:
    period = Period(args.start, args.end)
    verb = "deleted" if args.action == "delete" else "anonymised"
    if not args.yes:
        pending = await store.count(period, None if args.action == "delete" else False)
        return (f"{pending} chats that ended {_period_text(period)} would be {verb}; "
                "run again with --yes to do it")
    done = await (store.delete if args.action == "delete" else store.anonymise)(period)
    return f"{verb} {done} chats that ended {_period_text(period)}"


async def _export(store: PrivacyStore, args: argparse.Namespace) -> str:
    period = Period(args.start, args.end)
    write = write_csv if args.format == "csv" else write_json
    opened = (args.output.open("w", encoding="utf-8", newline="") if args.output
              else nullcontext(sys.stdout))
    with opened as out:
        count = await write(store.export(period), out)
    return f"exported {count} chats that ended {_period_text(period)}"
