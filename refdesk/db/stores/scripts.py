"""A library's scripted messages: listed to whoever covers its patrons, sent into a chat by
name, changed only by its local admins (the faq component decides who is who)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.db.models import Script
from refdesk.db.types import utcnow
from refdesk.errors import InvalidInput, NotFound

NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
"""schemas/faq.xsd's scriptName: one word, as typed after `!script`."""
MAX_TEXT = 4000
NO_SUCH_SCRIPT = "There is no such script."


@dataclass(frozen=True)
class ScriptRecord:
    name: str
    text: str
    updated: datetime
    updated_by: str | None


def checked_name(name: str) -> str:
    """A script's name as kept: lower-case, one word of letters, digits, - and _."""
    kept = name.strip().lower()
    if not NAME.fullmatch(kept):
        raise InvalidInput("A script's name is one word of up to 64 letters, digits, '-' or "
                           f"'_', starting with a letter or digit; not {name[:70]!r}.")
    return kept


def checked_text(text: str) -> str:
    kept = text.strip()
    if not kept:
        raise InvalidInput("The script's text is empty.")
    if len(kept) > MAX_TEXT:
        raise InvalidInput(f"A script's text is at most {MAX_TEXT} characters.")
    return kept


class ScriptStore:
    """The scripts of one library (its institution id), each in its own transaction."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def list(self, institution_id: int) -> list[ScriptRecord]:
        """Every script of the library, by name."""
        async with self._sessions() as session:
            scripts = await session.scalars(
                select(Script).where(Script.institution_id == institution_id)
                .order_by(Script.name))
            return [_record(script) for script in scripts]

    async def get(self, institution_id: int, name: str) -> ScriptRecord:
        async with self._sessions() as session:
            script = await session.scalar(_one(institution_id, checked_name(name)))
            if script is None:
                raise NotFound(NO_SUCH_SCRIPT)
            return _record(script)

    async def save(self, institution_id: int, name: str, text: str,
                   by: str | None) -> ScriptRecord:
        """Create the script, or replace the text of the one with that name."""
        name, text = checked_name(name), checked_text(text)
        async with self._sessions() as session, session.begin():
            script = await session.scalar(_one(institution_id, name).with_for_update())
            if script is None:
                script = Script(institution_id=institution_id, name=name)
                session.add(script)
            script.text, script.updated_at, script.updated_by = text, utcnow(), by
            await session.flush()
            return _record(script)

    async def delete(self, institution_id: int, name: str) -> None:
        async with self._sessions() as session, session.begin():
            gone = await session.execute(
                delete(Script).where(Script.institution_id == institution_id,
                                     Script.name == checked_name(name)))
            if not gone.rowcount:  # type: ignore[attr-defined]
                raise NotFound(NO_SUCH_SCRIPT)


def _one(institution_id: int, name: str) -> Select[Script]:
    return select(Script).where(Script.institution_id == institution_id, Script.name == name)


def _record(script: Script) -> ScriptRecord:
    return ScriptRecord(script.name, script.text, script.updated_at, script.updated_by)
