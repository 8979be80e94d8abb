"""The library's word to its co-ops' registries on which of its users may chat at all.

A co-op account counts for nothing without chat access at the user's own library, and only
the library knows it: its queue reports it to each registry it follows, when it starts
following (components.queue.coopfeed) and whenever the library's DIRECTORY change counter
moves (an administrator switched someone's chat access). The registry takes a report only
about users of the sender's own domain.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from slixmpp import ComponentXMPP
from slixmpp.exceptions import IqError, IqTimeout
from sqlalchemy.exc import SQLAlchemyError

from components.coop.wire import access_element
from components.failures import Failures
from refdesk.db.models import RevisionScope
from refdesk.db.stores.chataccess import ChatAccessStore
from refdesk.db.stores.revisions import RevisionStore

log = logging.getLogger(__name__)

POLL_S = 1.5
"""How often the DIRECTORY change counter is read."""
TIMEOUT_S = 10.0


class ChatAccessReport:
    def __init__(self, xmpp: ComponentXMPP, store: ChatAccessStore, revisions: RevisionStore,
                 domain: str, registries: Callable[[], set[str]]) -> None:
        self._xmpp = xmpp
        self._store = store
        self._revisions = revisions
        self._domain = domain
        self._registries = registries
        self._failures = Failures(log)
        self._seen: int | None = None
        """The DIRECTORY counter last reported on."""
        self._next: asyncio.TimerHandle | None = None
        self._checking: asyncio.Task[None] | None = None

    async def send(self, registry: str) -> None:
        """Tell one registry; IqError or IqTimeout if it did not take it."""
        iq = self._xmpp.make_iq_set(ito=registry, ifrom=self._xmpp.boundjid.bare)
        iq.xml.append(access_element(await self._store.of(self._domain)))
        await iq.send(timeout=TIMEOUT_S)

    def watch(self) -> None:
        """Report again whenever the DIRECTORY counter moves, until stop()."""
        self.stop()
        self._seen = None
        self._check_soon(0)

    def stop(self) -> None:
        if self._next is not None:
            self._next.cancel()
        if self._checking is not None:
            self._checking.cancel()
        self._next = self._checking = None

    def _check_soon(self, seconds: float) -> None:
        # A timer, not a task asleep in a loop: each check is a task that ends.
        self._next = asyncio.get_running_loop().call_later(seconds, self._start_check)

    def _start_check(self) -> None:
        self._checking = asyncio.ensure_future(self._check())

    async def _check(self) -> None:
        try:
            revision = await self._revisions.current(RevisionScope.DIRECTORY)
            if self._seen is None or revision == self._seen or await self._send_all():
                self._seen = revision
            self._failures.recovered("reading the chat access")
        except (SQLAlchemyError, OSError) as error:
            self._failures.failed("reading the chat access", error)
        self._check_soon(POLL_S)

    async def _send_all(self) -> bool:
        """Report to every registry; False (to be tried again) if one did not take it."""
        taken = True
        for registry in sorted(self._registries()):
            try:
                await self.send(registry)
            except (IqError, IqTimeout) as error:
                self._failures.failed(f"reporting chat access to {registry}", error)
                taken = False
            else:
                self._failures.recovered(f"reporting chat access to {registry}")
        return taken
