"""Storage: async SQLAlchemy engines and sessions on SQLite (aiosqlite) or PostgreSQL (asyncpg).

The models live in `refdesk.db.models`, schema changes in `refdesk.db.migrations` (applied
with `refdesk.db.migrate`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as _create_async_engine

__all__ = ["create_engine", "create_sessionmaker"]


def create_engine(url: str) -> AsyncEngine:
    """An async engine for `url`; SQLite connections get foreign key enforcement."""
    engine = _create_async_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _enable_sqlite_foreign_keys)
    return engine


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions whose objects stay readable after commit (no implicit reload in async code)."""
    return async_sessionmaker(engine, expire_on_commit=False)


def _enable_sqlite_foreign_keys(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        # SQLite ignores REFERENCES and ON DELETE unless each connection asks for them.
        cursor.execute("PRAGMA foreign_keys = ON")
        # A server's settings: writers no longer block readers, and a commit no longer waits
        # for fsync (WAL with synchronous=NORMAL survives a crash of refdesk, not of the
        # machine's power); concurrent writers wait their turn instead of failing.
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA busy_timeout = 10000")
    finally:
        cursor.close()
