"""The queue on a test stream (tests.components.queue.harness), on a copy of Alpha's lab seed."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from refdesk.db import migrate
from refdesk.lab.sample import sample_federation
from refdesk.lab.seed import seed_site
from tests.components.queue.harness import ALPHA, QueueHarness


async def _seeded(url: str) -> None:
    await migrate.upgrade(url)
    federation = sample_federation()
    await seed_site(url, federation, federation.site(ALPHA))


@pytest.fixture(scope="session")
def alpha_seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Alpha's database as `refdesk lab up` seeds it, migrated and seeded once a session."""
    path = tmp_path_factory.mktemp("seed") / "alpha.db"
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(_seeded(f"sqlite+aiosqlite:///{path}"))
    finally:
        loop.close()
    return path


@pytest.fixture
def queue_db(alpha_seed: Path, tmp_path: Path) -> str:
    """A copy of the seeded database of this test's own."""
    path = tmp_path / "alpha.db"
    shutil.copyfile(alpha_seed, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
def queue_settings() -> dict[str, float]:
    """[queue] settings of the queue under test besides the defaults (a module may say)."""
    return {}


@pytest.fixture
def unstarted(queue_db: str, monkeypatch: pytest.MonkeyPatch,
              queue_settings: dict[str, float]) -> Iterator[QueueHarness]:
    """Alpha's queue on a test stream, not connected yet."""
    harness = QueueHarness(queue_db, monkeypatch, **queue_settings)
    try:
        yield harness
        assert not harness.server.unexpected, f"unexpected iqs: {harness.server.unexpected}"
    finally:
        harness.stop()


@pytest.fixture
def queue(unstarted: QueueHarness) -> Iterator[QueueHarness]:
    """Alpha's queue, started: in its four rooms, nobody monitoring anything yet."""
    unstarted.start()
    yield unstarted
    unstarted.nothing_sent()
