"""The archive component of a library's refdesk."""

from __future__ import annotations

from collections.abc import Mapping

from components.archive.commands import ArchiveCommands
from components.archive.emailtranscript import EmailTranscriptRequests
from components.archive.purge import Purge
from components.archive.readers import Readers
from components.archive.retention import Retention
from components.archive.stanzas import NS, register_stanzas
from components.archive.textcommands import ArchiveText
from components.archive.ticketactions import TicketActions
from components.archive.ticketcommand import TicketCommand
from components.archive.tickets import TicketRequests
from components.archive.transcript_requests import TranscriptRequests
from components.coopfollowing import CoopFollowingComponent
from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.stores.chats import ChatStore
from refdesk.db.stores.directory import Directory
from refdesk.db.stores.privacy import PrivacyStore
from refdesk.db.stores.registry import CoopRecord
from refdesk.db.stores.tickets import TicketStore
from refdesk.db.stores.transcripts import TranscriptStore
from refdesk.errors import Unavailable
from refdesk.mail import Mailer


class ArchiveComponent(CoopFollowingComponent):
    """Keeps transcripts, ratings and follow-up tickets of the library's chats, and serves
    them to whoever the co-ops' registries say may read them."""

    name = "archive"
    description = "transcripts"
    features = (NS,)
    plugins = ("xep_0004",)
    serves = "the archive"
    unknown_coops = ("some co-ops' registries have not answered yet; their admins read only "
                     "their own chats until they do")

    def register_handlers(self) -> None:
        register_stanzas()
        self.engine = create_engine(self.settings.database.url)
        self.sessions = create_sessionmaker(self.engine)
        self.readers = Readers(TranscriptStore(self.sessions))
        self.follow_coops(self.sessions, self.readers)
        self.privacy = PrivacyStore(self.sessions, self.settings.retention.batch)
        self.retention = Retention(self.privacy, self.settings.retention)
        self._register_requests()

    def _register_requests(self) -> None:
        """One line per module that answers a part of urn:refdesk:archive:0."""
        domain = self.settings.library.domain
        TranscriptRequests(self, self.readers, domain).register()
        ArchiveCommands(self, self.readers).register()
        mailer = Mailer(self.settings.mail)
        tickets = TicketActions(self, self, TicketStore(self.sessions), mailer)
        TicketRequests(tickets).register()
        TicketCommand(tickets).register()
        EmailTranscriptRequests(self, self, ChatStore(self.sessions), mailer).register()
        ArchiveText(self, self.readers).register()
        Purge(self, self.privacy, self._directory, lambda: self.coops).register()

    @property
    def directory(self) -> Directory:
        """The library's set-up, once loaded (tickets and email ask it)."""
        if self.readers.directory is None:
            raise Unavailable("The library's archive is not available right now; please try "
                              "again later.")
        return self.readers.directory

    @property
    def coops(self) -> Mapping[str, CoopRecord]:
        """The library's co-ops as their registries last published them."""
        return self.readers.coops

    async def _directory(self) -> Directory:
        return await self.directory_store.load(self.settings.library.domain)

    def close(self) -> None:
        self.retention.stop()
        super().close()

    async def on_session_start(self, _: object) -> None:
        self.retention.start()
        await super().on_session_start(_)
