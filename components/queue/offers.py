"""Offers: who a routing step notifies, recorded in the chat's plan, then sent.

A step's sends become offers in the plan first (with a 24/7 co-op's staff looked up from its
registry), so that the plan saved with the chat names everyone who must later learn the chat
was taken or withdrawn; only then are they sent.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace

from slixmpp import JID

from components.queue.chatpresence import ChatPresence, waiting_status
from components.queue.monitoring import Monitoring
from components.queue.outbox import Outbox, Preview
from components.queue.plan import Offer, Plan
from components.queue.routing import Notify, NotifyStaff
from refdesk.db.stores.chats import ChatRecord
from refdesk.db.stores.directory import Directory

log = logging.getLogger(__name__)

STAFF_CACHE_S = 300.0
"""How long a co-op's staff list is trusted before its registry is asked again."""

StaffLookup = Callable[[str], Awaitable[list[str]]]
"""Co-op id -> its dedicated staff's JIDs (asked of the co-op's registry)."""
Send = Notify | NotifyStaff


class StaffUnknown(Exception):
    """A co-op's registry did not say who its staff are (yet): the step is tried again."""


class Offers:
    def __init__(self, outbox: Outbox, staff: StaffLookup, monitoring: Monitoring,
                 presence: ChatPresence) -> None:
        self.outbox = outbox
        self._staff = staff
        self._monitoring = monitoring
        self.presence = presence
        self._staff_cache: dict[str, tuple[float, asyncio.Future[list[str]]]] = {}

    def staff_of(self, coop_id: str) -> asyncio.Future[list[str]]:
        """A 24/7 co-op's staff, asked of its registry at most every STAFF_CACHE_S; fetched
        as soon as the co-op is notified, so the timed staff step never waits on it. A
        failed lookup is not kept: the next caller asks again."""
        now = time.monotonic()
        cached = self._staff_cache.get(coop_id)
        fresh = cached and now - cached[0] < STAFF_CACHE_S and not (
            cached[1].done() and (cached[1].cancelled() or cached[1].exception()))
        if not fresh:
            lookup = asyncio.ensure_future(self._staff(coop_id))
            lookup.add_done_callback(_quiet)
            self._staff_cache[coop_id] = (now, lookup)
        return self._staff_cache[coop_id][1]

    async def record(self, directory: Directory, sends: list[Send], plan: Plan) -> Plan:
        """The plan with the offers these sends make; StaffUnknown if a co-op's staff
        cannot be looked up now."""
        for send in sends:
            if isinstance(send, NotifyStaff):
                try:
                    staff = await asyncio.shield(self.staff_of(send.coop))
                except Exception as error:
                    raise StaffUnknown(f"{send.coop}: {error or type(error).__name__}") from None
                for jid in staff:
                    plan = plan.offered(Offer(jid, room=False, coop=send.coop))
                continue
            target = send.target
            if target.global_coop:
                self.staff_of(target.ref)  # warm: needed staff_delay_s from now
            if target.kind == "operator":
                plan = plan.offered(Offer(target.ref, room=False))
            elif target.is_coop:
                coop = directory.coops[target.ref]
                plan = plan.offered(Offer(coop.room, room=True, coop=coop.id))
            else:
                plan = plan.offered(Offer(target.ref, room=True))
        return plan

    def send(self, directory: Directory, sends: list[Send], plan: Plan,
             preview: Preview) -> None:
        for send in sends:
            if isinstance(send, NotifyStaff):
                coop = directory.coops[send.coop]
                for offer in plan.offers:
                    if offer.coop == coop.id and not offer.room:
                        self.outbox.offer_to_operator(offer.to, _via(preview, coop.name), False)
                        self._show(preview, offer.to)
                continue
            target = send.target
            if target.kind == "operator":
                home = JID(target.ref).domain == directory.domain
                self.outbox.offer_to_operator(target.ref, preview, home)
                self._show(preview, target.ref)
                continue
            room = directory.coops[target.ref].room if target.is_coop else target.ref
            via = directory.coops[target.ref].name if target.is_coop else None
            self.outbox.offer_to_room(room, _via(preview, via) if via else preview,
                                      home=not target.is_coop)
            for monitor in self._monitoring.monitors(room):
                if monitor.jid:
                    self._show(preview, monitor.jid)

    def _show(self, preview: Preview, to: str) -> None:
        self.presence.show(preview.chat_jid, to, preview.contact_name(),
                           waiting_status(preview.question))


def preview_of(directory: Directory, chat: ChatRecord, chat_jid: str) -> Preview:
    """What an operator sees before claiming; names the co-ops it was offered through."""
    widget = directory.widget(chat.widget_id)
    coops = [] if not chat.routing else [
        directory.coops[offer.coop].name
        for offer in Plan.from_json(chat.routing).offers if offer.coop
    ]
    return Preview(chat_jid, directory.domain, directory.name, widget.id, widget.name,
                   chat.question, chat.referrer, patron_name=chat.patron_name,
                   patron_email=chat.patron_email,
                   via=", ".join(dict.fromkeys(coops)) or None)


def _via(preview: Preview, coop_name: str) -> Preview:
    return replace(preview, via=coop_name)


def _quiet(lookup: asyncio.Future[list[str]]) -> None:
    """Retrieve a failed lookup's exception, so asyncio does not log it as never retrieved;
    whoever awaits it logs it once."""
    if not lookup.cancelled():
        lookup.exception()
