"""`refdesk department` and `refdesk widget`: a library's rooms and chat boxes, edited live."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from refdesk.cli import main
from refdesk.db.models import Widget
from tests.admin.conftest import Site

Capture = pytest.CaptureFixture[str]


def run(site: Site, noun: str, action: str, *args: str) -> int:
    return main([noun, action, "--config", str(site.config), *args])


def refused(site: Site, capsys: Capture, *args: str) -> str:
    """A command that must be refused: one line, status 2, the database unchanged."""
    capsys.readouterr()
    before, revision = site.snapshot(), site.revision()
    assert run(site, *args) == 2
    err = capsys.readouterr().err
    assert err.startswith("refdesk: ") and err.count("\n") == 1, err
    assert site.snapshot() == before and site.revision() == revision
    return err


def listed(site: Site, capsys: Capture, noun: str) -> str:
    capsys.readouterr()
    assert run(site, noun, "list") == 0
    return capsys.readouterr().out


def test_department_add_change_list_remove(site: Site, capsys: Capture) -> None:
    assert run(site, "department", "add", "Special Collections") == 0
    assert run(site, "department", "add", "Reference", "--slug", "ref") == 0
    assert listed(site, capsys, "department") == (
        "Reference\tref@conference.library.example.edu\n"
        "Special Collections\tspecial-collections@conference.library.example.edu\n")

    assert run(site, "department", "change", "Reference", "--name", "Ask Us", "--slug",
               "ask") == 0
    assert run(site, "department", "remove", "Special Collections") == 0

    assert listed(site, capsys, "department") == "Ask Us\task@conference.library.example.edu\n"
    assert site.revision() == 4


@pytest.mark.parametrize(("args", "message"), [
    (("add", "Reference"), "already a department"),
    (("add", "Other", "--slug", "reference"), "already a department's"),
    (("add", "Bad", "--slug", "no spaces"), "cannot name a room"),
    (("add", "  "), "must not be empty"),
    (("change", "Nowhere", "--name", "X"), "no department"),
    (("remove", "Nowhere"), "no department"),
    (("remove", "Reference"), "routing list of widget main"),
])
def test_department_bad_input_is_refused(site: Site, capsys: Capture, args: tuple[str, ...],
                                         message: str) -> None:
    run(site, "department", "add", "Reference")
    run(site, "widget", "add", "main", "--name", "Ask", "--route", "department:Reference")

    assert message in refused(site, capsys, "department", *args)


def test_widget_add_change_and_list_with_embed_code(site: Site, capsys: Capture) -> None:
    run(site, "department", "add", "Reference")
    assert run(site, "widget", "add", "main", "--name", "Ask Us",
               "--route", "department:Reference", "--route", "coop:coop-local",
               "--origin", "HTTPS://www.Library.example.edu:443/") == 0

    assert run(site, "widget", "change", "main", "--route", "coop:coop-local",
               "--route", "operator:zed@other.example", "--route", "department:Reference",
               "--fallback-s", "0", "--origin", "http://localhost:8000",
               "--origin", "https://library.example.edu") == 0

    assert listed(site, capsys, "widget") == (
        "main\tAsk Us\n"
        "  routing: coop:coop-local, operator:zed@other.example, department:Reference"
        " (co-op fallback off)\n"
        "  origins: http://localhost:8000, https://library.example.edu\n"
        '  embed:   <script src="https://chat.library.example.edu/widget.js" '
        'data-widget="main" async></script>\n'
        "  page:    https://chat.library.example.edu/demo/main\n")
    assert site.revision() == 3


def test_widget_keeping_no_transcript_is_set_listed_and_set_back(
        site: Site, capsys: Capture) -> None:
    assert run(site, "widget", "add", "quiet", "--name", "Ask", "--route", "coop:coop-local",
               "--no-keep-transcript") == 0
    assert "  transcript: not kept" in listed(site, capsys, "widget")
    assert site.run(_kept) == {"quiet": False}

    assert run(site, "widget", "change", "quiet", "--keep-transcript") == 0

    assert "transcript" not in listed(site, capsys, "widget")
    assert site.run(_kept) == {"quiet": True}


async def _kept(session: AsyncSession) -> dict[str, bool]:
    rows = await session.execute(select(Widget.id, Widget.keep_transcript))
    return {widget: keep for widget, keep in rows}


def test_widget_remove_and_no_origins(site: Site, capsys: Capture) -> None:
    run(site, "widget", "add", "main", "--name", "Ask", "--route", "coop:coop-local",
        "--origin", "https://a.example")
    assert run(site, "widget", "change", "main", "--no-origins") == 0
    assert "origins: none" in listed(site, capsys, "widget")

    assert run(site, "widget", "remove", "main") == 0

    assert listed(site, capsys, "widget") == ""


@pytest.mark.parametrize(("args", "message"), [
    (("add", "main", "--name", "Again", "--route", "coop:coop-local"), "already a widget"),
    (("add", "Bad Id", "--name", "X", "--route", "coop:coop-local"), "cannot be a widget id"),
    (("add", "new", "--name", "X", "--route", "department:Nowhere"), "no department"),
    (("add", "new", "--name", "X", "--route", "coop:coop-far"), "has not joined a co-op"),
    (("add", "new", "--name", "X", "--route", "operator:not a jid"), "not a valid"),
    (("add", "new", "--name", "X", "--route", "coop:coop-local", "--route",
      "coop:coop-local"), "twice"),
    (("add", "new", "--name", "X", "--route", "coop:coop-local", "--fallback-s", "-1"),
     "0 (off) or more"),
    (("add", "new", "--name", "X", "--route", "coop:coop-local", "--origin",
      "https://a.example/page"), "not a web origin"),
    (("add", "new", "--name", "X", "--route", "coop:coop-local", "--origin", "ftp://a"),
     "not a web origin"),
    (("change", "main", "--origin", "https://a.example?x=1"), "not a web origin"),
    (("change", "main", "--fallback-s", "-5"), "0 (off) or more"),
    (("change", "nowhere", "--name", "X"), "no widget"),
    (("remove", "nowhere"), "no widget"),
])
def test_widget_bad_input_is_refused(site: Site, capsys: Capture, args: tuple[str, ...],
                                     message: str) -> None:
    run(site, "widget", "add", "main", "--name", "Ask", "--route", "coop:coop-local")

    assert message in refused(site, capsys, "widget", *args)


def test_widget_bad_route_syntax_is_a_one_line_usage_error(site: Site, capsys: Capture) -> None:
    with pytest.raises(SystemExit) as exited:
        run(site, "widget", "add", "main", "--name", "Ask", "--route", "room:Reference")

    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("refdesk: widget add: argument --route: ") and err.count("\n") == 1
