"""`refdesk faq import FILE | export [FILE]`: a library's FAQs as CSV (group, availability,
question, answer, keywords), read from or written to its database directly, for files too
large for the console. An import is every row or none: a bad row is one line naming it,
`refdesk: …`, and status 2."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Coroutine
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import select

from refdesk import faqcsv
from refdesk.cliparse import EXIT_BAD_INPUT, OneLineParser, Subparsers, config_subcommand
from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.models import Institution
from refdesk.db.stores.faqs import FaqStore
from refdesk.errors import RefdeskError
from refdesk.settings import load_settings

Work = Callable[[FaqStore, argparse.Namespace], Coroutine[Any, Any, str]]


def add_commands(commands: Subparsers[argparse.ArgumentParser]) -> None:
    """Add `refdesk faq` with import and export."""
    parser = commands.add_parser("faq", help="import or export the library's FAQs as CSV",
                                 description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    subs = parser.add_subparsers(dest="faq_command", required=True, parser_class=OneLineParser)
    imports = config_subcommand(subs, "import",
                                "add the FAQs of a CSV file, making groups as needed",
                                partial(_run, _import))
    imports.add_argument("file", type=Path, help="the CSV file (UTF-8)")
    exports = config_subcommand(subs, "export", "write every FAQ of every group as CSV",
                                partial(_run, _export))
    exports.add_argument("file", type=Path, nargs="?", help="the file (default: stdout)")


def _run(work: Work, args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    try:
        said = asyncio.run(_with_store(settings.database.url, settings.library.domain, work,
                                       args))
    except (RefdeskError, OSError, UnicodeDecodeError) as refused:
        print(f"refdesk: faq {args.faq_command}: {refused}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(said, file=sys.stderr)
    return 0


async def _with_store(url: str, domain: str, work: Work, args: argparse.Namespace) -> str:
    engine = create_engine(url)
    try:
        sessions = create_sessionmaker(engine)
        async with sessions() as session:
            home = await session.scalar(select(Institution.id)
                                        .where(Institution.domain == domain))
        if home is None:
            raise RefdeskError(f"the database has no institution {domain}; seed it first")
        return await work(FaqStore(sessions, home), args)
    finally:
        await engine.dispose()


async def _import(store: FaqStore, args: argparse.Namespace) -> str:
    rows = faqcsv.read(Path(args.file).read_text(encoding="utf-8"))
    imported = await store.import_rows(rows, None)
    return f"imported {imported.faqs} FAQs ({imported.groups} new groups)"


async def _export(store: FaqStore, args: argparse.Namespace) -> str:
    faqs = await store.export()
    text = faqcsv.write(faqs)
    if args.file is None:
        sys.stdout.write(text)
    else:
        Path(args.file).write_text(text, encoding="utf-8", newline="")
    return f"exported {len(faqs)} FAQs"
