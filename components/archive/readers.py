"""What the archive knows of its readers while it runs: the library's directory (who its
admins are) and its co-ops as their registries last published them. Every request handler
asks it who the asker is before it touches a chat."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass

from components.archive import access
from components.coopfollowing import directory_when_ready
from refdesk.db.stores.directory import Directory
from refdesk.db.stores.registry import CoopRecord
from refdesk.db.stores.transcripts import NO_SUCH_CHAT, Summary, TranscriptStore, Visibility
from refdesk.errors import NotFound

STARTING = "The library's archive is starting; please try again in a moment."


@dataclass(frozen=True)
class Reader:
    """One asker, as the archive's rules see them."""

    jid: str
    visible: Visibility
    manages: bool
    directory: Directory
    coops: Mapping[str, CoopRecord]

    def may(self, chat: Summary) -> tuple[str, ...]:
        return tuple(action.value for action in access.allowed_actions(
            self.directory, self.coops, self.jid, chat))


class Readers:
    def __init__(self, store: TranscriptStore) -> None:
        self.store = store
        self.directory: Directory | None = None
        self.coops: dict[str, CoopRecord] = {}
        """Co-op id -> the co-op as its registry last published it."""
        self.ready = asyncio.Event()

    async def reader(self, asker: str) -> Reader:
        """The asker (a bare JID) with what they may see and do."""
        directory = await directory_when_ready(self, STARTING)
        return Reader(asker, access.visibility(directory, self.coops, asker),
                      access.may_manage(directory, asker), directory, self.coops)

    async def visible_chat(self, reader: Reader, chat_id: str) -> Summary:
        """The chat, if the reader may see it; else exactly what a missing chat answers."""
        chat = (await self.store.get(chat_id)).summary
        if not access.may_see(reader.visible, chat):
            raise NotFound(NO_SUCH_CHAT)
        return chat

    async def managed_chat(self, reader: Reader, chat_id: str, action: access.Action
                           ) -> Summary:
        """The chat, if the reader may `action` it. Someone who may read it but not manage
        it is told so; someone who may not read it learns nothing more than of a chat that
        does not exist."""
        chat = await self.visible_chat(reader, chat_id)
        if action.value not in reader.may(chat):
            raise access.refusal(action, reader.manages)
        return chat
