"""`refdesk coop`: a co-op host's sysadmin runs co-ops; a library's sysadmin joins one."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

TOML = """\
[library]
domain = "{domain}"
name = "{name}"
kind = "{kind}"

[components]
secret = "a-real-secret-of-some-length"
enabled = [{enabled}]

[database]
url = "sqlite+aiosqlite:///{db}"
"""


def _refdesk(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "refdesk", *map(str, args)],
                          capture_output=True, text=True, timeout=60, check=False)


def _deployment(tmp_path: Path, domain: str, name: str, kind: str, enabled: str) -> Path:
    db = tmp_path / f"{domain}.db"
    config = tmp_path / f"{domain}.toml"
    config.write_text(TOML.format(domain=domain, name=name, kind=kind, enabled=enabled, db=db))
    assert _refdesk("db", "upgrade", "--config", config).returncode == 0
    with sqlite3.connect(db) as connection:
        connection.execute("INSERT INTO institution (domain, name, kind) VALUES (?, ?, ?)",
                           (domain, name, kind))
    return config


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A co-op host with 24/7 Reference, alpha.example invited and joined, two users."""
    tmp = tmp_path_factory.mktemp("host")
    config = _deployment(tmp, "coop.example", "24/7 Host", "coordinating", '"coop"')
    created = _refdesk("coop", "create", "--config", config, "--id", "coop-247", "--name",
                       "24/7 Reference", "--kind", "global", "--audience", "mixed")
    assert created.returncode == 0, created.stderr
    assert _refdesk("coop", "invite", "--config", config, "coop-247",
                    "alpha.example").returncode == 0
    with sqlite3.connect(tmp / "coop.example.db") as connection:
        connection.execute("INSERT INTO institution (domain, name, kind) VALUES "
                           "('alpha.example', 'Alpha', 'academic')")
        connection.execute("INSERT INTO membership (coop_id, institution_id, contributing) "
                           "SELECT 'coop-247', id, 1 FROM institution "
                           "WHERE domain = 'alpha.example'")
    return config


def test_sysadmin_creates_a_coop_and_lists_it(host: Path) -> None:
    listed = _refdesk("coop", "list", "--config", host)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.startswith("coop-247\t24/7 Reference\tglobal\tmixed\t1 members")


def test_sysadmin_grants_changes_and_revokes_access(host: Path) -> None:
    granted = _refdesk("coop", "roles", "--config", host, "coop-247", "grant", "ann@alpha.example",
                       "institution-admin", "--nick", "Ann")
    assert (granted.returncode, granted.stdout) == (
        0, "ann@alpha.example is institution-admin in coop-247\n")
    assert _refdesk("coop", "roles", "--config", host, "coop-247", "grant", "ann@alpha.example",
                    "coop-admin").returncode == 0
    roles = _refdesk("coop", "roles", "--config", host, "coop-247")
    assert roles.stdout == "ann@alpha.example\tAnn\talpha.example\tcoop-admin\n"
    assert _refdesk("coop", "roles", "--config", host, "coop-247", "revoke",
                    "ann@alpha.example").returncode == 0
    assert _refdesk("coop", "roles", "--config", host, "coop-247", "list").stdout == ""


def test_sysadmin_puts_a_user_on_the_quality_team_and_takes_them_off(host: Path) -> None:
    refused = _refdesk("coop", "roles", "--config", host, "coop-247", "quality",
                       "ann@alpha.example", "on")
    assert (refused.returncode, refused.stderr.strip()) == (
        2, "refdesk: ann@alpha.example has no access to coop-247: give them access first.")
    assert _refdesk("coop", "roles", "--config", host, "coop-247", "grant", "ann@alpha.example",
                    "regular", "--nick", "Ann").returncode == 0
    put = _refdesk("coop", "roles", "--config", host, "coop-247", "quality",
                   "ann@alpha.example", "on")
    assert (put.returncode, put.stdout) == (
        0, "ann@alpha.example is on the Quality team of coop-247\n")
    roles = _refdesk("coop", "roles", "--config", host, "coop-247")
    assert roles.stdout == "ann@alpha.example\tAnn\talpha.example\tregular\tquality\n"
    assert _refdesk("coop", "roles", "--config", host, "coop-247", "quality",
                    "ann@alpha.example", "off").returncode == 0
    assert _refdesk("coop", "roles", "--config", host, "coop-247").stdout.endswith("regular\n")


