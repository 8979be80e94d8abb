"""Co-op administration across the federation: libraries join a co-op by a command at their
own end, and each account level manages what the seed says, through the registry's ad-hoc
commands, from the users' own servers."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import xmlschema
from slixmpp import Iq
from slixmpp.exceptions import IqError

from components.forms import text_of
from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.models import CoopLevel
from refdesk.db.stores.registry import RegistryStore
from tests.integration.queue import command, site
from tests.integration.xmpp import Session, operator

REGISTRY = "coop.coop.test"
COOP = "coop-levels"
ACADEMIC = "coop-academic"
SCHEMA = xmlschema.XMLSchema(str(Path(__file__).parents[2] / "schemas" / "coop-admin.xsd"))


def _refdesk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "refdesk", *args],
                          capture_output=True, text=True, timeout=90, check=False)


def _config(lab: dict[str, Any], domain: str) -> str:
    return str(site(lab, domain)["config"])


def _db(lab: dict[str, Any], domain: str) -> Path:
    return Path(lab["dir"]) / domain / "refdesk.db"


def _forget(lab: dict[str, Any]) -> None:
    """Leave the shared lab as it was: the test co-ops go, at the host and at members."""
    for domain in ("coop.test", "alpha.test", "beta.test", "gamma.test"):
        with sqlite3.connect(_db(lab, domain)) as db:
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("DELETE FROM coop WHERE id IN (?, ?)", (COOP, ACADEMIC))
            db.execute("DELETE FROM coop_link WHERE coop_id IN (?, ?)", (COOP, ACADEMIC))
            db.execute("DELETE FROM user_account WHERE jid LIKE 'new-%'")


@pytest.fixture(scope="module")
def joined(lab: dict[str, Any]) -> Iterator[None]:
    """coop-levels (mixed) at coop.test: alpha and beta invited by the CLI at the host, each
    joined by `refdesk coop join` at its own end through its running queue."""
    host = _config(lab, "coop.test")
    try:
        created = _refdesk("coop", "create", "--config", host, "--id", COOP, "--name",
                           "Levels Co-op", "--kind", "local", "--audience", "mixed")
        assert created.returncode == 0, created.stderr
        for domain in ("alpha.test", "beta.test"):
            invited = _refdesk("coop", "invite", "--config", host, COOP, domain)
            assert invited.returncode == 0, invited.stderr
            join = _refdesk("coop", "join", "--config", _config(lab, domain),
                            f"{COOP}@{REGISTRY}")
            assert (join.returncode, join.stdout) == (0, f"joined {COOP} at {REGISTRY}\n"), \
                join.stderr
        asyncio.run(_grant(lab, {"sam@coop.test": CoopLevel.COOP_ADMIN,
                                 "ann@alpha.test": CoopLevel.INSTITUTION_ADMIN,
                                 "abe@alpha.test": CoopLevel.REGULAR,
                                 "bea@beta.test": CoopLevel.INSTITUTION_ADMIN}))
        yield
    finally:
        _forget(lab)


async def _grant(lab: dict[str, Any], levels: dict[str, CoopLevel]) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{_db(lab, 'coop.test')}")
    try:
        store = RegistryStore(create_sessionmaker(engine))
        for jid, level in levels.items():
            await store.grant(COOP, jid, jid.partition("@")[0], level)
    finally:
        await engine.dispose()


def test_library_invited_by_the_host_joins_by_a_command_at_its_own_end(
        lab: dict[str, Any], joined: None) -> None:
    with sqlite3.connect(_db(lab, "alpha.test")) as db:
        row = db.execute("SELECT id, name, kind, host_domain, room, component FROM coop "
                         "WHERE id = ?", (COOP,)).fetchone()
        link = db.execute("SELECT state FROM coop_link WHERE coop_id = ?", (COOP,)).fetchone()
    assert row == (COOP, "Levels Co-op", "local", "coop.test",
                   f"{COOP}@conference.coop.test", REGISTRY)
    assert link == ("joined",)
    members = _refdesk("coop", "members", "--config", _config(lab, "coop.test"), COOP)
    assert members.stdout.splitlines() == [
        "alpha.test\tAlpha University Library\tacademic\tcontributing",
        "beta.test\tBeta Public Library\tpublic\tcontributing"]


def test_public_library_is_refused_from_an_academic_coop(lab: dict[str, Any],
                                                         joined: None) -> None:
    host = _config(lab, "coop.test")
    assert _refdesk("coop", "create", "--config", host, "--id", ACADEMIC, "--name",
                    "Academic Co-op", "--kind", "local", "--audience", "academic"
                    ).returncode == 0
    assert _refdesk("coop", "invite", "--config", host, ACADEMIC, "gamma.test").returncode == 0
    join = _refdesk("coop", "join", "--config", _config(lab, "gamma.test"), ACADEMIC, REGISTRY)
    assert join.returncode == 1
    assert join.stderr.splitlines()[-1] == (
        f"refdesk: {REGISTRY} refused: Academic Co-op is a co-op of academic libraries; "
        "Gamma County Library is a public library.")


async def _run(session: Session, node: str, **values: str) -> Iq:
    """Run `node` at the registry, choosing the test co-op, and submit `values`."""
    reply = await _open(session, node)
    return await command(session, REGISTRY, node, action="complete",
                         payload=_filled(reply, values), sessionid=reply["command"]["sessionid"])


async def _open(session: Session, node: str) -> Iq:
    """The command's form for the test co-op (choosing it where the user has several)."""
    reply = await command(session, REGISTRY, node)
    if "coop" in reply["command"]["form"].get_fields():
        reply = await command(session, REGISTRY, node, action="next",
                              payload=_filled(reply, {"coop": COOP}),
                              sessionid=reply["command"]["sessionid"])
    return reply


