"""The library tells each co-op's registry when its policy page last changed, so that the
co-op's admins see who is out of date: to all of them on every change, and to a co-op
whenever its registry publishes it to us (after a (re)start, a join, any change at the
registry) with a date it has not been told yet — a page changed behind the component's back
(a restored backup, the command line) is reported then. Nothing of the page's content
leaves the library."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from slixmpp import ComponentXMPP
from slixmpp.exceptions import IqError, IqTimeout
from sqlalchemy.exc import SQLAlchemyError

from components.failures import Failures
from components.faq.askers import Askers
from components.faq.policywire import status_element
from components.queue.coopfeed import RegistryError
from refdesk.db.stores.policies import PolicyStore
from refdesk.db.stores.registry import CoopRecord

log = logging.getLogger(__name__)

TIMEOUT_S = 10.0
PUBLISHED = "faq_coop_published"
"""The faq component's event: a co-op's registry published the co-op to it."""


class PolicyStatus:
    def __init__(self, xmpp: ComponentXMPP, askers: Askers, store: PolicyStore) -> None:
        self.xmpp, self.askers, self.store = xmpp, askers, store
        self._told: dict[str, datetime | None] = {}
        """Co-op id -> the date it was last told since the component (re)connected."""
        self._tasks: set[asyncio.Task[None]] = set()
        self._failures = Failures(log)

    def register(self) -> None:
        self.xmpp.add_event_handler(PUBLISHED, self.on_published)
        self.xmpp.add_event_handler("session_start", self._forget)
        self.xmpp.add_event_handler("disconnected", self._forget)

    def _forget(self, _: object) -> None:
        self._told.clear()

    def on_published(self, coop: CoopRecord) -> None:
        task = asyncio.ensure_future(self._tell_current(coop))
        self._tasks.add(task)  # kept until done: the loop holds only weak references
        task.add_done_callback(self._tasks.discard)

    async def changed(self, updated: datetime | None) -> None:
        """The page changed: every co-op's registry hears of it."""
        await asyncio.gather(*(self._tell(coop, updated)
                               for coop in list(self.askers.coops.values())))

    async def _tell_current(self, coop: CoopRecord) -> None:
        directory = self.askers.directory
        if directory is None:
            return
        try:
            page = await self.store.get(directory.institution_id)
        except (SQLAlchemyError, OSError) as error:
            self._failures.failed("reading the policy page's date", error)
            return
        if coop.id not in self._told or self._told[coop.id] != page.updated:
            await self._tell(coop, page.updated)

    async def _tell(self, coop: CoopRecord, updated: datetime | None) -> None:
        iq = self.xmpp.make_iq_set(ito=coop.component, ifrom=self.xmpp.boundjid.bare)
        iq.xml.append(status_element(coop.id, updated))
        what = f"telling {coop.component} of the policy page"
        try:
            await iq.send(timeout=TIMEOUT_S)
        except (IqError, IqTimeout) as error:
            self._failures.failed(what, RegistryError(error))
            self._told.pop(coop.id, None)  # told again at its next publication
            return
        self._told[coop.id] = updated
        self._failures.recovered(what)
