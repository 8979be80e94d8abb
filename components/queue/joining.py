"""Carries the library's requests to join co-ops (`refdesk coop join`) to their registries.

The command line has no XMPP connection of its own, so it records the request in the
library's database and raises the DIRECTORY counter; when the queue sees the counter move
(components.queue.reload) or starts, this module sends each new request from queue.<library>
(the address s2s vouches for) and records the answer where the command line waits for it.
On admission the co-op's row is written, so that the library's widgets can route to it.
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
from refdesk.db.models import CoopAudience, CoopKind
from refdesk.db.stores.coop_links import CoopLinkStore, JoinedCoop, LinkRecord
from refdesk.settings.model import LibrarySettings

log = logging.getLogger(__name__)

ANSWER_TIMEOUT_S = 20.0
"""Within the command line's wait, so that it hears "the registry did not answer"."""


class Joining:
    def __init__(self, xmpp: ComponentXMPP, sessions: async_sessionmaker[AsyncSession],
                 library: LibrarySettings) -> None:
        self.xmpp, self._library = xmpp, library
        self._links = CoopLinkStore(sessions)
        self._checking: asyncio.Task[None] | None = None
        self._sending: dict[str, asyncio.Task[None]] = {}
        self._failures = Failures(log)
        register_stanzas()

    def close(self) -> None:
        for task in (self._checking, *self._sending.values()):
            if task is not None:
                task.cancel()
        self._checking, self._sending = None, {}

    def check(self) -> None:
        """Send the requests not yet answered (recorded while the queue was away, too)."""
        if self._checking is None or self._checking.done():
            self._checking = asyncio.ensure_future(self._check())
        else:  # a request recorded since that check began is read by the next one
            self._checking.add_done_callback(lambda _: self.check())

    async def _check(self) -> None:
        try:
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
            await self._record(self._links.joined(_joined(reply)))

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
        str(joined["component"]))