def _filled(reply: Iq, values: dict[str, str]) -> Any:
    form = reply["command"]["form"]
    form["type"] = "submit"
    for var, value in values.items():
        form.field[var]["value"] = value
    return form


ACTIONS: dict[str, tuple[str, dict[str, str]]] = {
    "grant regular to own-library user":
        ("roles", {"action": "grant", "jid": "new-{n}@alpha.test", "level": "regular"}),
    "grant institution admin to own-library user":
        ("roles", {"action": "grant", "jid": "new-{n}@alpha.test",
                   "level": "institution-admin"}),
    "grant to another library's user":
        ("roles", {"action": "grant", "jid": "new-{n}@beta.test", "level": "regular"}),
    "make co-op admin":
        ("roles", {"action": "grant", "jid": "new-{n}@alpha.test", "level": "coop-admin"}),
    "revoke own-library user": ("roles", {"action": "revoke", "jid": "new-{n}@alpha.test"}),
    "revoke other library's user": ("roles", {"action": "revoke", "jid": "new-{n}@beta.test"}),
    "set contributing":
        ("members", {"action": "contributing", "domain": "beta.test", "contributing": "1"}),
    "invite a library":
        ("members", {"action": "invite", "domain": "delta.test", "contributing": "1"}),
}
ACTORS = {"regular": "abe@alpha.test", "institution-admin": "ann@alpha.test",
          "coop-admin": "sam@coop.test"}
ALLOWED = {
    "regular": set(),
    "institution-admin": {"grant regular to own-library user",
                          "grant institution admin to own-library user",
                          "revoke own-library user"},
    "coop-admin": set(ACTIONS),
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("level", ALLOWED)
async def test_each_level_manages_what_the_seed_says_across_domains(
        lab: dict[str, Any], joined: None, level: str, action: str) -> None:
    number = f"{list(ALLOWED).index(level)}-{list(ACTIONS).index(action)}"
    node, template = ACTIONS[action]
    values = {k: v.format(n=number) for k, v in template.items()}
    if values.get("action") == "revoke":  # someone to take access from
        await _grant(lab, {values["jid"]: CoopLevel.REGULAR})
    async with operator(lab, ACTORS[level]) as session:
        if action in ALLOWED[level]:
            done = await _run(session, node, **values)
            assert done["command"]["status"] == "completed"
            return
        with pytest.raises(IqError) as refused:
            await _run(session, node, **values)
    assert refused.value.condition == "forbidden", refused.value.text
    assert refused.value.text.startswith("Only ")
    # The refusal names the command session it ends, so that a client shows it there.
    assert refused.value.iq["command"]["sessionid"]
    if level == "institution-admin" and action == "make co-op admin":
        assert refused.value.text == (
            "Only a Co-Op Admin of Levels Co-op can make someone a Co-Op Admin.")


async def test_institution_admin_sees_only_their_own_librarys_roles(
        lab: dict[str, Any], joined: None) -> None:
    async with operator(lab, "bea@beta.test") as session:
        reply = await _open(session, "roles")
    shown = text_of(reply["command"]["form"])
    assert "bea@beta.test" in shown
    assert "alpha.test" not in shown and "sam@coop.test" not in shown


def test_join_payloads_match_the_schema() -> None:
    from components.coop.joinwire import Join, Joined, register_stanzas

    register_stanzas()
    iq = Iq()
    join: Join = iq["refdesk_coop_join"]
    join["coop"], join["name"], join["kind"] = COOP, "Alpha University Library", "academic"
    SCHEMA.validate(join.xml)
    answer: Joined = Iq()["refdesk_coop_joined"]
    for key, value in (("coop", COOP), ("name", "Levels Co-op"), ("kind", "local"),
                       ("audience", "mixed"), ("host", "coop.test"),
                       ("room", f"{COOP}@conference.coop.test"), ("component", REGISTRY),
                       ("contributing", "true")):
        answer[key] = value
    SCHEMA.validate(answer.xml)
