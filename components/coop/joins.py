"""The registry's side of joining: a library's queue asks, on the library sysadmin's
`refdesk coop join`, to join a co-op that invited it (schemas/coop-admin.xsd)."""

from __future__ import annotations

import logging

from slixmpp import ComponentXMPP, Iq
from slixmpp.xmlstream.handler import CoroutineCallback
from slixmpp.xmlstream.matcher import StanzaPath

from components.coop.joinwire import register_stanzas
from components.errors import xmpp_errors
from refdesk.db.models import InstitutionKind
from refdesk.db.stores.registry import RegistryStore
from refdesk.errors import InvalidInput, NotFound, NotPermitted

log = logging.getLogger(__name__)

LIBRARY_KINDS = {InstitutionKind.ACADEMIC.value, InstitutionKind.PUBLIC.value}


def library_of(sender: str) -> str | None:
    """The library a join comes from: only its queue, queue.<library>, speaks for it."""
    if "@" in sender or "/" in sender or not sender.startswith("queue."):
        return None
    return sender.removeprefix("queue.")


class Joins:
    def __init__(self, xmpp: ComponentXMPP, store: RegistryStore, host: str) -> None:
        self.xmpp, self._store, self._host = xmpp, store, host

    def register(self) -> None:
        register_stanzas()
        self.xmpp.register_handler(CoroutineCallback(
            "refdesk coop join", StanzaPath("iq@type=set/refdesk_coop_join"),
            self._handle_join,  # type: ignore[arg-type]  # the matcher guarantees an Iq
        ))

    @xmpp_errors
    async def _handle_join(self, iq: Iq) -> None:
        # The sender's domain is what s2s authenticated; the payload's name and kind are the
        # library's own description of itself.
        domain = library_of(str(iq["from"].bare))
        if domain is None:
            raise NotPermitted("Only a library's queue (queue.<library>) can ask to join a "
                               "co-op; run `refdesk coop join` at the library.")
        join = iq["refdesk_coop_join"]
        kind, name = str(join["kind"]), str(join["name"]).strip()
        if kind not in LIBRARY_KINDS or not name:
            raise InvalidInput("A join names the library and its kind, academic or public.")
        coop = await self._store.coop(str(join["coop"]))
        if coop.host != self._host:
            raise NotFound(f"There is no co-op {coop.id!r} here.")
        joined = await self._store.accept(coop.id, domain, name, InstitutionKind(kind))
        member = joined.member(domain)
        log.info("%s joined %s", domain, coop.id)
        reply = iq.reply()
        payload = reply["refdesk_coop_joined"]
        for key, value in (("coop", joined.id), ("name", joined.name), ("kind", joined.kind),
                           ("audience", joined.audience), ("host", joined.host),
                           ("room", joined.room), ("component", joined.component)):
            payload[key] = str(value)
        payload["contributing"] = "true" if member and member.contributing else "false"
        reply.send()
