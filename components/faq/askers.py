"""What the faq component knows of who asks while it runs: the library's directory (its
operators and local admins) and its co-ops as their registries last published them. Every
request handler asks it who the asker is before it reads or changes anything."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from components.coopfollowing import directory_when_ready
from components.faq import access
from components.faq.access import Standing
from refdesk.db.stores.directory import Directory
from refdesk.db.stores.registry import CoopRecord
from refdesk.errors import NotFound

STARTING = "The library's FAQs are starting; please try again in a moment."


@dataclass(frozen=True)
class Asker:
    """One asker, as the rules of components.faq.access see them."""

    jid: str
    standing: Standing
    directory: Directory

    def require(self, needed: Standing, what: str) -> None:
        access.require(self.standing, needed, what)


class Askers:
    def __init__(self) -> None:
        self.directory: Directory | None = None
        self.coops: dict[str, CoopRecord] = {}
        """Co-op id -> the co-op as its registry last published it."""
        self.ready = asyncio.Event()

    async def asker(self, jid: str) -> Asker:
        """The asker (a bare JID) with their standing at the library."""
        directory = await directory_when_ready(self, STARTING)
        return Asker(jid, access.standing(directory, self.coops, jid), directory)

    async def staff(self, jid: str, absent: str) -> Asker:
        """The asker, if they read what co-op staff read (the policy page, the scripts);
        anyone else is answered `absent`, as if there were nothing to read."""
        asker = await self.asker(jid)
        if asker.standing < Standing.COOP_STAFF:
            raise NotFound(absent)
        return asker

    async def local_admin(self, jid: str, absent: str, what: str) -> Asker:
        """The asker, if they may `what` (the library's local admins); co-op staff are told
        they may not, anyone else `absent`."""
        asker = await self.staff(jid, absent)
        asker.require(Standing.LOCAL_ADMIN, what)
        return asker
