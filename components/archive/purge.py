"""The archive's purge request (urn:refdesk:archive:0, schemas/archive.xsd): a home admin
deletes or anonymises every chat that ended in a date range.

Privacy: only the home library's admins may purge; everyone else (a patron on the guest host,
a librarian who is not an admin, another library's staff) gets the same refusal, checked
before the request is read, so that a refusal says nothing of the archive.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime

from slixmpp import ComponentXMPP, Iq
from slixmpp.xmlstream import ET

from components.archive.access import may_manage
from components.archive.stanzas import NS, register_stanzas, route
from components.errors import xmpp_errors
from components.iqroutes import register_iq_routes
from refdesk.db.stores.directory import Directory
from refdesk.db.stores.privacy import Period, PrivacyStore
from refdesk.db.stores.registry import CoopRecord
from refdesk.errors import InvalidInput, NotPermitted

log = logging.getLogger(__name__)

ONLY_ADMINS = "Only the library's admins may purge its transcripts."
ACTIONS = ("delete", "anonymise")


class Purge:
    """Answers purge requests; `directory` reads the library's set-up, `coops` is the co-op
    registries' word as the archive follows it."""

    def __init__(self, xmpp: ComponentXMPP, store: PrivacyStore,
                 directory: Callable[[], Awaitable[Directory]],
                 coops: Callable[[], Mapping[str, CoopRecord]]) -> None:
        self.xmpp, self.store = xmpp, store
        self._directory, self._coops = directory, coops

    def register(self) -> None:
        register_stanzas("purge")
        register_iq_routes(self.xmpp, {route("set", "purge"): self._handle_purge})

    @xmpp_errors
    async def _handle_purge(self, iq: Iq) -> None:
        asker = iq["from"].bare
        if not may_manage(await self._directory(), asker):
            raise NotPermitted(ONLY_ADMINS)
        request = iq["archive_purge"].xml
        period = read_period(request.get("start", ""), request.get("end", ""))
        action = request.get("action", "")
        if action not in ACTIONS:
            raise InvalidInput("The action is delete or anonymise.")
        count = await (self.store.delete if action == "delete" else self.store.anonymise)(
            period)
        log.info("%s purged (%s) %d chats that ended from %s to %s", asker, action, count,
                 period.start, period.end)
        reply = iq.reply(clear=True)
        reply.append(ET.Element(f"{{{NS}}}purged", {"count": str(count)}))
        reply.send()


def read_period(start: str, end: str) -> Period:
    """The period from two xs:dateTime values (a time without a zone is UTC)."""
    first, last = _instant(start, "start"), _instant(end, "end")
    if first >= last:
        raise InvalidInput("The period's start must come before its end.")
    return Period(first, last)


def _instant(text: str, what: str) -> datetime:
    try:
        instant = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"The {what} must be a date and time such as "
                           f"2026-01-31T00:00:00Z, not {text[:40]!r}.") from None
    return instant if instant.tzinfo is not None else instant.replace(tzinfo=UTC)
