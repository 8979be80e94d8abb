"""The archive component of a library's refdesk."""

from __future__ import annotations

import asyncio
import logging

from slixmpp import Message
from slixmpp.xmlstream.handler import CoroutineCallback
from slixmpp.xmlstream.matcher import MatchXPath

from components.adhoc_sessions import BoundedSessions
from components.archive.emailtranscript import EmailTranscriptRequests
from components.archive.ticketactions import TicketActions
from components.archive.ticketcommand import TicketCommand
from components.archive.tickets import TicketRequests
from components.base import RefdeskComponent
from components.coop.wire import PUBSUB_EVENT
from components.queue.coopfeed import CoopFeed
from components.queue.reload import DirectoryFollower
from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.stores.chats import ChatStore
from refdesk.db.stores.directory import Directory, DirectoryStore
from refdesk.db.stores.registry import CoopRecord
from refdesk.db.stores.revisions import RevisionStore
from refdesk.db.stores.tickets import TicketStore
from refdesk.errors import Unavailable
from refdesk.mail import Mailer

log = logging.getLogger(__name__)

NS = "urn:refdesk:archive:0"
REGISTRIES_WAIT_S = 10.0
NOT_STARTED = "The library's archive is not available right now; please try again later."


class ArchiveComponent(RefdeskComponent):
    """Keeps transcripts, ratings and follow-up tickets of the library's chats."""

    name = "archive"
    description = "transcripts"
    features = (NS,)

    def register_handlers(self) -> None:
        self.engine = create_engine(self.settings.database.url)
        self.sessions = create_sessionmaker(self.engine)
        self._directory: Directory | None = None
        self._ready = asyncio.Event()
        self.coops: dict[str, CoopRecord] = {}
        """The co-ops the library belongs to, as their registries last published them."""
        self.feed = CoopFeed(self, self._coop_published, self._nothing_to_report)
        self.register_handler(CoroutineCallback(
            "co-op registry push",
            MatchXPath(f"{{{self.default_ns}}}message/{{{PUBSUB_EVENT}}}event"),
            self._handle_push,  # type: ignore[arg-type]  # the matcher: a Message
        ))
        self.add_event_handler("session_start", self.on_session_start)
        self.add_event_handler("disconnected", lambda _: self.close())
        # A librarian added or a co-op joined counts at once, as at the queue.
        self.follower = DirectoryFollower(RevisionStore(self.sessions), self._reload)
        self.plugin["xep_0050"].set_backend(BoundedSessions())
        mailer = Mailer(self.settings.mail)
        tickets = TicketActions(self, self, TicketStore(self.sessions), mailer)
        TicketRequests(tickets).register()
        TicketCommand(tickets).register()
        EmailTranscriptRequests(self, self, ChatStore(self.sessions), mailer).register()

    @property
    def directory(self) -> Directory:
        if self._directory is None:
            raise Unavailable(NOT_STARTED)
        return self._directory

    async def on_session_start(self, _: object) -> None:
        self.follower.stop()
        await self.follower.mark()
        self._directory = await DirectoryStore(self.sessions).load(self.settings.library.domain)
        self.follower.start()
        self.feed.forget()
        self.feed.follow(self._directory.coops.values())
        if not await self.feed.until_known(REGISTRIES_WAIT_S):
            log.error("some co-ops' registries have not answered yet; referrals to and from "
                      "their members are refused until they do")
        self._ready.set()

    async def until_set_up(self) -> None:
        await self._ready.wait()

    def close(self) -> None:
        self.feed.stop()
        self.follower.stop()

    async def _reload(self) -> None:
        self._directory = await DirectoryStore(self.sessions).load(self.settings.library.domain)
        self.feed.follow(self._directory.coops.values())

    def _coop_published(self, coop: CoopRecord) -> None:
        self.coops[coop.id] = coop

    async def _handle_push(self, message: Message) -> None:
        self.feed.on_event(message)

    @staticmethod
    async def _nothing_to_report(_: str) -> None:
        """The queue reports the library's users' chat access to the registries."""
