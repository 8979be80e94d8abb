"""The archive component of a library's refdesk."""

from __future__ import annotations

from collections.abc import Mapping

from components.archive.purge import Purge
from components.archive.retention import Retention
from components.base import RefdeskComponent
from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.stores.directory import Directory, DirectoryStore
from refdesk.db.stores.privacy import PrivacyStore
from refdesk.db.stores.registry import CoopRecord

NS = "urn:refdesk:archive:0"


class ArchiveComponent(RefdeskComponent):
    """Keeps transcripts, ratings and follow-up tickets of the library's chats."""

    name = "archive"
    description = "transcripts"
    features = (NS,)

    def register_handlers(self) -> None:
        self.engine = create_engine(self.settings.database.url)
        sessions = create_sessionmaker(self.engine)
        self.directory_store = DirectoryStore(sessions)
        privacy = PrivacyStore(sessions, self.settings.retention.batch)
        self.retention = Retention(privacy, self.settings.retention)
        Purge(self, privacy, self._directory, self._coops).register()
        self.add_event_handler("session_start", lambda _: self.retention.start())

    async def _directory(self) -> Directory:
        return await self.directory_store.load(self.settings.library.domain)

    def _coops(self) -> Mapping[str, CoopRecord]:
        """The co-op registries' word: none followed yet, so only local admins are admins."""
        return {}

    def close(self) -> None:
        self.retention.stop()
