"""`refdesk faq import|export`: a CSV file imported whole or not at all, and exported back
as it was imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from refdesk.cli import main
from tests.admin.conftest import Site

Capture = pytest.CaptureFixture[str]
CSV = ("group,availability,question,answer,keywords\r\n"
       "Borrowing,public,How do I renew?,\"Online, or at the desk.\",loans\r\n"
       "24/7 Staffing,staffing,Database login?,'=user coop,credentials\r\n")


def _faq(site: Site, *args: str) -> int:
    return main(["faq", *args, "--config", str(site.config)])


def test_an_import_is_exported_back_as_it_was(site: Site, tmp_path: Path,
                                              capsys: Capture) -> None:
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text(CSV, encoding="utf-8", newline="")

    assert _faq(site, "import", str(source)) == 0
    assert "imported 2 FAQs (2 new groups)" in capsys.readouterr().err
    assert _faq(site, "export", str(out)) == 0
    assert out.read_bytes().decode("utf-8") == (
        "group,availability,question,answer,keywords\r\n"
        "24/7 Staffing,staffing,Database login?,'=user coop,credentials\r\n"
        "Borrowing,public,How do I renew?,\"Online, or at the desk.\",loans\r\n")
    assert _faq(site, "export") == 0
    assert capsys.readouterr().out.count("\r\n") == 3


def test_a_bad_row_imports_nothing_and_says_its_line(site: Site, tmp_path: Path,
                                                     capsys: Capture) -> None:
    source = tmp_path / "in.csv"
    source.write_text(CSV + "Other,everyone,Q?,A.,\r\n", encoding="utf-8")

    assert _faq(site, "import", str(source)) == 2
    assert capsys.readouterr().err.startswith("refdesk: faq import: Line 4: the availability")
    assert _faq(site, "export") == 0
    assert capsys.readouterr().out == "group,availability,question,answer,keywords\r\n"
