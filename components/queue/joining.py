"""Carries the library's requests to join co-ops (`refdesk coop join`) to their registries.

The command line has no XMPP connection of its own, so it records the request in the
library's database and raises the DIRECTORY counter; this module polls that counter, sends
each new request from queue.<library> (the address s2s vouches for) and records the answer
where the command line waits for it. On admission the co-op's row is written, so that the
library's widgets can route to it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable

from slixmpp import ComponentXMPP, Iq
from slixmpp.exceptions import IqError, IqTimeout
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from components.coop.joinwire import register_stanzas
from components.failures import Failures
from refdesk.db.models import CoopAudience, CoopKind, RevisionScope
from refdesk.db.stores.coop_links import CoopLinkStore, JoinedCoop, LinkRecord
from refdesk.db.stores.revisions import RevisionStore
from refdesk.settings.model import LibrarySettings

log = logging.getLogger(__name__)

POLL_S = 2.0
"""How often the DIRECTORY counter is read."""
ANSWER_TIMEOUT_S = 20.0
"""Within the command line's wait, so that it hears "the registry did not answer"."""


class Joining:
    def __init__(self, xmpp: ComponentXMPP, sessions: async_sessionmaker[AsyncSession],
                 library: LibrarySettings) -> None:
        self.xmpp, self._library = xmpp, library
        self._links, self._revisions = CoopLinkStore(sessions), RevisionStore(sessions)
        self._seen: int | None = None
        self._next_check: asyncio.TimerHandle | None = None
        self._checking: asyncio.Task[None] | None = None
        self._sending: dict[str, asyncio.Task[None]] = {}
        self._failures = Failures(log)

    def register(self) -> Joining:
        register_stanzas()
        self.xmpp.add_event_handler("session_start", self._start)
        self.xmpp.add_event_handler("disconnected", lambda _: self.close())
        return self

    def close(self) -> None:
        if self._next_check is not None:
            self._next_check.cancel()
        for task in (self._checking, *self._sending.values()):
            if task is not None:
                task.cancel()
        self._next_check, self._checking, self._sending = None, None, {}

    def _start(self, _: object) -> None:
        self.close()
        self._seen = None  # requests recorded while the queue was away go out now
        self._tick()

    def _tick(self) -> None:
        # A timer between checks, not a task that sleeps: nothing is running while idle.
        self._checking = asyncio.create_task(self._check())
        self._checking.add_done_callback(self._schedule)

    def _schedule(self, done: asyncio.Task[None]) -> None:
        if not done.cancelled():
            self._next_check = asyncio.get_running_loop().call_later(POLL_S, self._tick)

    async def _check(self) -> None:
        try:
            current = await self._revisions.current(RevisionScope.DIRECTORY)
            if current != self._seen:
                self._seen = current
                for link in await self._links.requested():
                    self._send(link)
        except SQLAlchemyError as error:
            self._failures.failed("reading requests to join co-ops", error)
        else:
            self._failures.recovered("reading requests to join co-ops")

    def _send(self, link: LinkRecord) -> None:
        if link.coop_id in self._sending:
            return
        task = asyncio.create_task(self._join(link))
        self._sending[link.coop_id] = task
        task.add_done_callback(lambda _: self._sending.pop(link.coop_id, None))

    async def _join(self, link: LinkRecord) -> None:
        iq = self.xmpp.make_iq_set(ito=link.registry, ifrom=self.xmpp.boundjid.bare)
        join = iq["refdesk_coop_join"]
        join["coop"], join["name"], join["kind"] = (
            link.coop_id, self._library.name, self._library.kind)
        log.info("asking %s to join %s", link.registry, link.coop_id)
        try:
            reply = await iq.send(timeout=ANSWER_TIMEOUT_S)
        except IqError as error:
            reason = error.text or f"{link.registry} refused ({error.condition})."
            await self._record(self._links.refused(link.coop_id, reason))
        except IqTimeout:
            await self._record(self._links.refused(
                link.coop_id, f"{link.registry} did not answer; is it running?"))
        else:
            await self._record(self._links.joined(self._library.domain, _joined(reply)))

    async def _record(self, step: Awaitable[None]) -> None:
        try:
            await step
        except SQLAlchemyError as error:
            # The request stays "requested": sent again at the next change or start.
            self._failures.failed("recording a co-op's answer", error)


def _joined(reply: Iq) -> JoinedCoop:
    joined = reply["refdesk_coop_joined"]
    return JoinedCoop(
        str(joined["coop"]), str(joined["name"]), CoopKind(str(joined["kind"])),
        CoopAudience(str(joined["audience"])), str(joined["host"]), str(joined["room"]),
        str(joined["component"]), str(joined["contributing"]) in ("true", "1"))
