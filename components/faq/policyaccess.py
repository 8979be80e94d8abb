"""Who may read and change the library's policy page, and how old it may grow. Staff of its
co-ops read it (it holds database logins for them); its local admins change it. Anyone
else — a patron on guest.<library>, a librarian outside its co-ops — is answered exactly as
if there were no page here at all."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime

from components.faq.askers import Asker, Askers
from refdesk.db.stores.policies import PolicyRecord, PolicyStore
from refdesk.db.stores.policystatus import is_stale
from refdesk.db.types import utcnow

NOT_HERE = "There is no policy page here."
Changed = Callable[[datetime | None], Awaitable[None]]


class Policies:
    """The library's page, read and changed as the asker's standing allows."""

    def __init__(self, askers: Askers, store: PolicyStore) -> None:
        self.askers, self.store = askers, store
        self.on_change: list[Changed] = []

    async def reader(self, jid: str) -> Asker:
        return await self.askers.staff(jid, NOT_HERE)

    async def editor(self, jid: str) -> Asker:
        return await self.askers.local_admin(jid, NOT_HERE, "change the library's policy page")

    async def page(self, asker: Asker) -> tuple[PolicyRecord, dict[str, int]]:
        """The page and, per co-op whose age limit it has passed, that limit."""
        page = await self.store.get(asker.directory.institution_id)
        return page, self.stale(page.updated)

    async def save(self, asker: Asker, fields: Mapping[str, str]) -> PolicyRecord:
        page, changed = await self.store.replace(asker.directory.institution_id, fields,
                                                 asker.jid)
        if changed:
            for tell in self.on_change:
                await tell(page.updated)
        return page

    def stale(self, updated: datetime | None) -> dict[str, int]:
        """Co-op id -> age limit, for each of the library's co-ops the page is too old for
        (as far as their registries have said what the limit is)."""
        directory, now = self.askers.directory, utcnow()
        joined = set() if directory is None else set(directory.coops)
        return {coop.id: coop.policy_max_age_days for coop in self.askers.coops.values()
                if coop.id in joined and is_stale(updated, coop.policy_max_age_days, now)}

    def named(self, stale: Mapping[str, int]) -> dict[str, int]:
        """The same flags keyed by each co-op's name, as a librarian reads them."""
        coops = self.askers.coops
        return {(coops[coop].name if coop in coops else coop): days
                for coop, days in stale.items()}
