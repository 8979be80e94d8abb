"""Integration tests run against a real lab: Prosody servers federating over loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Far from the demo's default 127.0.0.2, so a running demo and the tests never meet;
# REFDESK_TEST_LAB_ADDRESS moves it, so that two test runs can share a machine.
TEST_LAB_BASE_ADDRESS = os.environ.get("REFDESK_TEST_LAB_ADDRESS", "127.0.10.2")
# Routing periods shortened by configuration, as a sysadmin could; the defaults are 30 s / 40 s.
TEST_FALLBACK_S = 2
TEST_STAFF_DELAY_S = 3.0
# Departures seen in seconds rather than the defaults' half minute and quarter hour.
TEST_QUEUE_SETTINGS = {"patron_grace_s": 2.0, "operator_check_s": 1.0,
                       "operator_silence_s": 12.0}


def _refdesk(*args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "refdesk", *args],
                          capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture(scope="session")
def lab_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if existing := os.environ.get("REFDESK_TEST_LAB"):
        return Path(existing)
    return tmp_path_factory.mktemp("lab")


@pytest.fixture(scope="session")
def lab(lab_dir: Path) -> Iterator[dict[str, Any]]:
    """The whole federation, started once for the test session and stopped after it.

    REFDESK_TEST_LAB=<dir> runs the tests against a lab already up in <dir> instead, for
    quick iteration; that lab is left running.
    """
    if existing := os.environ.get("REFDESK_TEST_LAB"):
        yield json.loads((Path(existing) / "lab.json").read_text())
        return
    up = _refdesk("lab", "up", "--dir", str(lab_dir), "--base-address", TEST_LAB_BASE_ADDRESS,
                  "--fallback-s", str(TEST_FALLBACK_S), "--staff-delay-s", str(TEST_STAFF_DELAY_S),
                  *(f"--queue-setting={key}={seconds}"
                    for key, seconds in TEST_QUEUE_SETTINGS.items()),
                  timeout=120)
    if up.returncode != 0:
        _refdesk("lab", "down", "--dir", str(lab_dir), timeout=60)
        pytest.fail(f"refdesk lab up failed:\n{up.stdout}\n{up.stderr}", pytrace=False)
    try:
        yield json.loads((lab_dir / "lab.json").read_text())
    finally:
        _refdesk("lab", "down", "--dir", str(lab_dir), timeout=60)
