"""Shared test configuration: plugins every test package may use.

tests.postgres: a session-wide throwaway PostgreSQL server (`postgres_url`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.gateway.attacks import FileCanary

pytest_plugins = ["tests.postgres"]


@pytest.fixture
def file_canary(tmp_path: Path) -> Iterator[FileCanary]:
    """A path that tells whether anything opened it (tests.gateway.attacks.FileCanary)."""
    canary = FileCanary(tmp_path)
    yield canary
    canary.close()
