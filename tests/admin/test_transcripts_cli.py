"""`refdesk transcripts purge|export`: a dry run counts, --yes deletes or anonymises the chats
of a period, and exports read back whole (CSV through the csv module, JSON loaded)."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from refdesk.cli import main
from refdesk.db.models import Chat, ChatFeedback, Sender, TranscriptLine, Widget
from tests.admin.conftest import Site

Capture = pytest.CaptureFixture[str]
TRICKY = 'Try "glacier, retreat"\nthen, the second shelf'


async def _seed(session: AsyncSession) -> None:
    session.add(Widget(id="main", institution_id=1, name="Ask"))
    for n, day in enumerate((1, 2, 5)):
        ended = datetime(2026, 3, day, 15, tzinfo=UTC)
        chat = Chat(id=f"chat{n}", widget_id="main", institution_id=1, patron_name=f"Pat {n}",
                    patron_jid=f"p{n}@guest.library.example.edu/web", patron_email="p@x.org",
                    question=f"Question {n}?", created_at=ended, ended_at=ended,
                    state="ended", rating=4, comment="Thanks, truly", last_seq=2)
        chat.transcript = [
            TranscriptLine(seq=1, sender=Sender.PATRON, nick=f"Pat {n}", body=f"Question {n}?"),
            TranscriptLine(seq=2, sender=Sender.OPERATOR, nick="Zed", body=TRICKY)]
        session.add(chat)
        await session.flush()
        session.add(ChatFeedback(chat_id=chat.id, author="zed@other.example", text="Good, yes"))


def _transcripts(site: Site, *args: str) -> int:
    return main(["transcripts", *args, "--config", str(site.config)])


def _exported(site: Site, tmp_path: Path) -> list[dict[str, Any]]:
    out = tmp_path / "all.json"
    assert _transcripts(site, "export", "--format", "json", "--output", str(out)) == 0
    chats: list[dict[str, Any]] = json.loads(out.read_text(encoding="utf-8"))
    return chats


def test_a_dry_run_counts_and_yes_anonymises_then_deletes_a_period(
        site: Site, capsys: Capture, tmp_path: Path) -> None:
    site.run(_seed)
    period = ("--from", "2026-03-01", "--to", "2026-03-02")
    assert _transcripts(site, "purge", *period, "--anonymise") == 0
    assert capsys.readouterr().out.startswith("2 chats that ended from 2026-03-01T00:00:00+00:00"
                                              " to 2026-03-03T00:00:00+00:00 would be anonymised")
    assert [c["patron_name"] for c in _exported(site, tmp_path)] == ["Pat 0", "Pat 1", "Pat 2"]

    assert _transcripts(site, "purge", *period, "--anonymise", "--yes") == 0
    assert capsys.readouterr().out.startswith("anonymised 2 chats")
    chats = _exported(site, tmp_path)
    assert [c["patron_name"] for c in chats] == [None, None, "Pat 2"]
    assert chats[0]["lines"][1]["body"] == TRICKY and chats[0]["anonymised"]

    assert _transcripts(site, "purge", "--from", "2026-03-05T00:00:00", "--to",
                        "2026-03-06T00:00:00", "--delete", "--yes") == 0
    assert capsys.readouterr().out.startswith("deleted 1 chats")
    assert [c["id"] for c in _exported(site, tmp_path)] == ["chat0", "chat1"]


def test_json_export_holds_every_chat_with_lines_feedback_and_rating(
        site: Site, tmp_path: Path) -> None:
    site.run(_seed)
    chats = _exported(site, tmp_path)
    assert [c["id"] for c in chats] == ["chat0", "chat1", "chat2"]
    first = chats[0]
    assert (first["question"], first["rating"], first["comment"]) == (
        "Question 0?", 4, "Thanks, truly")
    assert [(line["seq"], line["sender"], line["body"]) for line in first["lines"]] == [
        (1, "patron", "Question 0?"), (2, "operator", TRICKY)]
    assert [(f["author"], f["text"]) for f in first["feedback"]] == [
        ("zed@other.example", "Good, yes")]
    assert first["ended"] == "2026-03-01T15:00:00+00:00"


def test_csv_export_parses_back_row_for_row(site: Site, capsys: Capture) -> None:
    site.run(_seed)
    assert _transcripts(site, "export", "--format", "csv", "--from", "2026-03-02") == 0
    captured = capsys.readouterr()
    rows = list(csv.DictReader(captured.out.splitlines(keepends=True)))
    assert "exported 2 chats" in captured.err
    assert [(r["chat"], r["kind"]) for r in rows if r["chat"] == "chat1"] == [
        ("chat1", "chat"), ("chat1", "rating"), ("chat1", "line"), ("chat1", "line"),
        ("chat1", "feedback")]
    chat, rating, _, line, feedback = (r for r in rows if r["chat"] == "chat1")
    assert (chat["text"], chat["patron_name"], chat["ended"]) == (
        "Question 1?", "Pat 1", "2026-03-02T15:00:00+00:00")
    assert (rating["rating"], rating["text"]) == ("4", "Thanks, truly")
    assert (line["seq"], line["who"], line["text"]) == ("2", "Zed", TRICKY)
    assert (feedback["who"], feedback["text"]) == ("zed@other.example", "Good, yes")


def _status(site: Site, *args: str) -> int:
    """The exit status, whether argparse or the command refused."""
    try:
        return _transcripts(site, *args)
    except SystemExit as exit_:
        return int(exit_.code or 0)


@pytest.mark.parametrize("args", [
    ("purge", "--from", "2026-03-05", "--to", "2026-03-01", "--delete", "--yes"),
    ("purge", "--from", "March", "--to", "2026-03-01", "--delete", "--yes"),
    ("purge", "--from", "2026-03-01", "--to", "2026-03-02", "--yes"),
    ("export", "--format", "xml"),
])
def test_bad_input_is_refused_and_changes_nothing(
        site: Site, capsys: Capture, args: tuple[str, ...]) -> None:
    site.run(_seed)
    before = site.snapshot()
    assert _status(site, *args) == 2
    assert site.snapshot() == before
    error = capsys.readouterr().err
    assert error.startswith("refdesk: transcripts") and error.count("\n") == 1
