"""What the queue asks of other entities: whether a librarian's client is still there, and
pings that open federation links ahead of need."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

from slixmpp import JID, ComponentXMPP
from slixmpp.exceptions import IqError, IqTimeout

from components.errors import error_condition

log = logging.getLogger(__name__)

PING_TIMEOUT_S = 15.0
GONE = frozenset({"service-unavailable", "recipient-unavailable", "item-not-found",
                  "remote-server-not-found", "remote-server-timeout"})
"""Errors that may mean the pinged resource is not there."""


class Remote:
    def __init__(self, xmpp: ComponentXMPP) -> None:
        self.xmpp = xmpp
        self._warming: set[asyncio.Future[None]] = set()
        self._warmed: set[str] = set()
        """Domains pinged on this stream already."""

    def close(self) -> None:
        for warming in self._warming:
            warming.cancel()
        self._warmed.clear()

    def warm_federation_links(self, domains: Iterable[str]) -> None:
        """Open s2s to partner domains not pinged yet on this stream (a ping each), so that a
        timed offer to an operator or a co-op's staff never waits on a first TLS and
        dialback exchange."""
        own = self.xmpp.boundjid.domain.removeprefix("queue.")
        for domain in sorted(set(domains) - self._warmed - {own}):
            self._warmed.add(domain)
            ping = asyncio.ensure_future(self._ping(domain))
            self._warming.add(ping)
            ping.add_done_callback(self._warming.discard)

    async def _ping(self, domain: str) -> None:
        try:
            await self.xmpp.plugin["xep_0199"].send_ping(
                JID(domain), ifrom=self.xmpp.boundjid, timeout=10)
        except (IqError, IqTimeout) as error:
            log.info("%s did not answer a ping yet: %s", domain, error)

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
