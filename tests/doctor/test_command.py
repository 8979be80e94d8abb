"""`refdesk doctor` on the command line: 2 and one `refdesk:` line on bad input, 1 when a
check fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from refdesk.cli import main


def test_a_missing_refdesk_toml_is_bad_input(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["doctor", "--config", str(tmp_path / "nope.toml")]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (f"refdesk: {tmp_path / 'nope.toml'}: no such file; name the deployment's "
                   "refdesk.toml (e.g. /etc/refdesk/refdesk.toml)\n")


def test_a_certificate_without_its_key_is_bad_input(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = tmp_path / "refdesk.toml"
    settings.write_text("")
    assert main(["doctor", "--config", str(settings), "--certificate", "/x.pem"]) == 2
    assert capsys.readouterr().err == "refdesk: --certificate and --key go together\n"


@pytest.mark.parametrize("timeout", ["0", "-1", "soon", "600"])
def test_a_timeout_that_is_not_a_few_seconds_is_bad_input(
        tmp_path: Path, timeout: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["doctor", "--config", str(tmp_path), "--timeout", timeout])
    assert exit_.value.code == 2
    assert "--timeout" in capsys.readouterr().err


def test_a_refdesk_toml_that_does_not_load_fails_the_configuration_check(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = tmp_path / "refdesk.toml"
    settings.write_text('[library]\ndomain = "alpha.example"\nname = "Alpha"\n')
    assert main(["doctor", "--config", str(settings)]) == 1
    [line] = capsys.readouterr().out.splitlines()
    assert line.startswith(f"FAIL  configuration: {settings}: components: missing")
    assert line.endswith(f"— correct it; `refdesk check --config {settings}` says when it loads")