def test_sysadmin_sets_contributing_and_lists_members(host: Path) -> None:
    changed = _refdesk("coop", "members", "--config", host, "coop-247", "contributing",
                       "alpha.example", "no")
    assert changed.returncode == 0, changed.stderr
    members = _refdesk("coop", "members", "--config", host, "coop-247")
    assert members.stdout == "alpha.example\tAlpha\tacademic\tnot contributing\n"


@pytest.mark.parametrize(("args", "expected"), [
    (("create", "--id", "Bad Id", "--name", "X", "--kind", "local", "--audience", "mixed"),
     "is not a co-op id"),
    (("create", "--id", "coop-247", "--name", "X", "--kind", "local", "--audience", "mixed"),
     "There is already a co-op 'coop-247'."),
    (("create", "--id", "c2", "--name", "X", "--kind", "weekly", "--audience", "mixed"),
     "invalid choice: 'weekly'"),
    (("invite", "coop-9", "beta.example"), "There is no co-op 'coop-9' here."),
    (("invite", "coop-247", "ann@beta.example"), "is not a domain"),
    (("invite", "coop-247", "alpha.example"), "alpha.example is already a member"),
    (("roles", "coop-247", "grant", "beta.example", "regular"), "is not a user's JID"),
    (("roles", "coop-247", "grant", "bo@beta.example", "boss"), "invalid choice: 'boss'"),
    (("roles", "coop-247", "grant", "bo@beta.example", "regular"),
     "beta.example is not a member of 24/7 Reference."),
    (("roles", "coop-247", "revoke", "bo@beta.example"), "bo@beta.example has no access"),
    (("members", "coop-247", "remove", "beta.example"), "beta.example is not a member"),
], ids=["bad-id", "existing-id", "bad-kind", "unknown-coop", "jid-for-domain", "member-again",
        "domain-for-jid", "bad-level", "non-member-user", "revoke-nobody", "remove-non-member"])
def test_bad_input_is_one_line_and_status_2_with_nothing_written(
        host: Path, args: tuple[str, ...], expected: str) -> None:
    before = _refdesk("coop", "roles", "--config", host, "coop-247").stdout
    result = _refdesk("coop", args[0], "--config", host, *args[1:])
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("refdesk: ")
    assert expected in lines[0]
    assert _refdesk("coop", "roles", "--config", host, "coop-247").stdout == before


@pytest.mark.parametrize("command", ["create", "list", "invite", "members", "roles", "join"])
def test_every_coop_command_has_help(command: str) -> None:
    helped = _refdesk("coop", command, "--help")
    assert helped.returncode == 0
    assert "--config" in helped.stdout


def test_join_without_a_running_queue_says_so_and_keeps_the_request(tmp_path: Path) -> None:
    config = _deployment(tmp_path, "alpha.example", "Alpha", "academic", '"queue"')
    joined = _refdesk("coop", "join", "--config", config, "coop-247@coop.coop.example",
                      "--wait", "1")
    assert joined.returncode == 1
    assert "asking coop.coop.example to admit alpha.example to coop-247" in joined.stderr
    assert "`refdesk serve` does not seem to be running" in joined.stderr
    with sqlite3.connect(tmp_path / "alpha.example.db") as connection:
        rows = connection.execute(
            "SELECT coop_id, registry_jid, state FROM coop_link").fetchall()
    assert rows == [("coop-247", "coop.coop.example", "requested")]


@pytest.mark.parametrize(("args", "expected"), [
    (("coop-247",), "name the co-op's registry"),
    (("Coop 247@coop.coop.example",), "is not a co-op id"),
    (("coop-247@coop.coop.example", "coop.coop.example"), "not both"),
], ids=["no-registry", "bad-id", "both-forms"])
def test_join_refuses_bad_input_in_one_line(tmp_path: Path, args: tuple[str, ...],
                                            expected: str) -> None:
    config = _deployment(tmp_path, "alpha.example", "Alpha", "academic", '"queue"')
    result = _refdesk("coop", "join", "--config", config, *args)
    assert (result.returncode, result.stdout) == (2, "")
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert expected in result.stderr


def test_a_coops_host_does_not_join_coops(host: Path) -> None:
    result = _refdesk("coop", "join", "--config", host, "coop-9@coop.elsewhere.example")
    assert result.returncode == 2
    assert "is a co-op's host, not a library" in result.stderr
