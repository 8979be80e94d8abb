"""The faq component of a library's refdesk: FAQ groups, the policy page and scripts."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.exc import SQLAlchemyError

from components.base import RefdeskComponent
from components.failures import Failures
from components.faq import policy, scripts
from components.faq.askers import Askers
from components.faq.faq_requests import FaqRequests
from components.faq.faq_text import USAGE, WORD, FaqText
from components.faq.faq_transfer import FaqTransfer
from components.faq.search_command import SearchCommand
from components.faq.searches import Searches
from components.faq.stanzas import NS, register_stanzas
from components.faq.textcommands import FaqTextCommands
from components.queue.coopfeed import CoopFeed, nothing_to_report
from components.queue.reload import DirectoryFollower
from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.stores.directory import DirectoryStore
from refdesk.db.stores.registry import CoopRecord
from refdesk.db.stores.revisions import RevisionStore
from refdesk.errors import RefdeskError

log = logging.getLogger(__name__)

COOPS_WAIT_S = 10.0
"""How long a start waits for the co-ops' registries before it serves with what it has."""
START_RETRY_S = 5.0


class FaqComponent(RefdeskComponent):
    """Answers FAQ searches and serves the library's policy page and scripts to whoever
    covers its patrons, as the co-ops' registries say who that is."""

    name = "faq"
    description = "FAQ and policies"
    features = (NS,)
    plugins = ("xep_0004",)

    def register_handlers(self) -> None:
        register_stanzas()
        self.engine = create_engine(self.settings.database.url)
        self.sessions = create_sessionmaker(self.engine)
        self.directory_store = DirectoryStore(self.sessions)
        self.follower = DirectoryFollower(RevisionStore(self.sessions), self._reload)
        self.askers = Askers()
        self.feed = CoopFeed(self, self._coop_published, nothing_to_report)
        self.feed.listen()
        self._failures = Failures(log)
        self._starts: set[asyncio.Task[None]] = set()
        self._register_requests()
        self.add_event_handler("session_start", self.on_session_start)
        self.add_event_handler("disconnected", self.on_disconnected)

    def _register_requests(self) -> None:
        """One line per module that answers a part of urn:refdesk:faq:0; the text commands
        typed to faq.<library> share one handler, so every line gets one answer."""
        texts = FaqTextCommands(self)
        searches = Searches(self.askers, self.sessions)
        FaqRequests(self, searches).register()
        FaqTransfer(self, self.askers, self.sessions).register()
        SearchCommand(self, searches).register()
        texts.add(WORD, USAGE, FaqText(searches).answer)
        policy.register(self, self.askers, self.sessions, texts)
        scripts.register(self, self.askers, self.sessions, texts)
        texts.register()

    def close(self) -> None:
        self.feed.stop()
        self.follower.stop()

    async def on_session_start(self, _: object) -> None:
        self.askers.ready.clear()
        self.follower.stop()
        if not await self._load_directory():
            asyncio.get_running_loop().call_later(START_RETRY_S, self._start_again)
            return
        self.feed.forget()
        self._follow()
        if not await self.feed.until_known(COOPS_WAIT_S):
            log.error("some co-ops' registries have not answered yet; their staff read only "
                      "public FAQs until they do")
        self.askers.ready.set()
        self.follower.start()

    def _start_again(self) -> None:
        # Kept until done: the loop holds only weak references to tasks.
        task = asyncio.ensure_future(self.on_session_start(None))
        self._starts.add(task)
        task.add_done_callback(self._starts.discard)

    def on_disconnected(self, _: object) -> None:
        self.feed.stop()
        self.follower.stop()
        self.askers.ready.clear()

    async def _load_directory(self) -> bool:
        domain = self.settings.library.domain
        try:
            await self.follower.mark()
            self.askers.directory = await self.directory_store.load(domain)
        except (RefdeskError, SQLAlchemyError, OSError) as error:
            self._failures.failed(f"starting the FAQs of {domain}", error)
            return False
        self._failures.recovered(f"starting the FAQs of {domain}")
        return True

    async def _reload(self) -> None:
        """An administrator changed the set-up: who is an operator, which co-ops are joined."""
        before = self.askers.directory
        self.askers.directory = await self.directory_store.load(self.settings.library.domain)
        if before is None or before.coops != self.askers.directory.coops:
            self._follow()

    def _follow(self) -> None:
        directory = self.askers.directory
        coops = [] if directory is None else list(directory.coops.values())
        for gone in set(self.askers.coops) - {coop.id for coop in coops}:
            del self.askers.coops[gone]
        self.feed.follow(coops)

    def _coop_published(self, coop: CoopRecord) -> None:
        self.askers.coops[coop.id] = coop
        self.event("faq_coop_published", coop)
