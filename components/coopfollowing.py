"""A library's component that serves by its directory and its co-ops' registries (the
archive, the faq component): it loads the directory, follows every co-op the library has
joined, and serves once the registries have answered or a start has waited long enough."""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from components.base import RefdeskComponent
from components.failures import Failures
from components.queue.coopfeed import CoopFeed, nothing_to_report
from components.queue.reload import DirectoryFollower
from refdesk.db.stores.directory import Directory, DirectoryStore
from refdesk.db.stores.registry import CoopRecord
from refdesk.db.stores.revisions import RevisionStore
from refdesk.errors import RefdeskError, Unavailable

log = logging.getLogger(__name__)

COOPS_WAIT_S = 10.0
"""How long a start waits for the co-ops' registries before it serves with what it has."""
START_RETRY_S = 5.0
READY_WAIT_S = 15.0
"""A request arriving while the component (re)starts waits this long at most."""


class Known(Protocol):
    """What the component knows of its askers: the directory and the co-ops' records."""

    directory: Directory | None
    coops: dict[str, CoopRecord]
    ready: asyncio.Event


async def directory_when_ready(known: Known, starting: str) -> Directory:
    """The directory once the component serves; `starting` says why not yet, if it takes
    longer than a request should wait."""
    try:
        await asyncio.wait_for(known.ready.wait(), READY_WAIT_S)
    except TimeoutError:
        raise Unavailable(starting) from None
    if known.directory is None:
        raise Unavailable(starting)
    return known.directory


class CoopFollowingComponent(RefdeskComponent):
    serves = "the component"
    """What it serves, for its log: "the archive", "the FAQs"."""
    unknown_coops = "some co-ops' registries have not answered yet"
    """Logged when a start serves before every registry answered: who reads less meanwhile."""

    def follow_coops(self, sessions: async_sessionmaker[AsyncSession], known: Known) -> None:
        """Keep `known` up to date from the library's database and its co-ops' registries."""
        self.known = known
        self.directory_store = DirectoryStore(sessions)
        self.follower = DirectoryFollower(RevisionStore(sessions), self._reload)
        self.feed = CoopFeed(self, self._coop_published, nothing_to_report)
        self.feed.listen()
        self._failures = Failures(log)
        self._starts: set[asyncio.Task[None]] = set()
        self.add_event_handler("session_start", self.on_session_start)
        self.add_event_handler("disconnected", self.on_disconnected)

    def close(self) -> None:
        self.feed.stop()
        self.follower.stop()

    async def on_session_start(self, _: object) -> None:
        self.known.ready.clear()
        self.follower.stop()
        if not await self._load_directory():
            asyncio.get_running_loop().call_later(START_RETRY_S, self._start_again)
            return
        self.feed.forget()
        self._follow()
        if not await self.feed.until_known(COOPS_WAIT_S):
            log.error(self.unknown_coops)
        self.known.ready.set()
        self.follower.start()

    def _start_again(self) -> None:
        # Kept until done: the loop holds only weak references to tasks.
        task = asyncio.ensure_future(self.on_session_start(None))
        self._starts.add(task)
        task.add_done_callback(self._starts.discard)

    def on_disconnected(self, _: object) -> None:
        self.feed.stop()
        self.follower.stop()
        self.known.ready.clear()

    async def _load_directory(self) -> bool:
        domain = self.settings.library.domain
        doing = f"starting {self.serves} of {domain}"
        try:
            await self.follower.mark()
            self.known.directory = await self.directory_store.load(domain)
        except (RefdeskError, SQLAlchemyError, OSError) as error:
            self._failures.failed(doing, error)
            return False
        self._failures.recovered(doing)
        return True

    async def _reload(self) -> None:
        """An administrator changed the set-up: who is an admin, which co-ops are joined."""
        before = self.known.directory
        self.known.directory = await self.directory_store.load(self.settings.library.domain)
        if before is None or before.coops != self.known.directory.coops:
            self._follow()

    def _follow(self) -> None:
        directory = self.known.directory
        coops = [] if directory is None else list(directory.coops.values())
        for gone in set(self.known.coops) - {coop.id for coop in coops}:
            del self.known.coops[gone]
        self.feed.follow(coops)

    def _coop_published(self, coop: CoopRecord) -> None:
        self.known.coops[coop.id] = coop
