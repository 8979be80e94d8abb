"""A library's deployment on SQLite, with a stand-in prosodyctl that keeps its accounts in a
file, for the `refdesk user|department|widget` commands."""

from __future__ import annotations

import asyncio
import stat
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.migrate import upgrade
from refdesk.db.models import (
    Coop,
    CoopKind,
    Institution,
    InstitutionKind,
    Revision,
    User,
)
from refdesk.db.models.base import Base

DOMAIN = "library.example.edu"
T = TypeVar("T")

# prosodyctl's own behaviour for adduser (password twice on stdin) and deluser, its
# accounts in a file; each call is logged with what it read.
FAKE_PROSODYCTL = """#!/bin/sh
dir=$(dirname "$0")
echo "$*" >> "$dir/calls"
[ -e "$dir/broken" ] && { echo "Prosody is broken"; exit 1; }
case "$3" in
adduser)
  grep -qx "$4" "$dir/accounts" 2>/dev/null && { echo "That user already exists"; exit 1; }
  read -r first; read -r second
  [ "$first" = "$second" ] || exit 1
  echo "$4 $first" >> "$dir/passwords"; echo "$4" >> "$dir/accounts" ;;
deluser)
  grep -qx "$4" "$dir/accounts" 2>/dev/null || {
    echo "That user does not exist on this server"; exit 1; }
  grep -vx "$4" "$dir/accounts" > "$dir/accounts.new"; mv "$dir/accounts.new" "$dir/accounts" ;;
esac
"""


@dataclass(frozen=True)
class Site:
    config: Path
    url: str
    prosody: Path
    """The stand-in prosodyctl's directory: calls, accounts, passwords, broken."""

    def accounts(self) -> list[str]:
        path = self.prosody / "accounts"
        return path.read_text().split() if path.exists() else []

    def calls(self) -> list[str]:
        path = self.prosody / "calls"
        return path.read_text().splitlines() if path.exists() else []

    def run(self, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
        return asyncio.run(_with_session(self.url, work))

    def snapshot(self) -> dict[str, list[tuple[str, ...]]]:
        """Every row of every table, to show that a refused command changed nothing."""
        async def rows(session: AsyncSession) -> dict[str, list[tuple[str, ...]]]:
            tables = {}
            for table in Base.metadata.sorted_tables:
                result = await session.execute(select(table))
                tables[table.name] = sorted(tuple(map(str, row)) for row in result)
            return tables
        return self.run(rows)

    def revision(self) -> int:
        async def number(session: AsyncSession) -> int:
            return int(await session.scalar(select(Revision.number)) or 0)
        return self.run(number)


async def _with_session(url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            return await work(session)
    finally:
        await engine.dispose()


async def _seed(url: str) -> None:
    await upgrade(url)

    async def add(session: AsyncSession) -> None:
        home = Institution(domain=DOMAIN, name="Main Library", kind=InstitutionKind.ACADEMIC)
        other = Institution(domain="other.example", name="Other", kind=InstitutionKind.PUBLIC)
        session.add_all([home, other])
        await session.flush()
        # The co-op this library joined; who else belongs is its registry's to say.
        session.add(Coop(id="coop-local", name="coop-local", kind=CoopKind.LOCAL,
                         host_domain="other.example",
                         room="coop-local@conference.other.example",
                         component="coop.other.example"))
        session.add(User(jid="zed@other.example", name="Zed", nick="Zed",
                         institution_id=other.id))
    await _with_session(url, add)


@pytest.fixture
def site(tmp_path: Path) -> Site:
    prosody = tmp_path / "prosody"
    prosody.mkdir()
    prosodyctl = prosody / "prosodyctl"
    prosodyctl.write_text(FAKE_PROSODYCTL)
    prosodyctl.chmod(prosodyctl.stat().st_mode | stat.S_IEXEC)
    url = f"sqlite+aiosqlite:///{tmp_path / 'refdesk.db'}"
    asyncio.run(_seed(url))
    config = tmp_path / "refdesk.toml"
    config.write_text(
        f'[library]\ndomain = "{DOMAIN}"\nname = "Main Library"\n\n'
        f'[components]\nsecret = "a-secret-long-enough-for-tests"\n\n'
        f'[database]\nurl = "{url}"\n\n'
        f'[gateway]\npublic_url = "https://chat.{DOMAIN}"\n\n'
        f'[prosody]\nprosodyctl = "{prosodyctl}"\nconfig = "/etc/prosody/prosody.cfg.lua"\n')
    return Site(config, url, prosody)
