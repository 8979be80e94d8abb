"""What every administrative command shares: the library's database, one transaction per
edit with the change counter raised in it, and one-line refusals."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.models import Institution, RevisionScope
from refdesk.db.stores.revisions import bump
from refdesk.db.types import normalize_jid
from refdesk.settings import Settings


class AdminError(Exception):
    """An edit refused as asked; the message is one line saying why."""


@dataclass(frozen=True)
class Library:
    """The library being administered, inside one open transaction."""

    session: AsyncSession
    home: Institution

    @property
    def domain(self) -> str:
        return self.home.domain


@asynccontextmanager
async def reading(settings: Settings) -> AsyncIterator[Library]:
    """The library's data, read-only."""
    async with _library(settings) as library:
        yield library


@asynccontextmanager
async def editing(settings: Settings) -> AsyncIterator[Library]:
    """One edit: committed with the directory's counter raised, or nothing at all."""
    async with _library(settings) as library:
        yield library
        await bump(library.session, RevisionScope.DIRECTORY)
        try:
            await library.session.flush()
        except IntegrityError as error:
            raise AdminError(f"the database refused the change: {error.orig}") from None


@asynccontextmanager
async def _library(settings: Settings) -> AsyncIterator[Library]:
    engine = create_engine(settings.database.url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            home = await session.scalar(
                select(Institution).where(Institution.domain == settings.library.domain))
            if home is None:
                raise AdminError(f"the database has no institution {settings.library.domain}; "
                                 "make the deployment with `refdesk init` first")
            yield Library(session, home)
    finally:
        await engine.dispose()


def bare_jid(text: str, what: str = "JID") -> str:
    """A normalised bare JID with a local part (user@domain), or AdminError."""
    try:
        jid = normalize_jid(text.strip())
    except ValueError:
        raise AdminError(f"{text!r} is not a valid {what}") from None
    if not jid.user or jid.resource:
        raise AdminError(f"{text!r} is not a valid {what}: give user@domain, no resource")
    return str(jid.bare)
