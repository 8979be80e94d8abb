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
from refdesk.db.stores.chataccess import ChatAccessStore

log = logging.getLogger(__name__)

RETRY_S = 5.0
"""A registry that did not take the report is told again this much later."""
TIMEOUT_S = 10.0


class ChatAccessReport:
    def __init__(self, xmpp: ComponentXMPP, store: ChatAccessStore, domain: str,
                 registries: Callable[[], set[str]]) -> None:
        self._xmpp = xmpp
        self._store = store
        self._domain = domain
        self._registries = registries
        self._failures = Failures(log)
        self._next: asyncio.TimerHandle | None = None
        self._reporting: asyncio.Task[None] | None = None

    async def send(self, registry: str) -> None:
        """Tell one registry; IqError or IqTimeout if it did not take it."""
        iq = self._xmpp.make_iq_set(ito=registry, ifrom=self._xmpp.boundjid.bare)
        iq.xml.append(access_element(await self._store.of(self._domain)))
        await iq.send(timeout=TIMEOUT_S)

    def report(self) -> None:
        """Tell every registry now (the library's users changed, or the queue started), and
        again after RETRY_S for as long as one did not take it."""
        self.stop()
        self._reporting = asyncio.ensure_future(self._report())

    def stop(self) -> None:
        if self._next is not None:
            self._next.cancel()
        if self._reporting is not None:
            self._reporting.cancel()
        self._next = self._reporting = None

    async def _report(self) -> None:
        try:
            taken = await self._send_all()
            self._failures.recovered("reading the chat access")
        except (SQLAlchemyError, OSError) as error:
            self._failures.failed("reading the chat access", error)
            taken = False
        self._reporting = None
        if not taken:
            # A timer, not a task asleep in a loop: nothing runs while it waits.
            self._next = asyncio.get_running_loop().call_later(RETRY_S, self.report)

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
