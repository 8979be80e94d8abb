"""`refdesk user`: a sysadmin adds, changes, lists and removes the library's librarians."""

from __future__ import annotations

import io

import pytest

from refdesk.cli import main
from tests.admin.conftest import Site

Capture = pytest.CaptureFixture[str]


def user(site: Site, *args: str, stdin: str | None = None,
         monkeypatch: pytest.MonkeyPatch | None = None) -> int:
    if stdin is not None and monkeypatch is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    action, *rest = args
    return main(["user", action, "--config", str(site.config), *rest])


def refused(site: Site, capsys: Capture, *args: str) -> str:
    """Run a command that must be refused; its one-line message, the database unchanged."""
    before, revision = site.snapshot(), site.revision()
    assert user(site, *args) == 2
    err = capsys.readouterr().err
    assert err.startswith("refdesk: ") and err.count("\n") == 1, err
    assert site.snapshot() == before and site.revision() == revision
    return err


def test_user_add_records_the_librarian_and_makes_the_account_with_a_generated_password(
        site: Site, capsys: Capture) -> None:
    assert user(site, "add", "ann@library.example.edu", "--name", "Ann Smith", "--nick", "Ann",
                "--local-admin", "--generate-password") == 0

    out = capsys.readouterr().out
    password = out.split("password (shown once): ")[1].strip()
    assert site.accounts() == ["ann@library.example.edu"]
    assert (site.prosody / "passwords").read_text() == f"ann@library.example.edu {password}\n"
    # prosodyctl is told the password on its standard input only.
    assert all(password not in call for call in site.calls())
    assert site.calls() == [
        "--config /etc/prosody/prosody.cfg.lua adduser ann@library.example.edu"]
    assert user(site, "list") == 0
    assert capsys.readouterr().out == (
        "ann@library.example.edu\tnick 'Ann'\tname 'Ann Smith'\tlocal admin, chat on\n")
    assert site.revision() == 1


def test_user_add_reads_the_password_from_stdin(
        site: Site, capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    assert user(site, "add", "bob@library.example.edu", "--name", "Bob", "--password-stdin",
                stdin="s3cret pass\n", monkeypatch=monkeypatch) == 0

    assert (site.prosody / "passwords").read_text() == "bob@library.example.edu s3cret pass\n"
    assert "s3cret" not in capsys.readouterr().out


def test_user_change_switches_chat_off_and_renames(site: Site, capsys: Capture) -> None:
    user(site, "add", "ann@library.example.edu", "--name", "Ann", "--generate-password")

    assert user(site, "change", "ann@library.example.edu", "--no-chat", "--nick", "A.") == 0

    capsys.readouterr()
    user(site, "list")
    assert capsys.readouterr().out == (
        "ann@library.example.edu\tnick 'A.'\tname 'Ann'\tchat off\n")
    assert site.revision() == 2


def test_user_remove_forgets_the_librarian_and_deletes_the_account(
        site: Site, capsys: Capture) -> None:
    user(site, "add", "ann@library.example.edu", "--name", "Ann", "--generate-password")

    assert user(site, "remove", "ann@library.example.edu") == 0

    assert site.accounts() == []
    capsys.readouterr()
    user(site, "list")
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(("args", "message"), [
    (("add", "ann@other.example", "--name", "Ann", "--generate-password"),
     "not on this library's domain"),
    (("add", "not a jid@@", "--name", "Ann", "--generate-password"), "not a valid"),
    (("add", "library.example.edu", "--name", "Ann", "--generate-password"), "user@domain"),
    (("add", "ann@library.example.edu/phone", "--name", "A", "--generate-password"),
     "no resource"),
    (("add", "ann@library.example.edu", "--name", " ", "--generate-password"), "name"),
    (("add", "ann@library.example.edu", "--name", "Ann"), "no password"),
    (("change", "nobody@library.example.edu", "--no-chat"), "no user"),
    (("change", "zed@other.example", "--no-chat"), "not on this library's domain"),
    (("remove", "nobody@library.example.edu"), "no user"),
])
def test_user_bad_input_is_one_line_exit_2_and_changes_nothing(
        site: Site, capsys: Capture, args: tuple[str, ...], message: str) -> None:
    assert message in refused(site, capsys, *args)
    assert site.calls() == []


def test_user_add_of_an_existing_user_is_refused(site: Site, capsys: Capture) -> None:
    user(site, "add", "ann@library.example.edu", "--name", "Ann", "--generate-password")
    capsys.readouterr()

    assert "already a user" in refused(site, capsys, "add", "ann@library.example.edu",
                                       "--name", "Ann", "--generate-password")


def test_user_add_leaves_no_user_when_prosody_refuses_the_account(
        site: Site, capsys: Capture) -> None:
    (site.prosody / "accounts").write_text("ann@library.example.edu\n")

    err = refused(site, capsys, "add", "ann@library.example.edu", "--name", "Ann",
                  "--generate-password")

    assert err == ("refdesk: prosodyctl adduser ann@library.example.edu failed: "
                   "That user already exists\n")


def test_user_remove_keeps_the_user_when_prosody_fails(site: Site, capsys: Capture) -> None:
    user(site, "add", "ann@library.example.edu", "--name", "Ann", "--generate-password")
    capsys.readouterr()
    (site.prosody / "broken").touch()

    assert "Prosody is broken" in refused(site, capsys, "remove", "ann@library.example.edu")


def test_user_remove_of_an_operator_in_a_routing_list_is_refused(
        site: Site, capsys: Capture) -> None:
    user(site, "add", "ann@library.example.edu", "--name", "Ann", "--generate-password")
    main(["widget", "add", "main", "--config", str(site.config), "--name", "Ask",
          "--route", "operator:ann@library.example.edu"])
    capsys.readouterr()

    assert "routing list of widget main" in refused(site, capsys, "remove",
                                                    "ann@library.example.edu")


def test_user_usage_errors_are_one_line_and_exit_2(site: Site, capsys: Capture) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["user", "add", "--config", str(site.config), "ann@library.example.edu"])

    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("refdesk: user add: the following arguments are required: --name")
    assert err.count("\n") == 1


def test_user_help_lists_each_action(capsys: Capture) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["user", "--help"])

    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert all(action in out for action in ("add", "change", "list", "remove"))
