"""Who may read and change the library's scripted messages: staff of its co-ops read them
(they cover its patrons); its local admins change them. Anyone else — a patron on
guest.<library>, a librarian of a library outside its co-ops — is answered exactly as if
the library had no scripts at all."""

from __future__ import annotations

from components.faq.askers import Asker, Askers
from refdesk.db.stores.scripts import ScriptStore

NOT_HERE = "There are no scripts here."


class Scripts:
    """The scripts of the library, read and changed as the asker's standing allows."""

    def __init__(self, askers: Askers, store: ScriptStore) -> None:
        self.askers, self.store = askers, store

    async def reader(self, jid: str) -> Asker:
        return await self.askers.staff(jid, NOT_HERE)

    async def editor(self, jid: str) -> Asker:
        return await self.askers.local_admin(jid, NOT_HERE, "change the library's scripts")
