"""A sysadmin's mistakes in a deployment's TOML stop `refdesk` with one clear line, status 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

GOOD = """\
[library]
domain = "alpha.example"
name = "Alpha University Library"
kind = "academic"

[server]
c2s_port = 5222

[components]
secret = "a-real-secret-of-some-length"
"""


def _refdesk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "refdesk", *args],
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize(("toml", "expected"), [
    (GOOD.replace('kind = "academic"', 'kind = "academic'), "invalid TOML at line 4"),
    (GOOD.replace('domain = "alpha.example"\n', ""), "library.domain: missing"),
    (GOOD.replace("c2s_port = 5222", "c2s_port = 70000"),
     "server.c2s_port: must be between 1 and 65535, got 70000"),
    (GOOD.replace("c2s_port = 5222", "c2s_port = 5222\ncolour = 3"),
     "server.colour: unknown key"),
], ids=["bad-toml", "missing-domain", "port-out-of-range", "unknown-key"])
@pytest.mark.parametrize("command", ["serve", "gateway", "check"])
def test_sysadmin_gets_one_line_naming_the_file_and_key_for_a_bad_config(
    tmp_path: Path, command: str, toml: str, expected: str,
) -> None:
    config = tmp_path / "alpha.toml"
    config.write_text(toml)
    result = _refdesk(command, "--config", str(config))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"refdesk: {config}: ")
    assert expected in lines[0]


def test_check_accepts_a_good_config(tmp_path: Path) -> None:
    config = tmp_path / "alpha.toml"
    config.write_text(GOOD)
    result = _refdesk("check", "--config", str(config))
    assert (result.returncode, result.stdout, result.stderr) == (0, "ok: alpha.example\n", "")
