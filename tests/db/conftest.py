"""Database fixtures: every test runs once on SQLite and once on PostgreSQL, each time on a
fresh, empty database of its own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from refdesk.db import create_engine, create_sessionmaker, migrate
from tests.postgres import fresh_database


@pytest.fixture(params=["sqlite", "postgresql"])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """URL of an empty database of its own for this test."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'refdesk.db'}"
        return
    # Looked up lazily so that `-k sqlite` runs never start a server.
    server_url: str = request.getfixturevalue("postgres_url")
    async with fresh_database(server_url) as url:
        yield url


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on a database migrated to head (so tests exercise the migrated schema)."""
    await migrate.upgrade(db_url)
    engine = create_engine(db_url)
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions on the migrated database."""
    return create_sessionmaker(engine)
