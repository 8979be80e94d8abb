"""Apply and revert refdesk's Alembic migrations programmatically; no alembic.ini needed.

Each call opens an async engine and runs Alembic on its connection through `run_sync`, so the
functions may be awaited from inside a running event loop (the components, the tests).

To write a new revision against a database at head::

    from alembic import command
    command.revision(config(url), "add faq tables", autogenerate=True, rev_id="0002")

then tidy the generated `versions/0002_add_faq_tables.py` by hand.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import JSON
from sqlalchemy.engine import Connection

from refdesk.db import create_engine

__all__ = [
    "MIGRATIONS", "compare_server_default", "config", "current", "downgrade", "head",
    "include_name", "upgrade",
]

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")
"""The Alembic script directory: env.py, script.py.mako and versions/."""


def head() -> str:
    """The newest revision in the script directory."""
    revision = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert revision is not None, "the migrations directory has no revision"
    return revision


def compare_server_default(context: MigrationContext, inspected_column: Any,
                           metadata_column: Any, inspected_default: str | None,
                           metadata_default: Any, rendered_metadata_default: str | None
                           ) -> bool | None:
    """Alembic's server-default comparison, except for JSON columns: PostgreSQL cannot
    compare json values with '=', so their defaults are compared as text."""
    if not isinstance(metadata_column.type, JSON):
        return None  # alembic's own comparison
    inspected = (inspected_default or "").split("::")[0].strip("'")
    rendered = (rendered_metadata_default or "").strip("'")
    return inspected != rendered


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Leave the full-text search objects of migration 0010 out of schema comparisons:
    the database's own, not models (FTS5's table and its shadow tables; the tsvector column
    and its GIN index)."""
    from refdesk.db.stores.faqsearch import FTS_TABLES, PG_COLUMN, PG_INDEX

    if type_ == "table":
        return name not in FTS_TABLES
    if type_ == "column":
        return not (name == PG_COLUMN and parent_names.get("table_name") == "faq")
    return not (type_ == "index" and name == PG_INDEX)


def config(url: str) -> Config:
    """An Alembic configuration for the database at `url`, built without alembic.ini."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    # ConfigParser interpolates '%', which URL-encoded passwords contain.
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


async def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the database at `url` up to `revision`."""
    await _run(url, command.upgrade, revision)


async def downgrade(url: str, revision: str) -> None:
    """Migrate the database at `url` down to `revision` ("base" removes everything)."""
    await _run(url, command.downgrade, revision)


async def current(url: str) -> str | None:
    """The revision the database at `url` is at; None for an empty database."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_current_revision)
    finally:
        await engine.dispose()


def _current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def _run(url: str, step: Callable[[Config, str], Any], revision: str) -> None:
    engine = create_engine(url)
    try:
        # One transaction: on PostgreSQL a failing revision leaves nothing half-applied.
        async with engine.begin() as connection:
            await connection.run_sync(_run_on, url, step, revision)
    finally:
        await engine.dispose()


def _run_on(connection: Connection, url: str, step: Callable[[Config, str], Any],
            revision: str) -> None:
    cfg = config(url)
    cfg.attributes["connection"] = connection
    log.info("database migration: %s to %s", step.__name__, revision)
    step(cfg, revision)
