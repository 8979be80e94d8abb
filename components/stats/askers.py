"""Whose chats an asker at stats.<library> sees (stats.xsd's header), from the library's own
directory: its local admins, every chat of its patrons; its other operators, the chats they
answered; anyone else (a patron on guest.<library>, another library's librarian) nothing."""

from __future__ import annotations

import asyncio

from components.coopfollowing import directory_when_ready
from refdesk.db.stores.directory import Directory
from refdesk.db.stores.registry import CoopRecord
from refdesk.errors import NotPermitted
from refdesk.reports.engine import Labels
from refdesk.reports.facts import Scope

STARTING = "The library's statistics are starting; please try again in a moment."
NOT_STAFF = "Only the library's librarians see its statistics."


def scope(directory: Directory, asker: str) -> Scope:
    """The asker's (a bare JID) scope; NotPermitted for anyone not the library's staff.
    As in the FAQ and the archive, local admin rights stand on their own; an operator whose
    chat access is switched off is no operator of the library's for now."""
    operator = directory.operators.get(asker)
    if operator is not None and operator.local_admin:
        return Scope("library")
    if operator is None or not operator.chat_enabled:
        raise NotPermitted(NOT_STAFF)
    return Scope("mine", answered_by=asker)


class Askers:
    """The library's directory and co-ops, as the stats component follows them."""

    def __init__(self) -> None:
        self.directory: Directory | None = None
        self.coops: dict[str, CoopRecord] = {}
        self.ready = asyncio.Event()

    async def scope(self, asker: str) -> Scope:
        return scope(await directory_when_ready(self, STARTING), asker)

    async def labels(self) -> Labels:
        """Names to show beside keys: librarians' nicks, libraries' names."""
        directory = await directory_when_ready(self, STARTING)
        nicks = {user.jid: user.nick for coop in self.coops.values() for user in coop.users}
        nicks.update(directory.nicks)
        names = {member.domain: member.name for coop in self.coops.values()
                 for member in coop.members}
        names.update(directory.institutions)
        return lambda table, key: (nicks if table == "user" else names).get(key)
