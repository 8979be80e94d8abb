"""What the queue asks of other entities: a 24/7 co-op's staff from its registry, whether a
librarian's client is still there, and pings that open federation links ahead of need."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from slixmpp import JID, ComponentXMPP
from slixmpp.exceptions import IqError, IqTimeout

from components.errors import error_condition
from refdesk.db.stores.directory import Directory

log = logging.getLogger(__name__)

STAFF_LOOKUP_TIMEOUT_S = 5.0
PING_TIMEOUT_S = 15.0
GONE = frozenset({"service-unavailable", "recipient-unavailable", "item-not-found",
                  "remote-server-not-found", "remote-server-timeout"})
"""Errors that may mean the pinged resource is not there."""


class Remote:
    def __init__(self, xmpp: ComponentXMPP, directory: Callable[[], Directory]) -> None:
        self.xmpp = xmpp
        self._directory = directory
        self._warming: set[asyncio.Future[None]] = set()

    def close(self) -> None:
        for warming in self._warming:
            warming.cancel()

    def warm_federation_links(self) -> None:
        """Open s2s to every partner domain now (a ping each), so that a timed offer to an
        operator or a co-op's staff never waits on a first TLS and dialback exchange."""
        directory = self._directory()
        domains = {d for coop in directory.coops.values() for d in (*coop.members, coop.host)}
        for domain in sorted(domains - {directory.domain}):
            ping = asyncio.ensure_future(self._ping(domain))
            self._warming.add(ping)
            ping.add_done_callback(self._warming.discard)

    async def _ping(self, domain: str) -> None:
        try:
            await self.xmpp.plugin["xep_0199"].send_ping(
                JID(domain), ifrom=self.xmpp.boundjid, timeout=10)
        except (IqError, IqTimeout) as error:
            log.info("%s did not answer a ping yet: %s", domain, error)

    async def staff_of(self, coop_id: str) -> list[str]:
        """A 24/7 co-op's dedicated staff, as its registry publishes them (disco items)."""
        coop = self._directory().coops[coop_id]
        items = await self.xmpp.plugin["xep_0030"].get_items(
            jid=JID(f"coop.{coop.host}"), node=f"staff/{coop_id}", ifrom=self.xmpp.boundjid,
            timeout=STAFF_LOOKUP_TIMEOUT_S,
        )
        return [JID(jid).bare for jid, _, _ in items["disco_items"]["items"]]

    async def client_answers(self, chat_jid: str, librarian: str) -> bool:
        """Whether a librarian's client is still there. A ping (XEP-0199) it answers says
        so; its server saying the resource is not there, or no answer, says it is gone. A
        client that does not know pings says service-unavailable too, like its server for
        a resource that is gone: a disco#info query, which every client answers, decides."""
        try:
            await self.xmpp.plugin["xep_0199"].send_ping(
                JID(librarian), ifrom=JID(chat_jid), timeout=PING_TIMEOUT_S)
        except IqTimeout:
            return False
        except IqError as error:
            if error_condition(error.iq) not in GONE:
                return True
            try:
                await self.xmpp.plugin["xep_0030"].get_info(
                    jid=JID(librarian), ifrom=JID(chat_jid), timeout=PING_TIMEOUT_S,
                    cached=False)
            except (IqError, IqTimeout):
                return False
        return True
