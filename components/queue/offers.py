"""Offers: who a routing step notifies, recorded in the chat's plan, then sent.

A step's sends become offers in the plan first (with a 24/7 co-op's staff as its registry
last published them), so that the plan saved with the chat names everyone who must later
learn the chat was taken or withdrawn; only then are they sent.

A co-op offer is posted in the co-op's room when everyone who may be in the room answers
this library's chats. When someone may be there who does not (a non-contributing member's
staff answer only their own patrons), posting would show them the chat (the room, and its
archive, are theirs too): each entitled monitor is then offered the chat directly instead,
which tells them exactly what a room post would, and nobody else anything.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from slixmpp import JID

from components.queue.chatpresence import ChatPresence, waiting_status
from components.queue.entitlement import Entitlement
from components.queue.fairoffer import NotifyRest, first_wave, rest_due
from components.queue.monitoring import Monitoring
from components.queue.outbox import Outbox, Preview
from components.queue.plan import Offer, Plan
from components.queue.routing import Notify, NotifyStaff
from refdesk.db.stores.chats import ChatRecord
from refdesk.db.stores.directory import CoopInfo, Directory

log = logging.getLogger(__name__)

Send = Notify | NotifyStaff | NotifyRest


class StaffUnknown(Exception):
    """A co-op's registry has not said who its staff are (yet): the step is tried again."""


class Offers:
    def __init__(self, outbox: Outbox, monitoring: Monitoring, presence: ChatPresence) -> None:
        self.outbox = outbox
        self._monitoring = monitoring
        self.presence = presence

    def record(self, entitlement: Entitlement, sends: list[Send], plan: Plan,
               now: float) -> Plan:
        """The plan with the offers these sends make; StaffUnknown if a co-op's staff are
        not known yet."""
        directory = entitlement.directory
        for send in sends:
            if isinstance(send, NotifyStaff):
                for jid in staff_of(entitlement, send.coop):
                    plan = plan.offered(Offer(jid, room=False, coop=send.coop))
                continue
            if isinstance(send, NotifyRest):
                plan = self._record_rest(entitlement, directory.coops[send.coop], plan)
                continue
            target = send.target
            if target.kind == "operator":
                plan = plan.offered(Offer(target.ref, room=False))
            elif target.is_coop:
                plan = self._record_coop(entitlement, directory.coops[target.ref], plan, now)
            else:
                plan = plan.offered(Offer(target.ref, room=True))
        return plan

    def _record_coop(self, entitlement: Entitlement, coop: CoopInfo, plan: Plan,
                     now: float) -> Plan:
        registry = entitlement.coops.get(coop.id)
        monitors = [m.jid for m in self._monitoring.monitors(coop.room) if m.jid]
        first = first_wave(registry, entitlement.directory.domain, monitors)
        if registry is None or first is None:
            return self._record_room(entitlement, coop, plan)
        # Not posted in the room, where everyone would see it at once: offered directly.
        for jid in sorted(first):
            plan = plan.offered(Offer(jid, room=False, coop=coop.id, for_room=coop.room))
        return replace(plan, progress=rest_due(plan, coop.id, now, registry.fair_delay_s))

    def _record_rest(self, entitlement: Entitlement, coop: CoopInfo, plan: Plan) -> Plan:
        """The room's offer, for whoever monitors it and answers through the co-op, and a
        direct offer to each such monitor not offered the chat yet."""
        offered = {o.to for o in plan.offers if o.for_room == coop.room}
        plan = plan.offered(Offer(coop.room, room=True, coop=coop.id, posted=False))
        for monitor in self._monitoring.monitors(coop.room):
            if monitor.jid and monitor.jid not in offered:
                plan = plan.offered(Offer(monitor.jid, room=False, coop=coop.id,
                                          for_room=coop.room))
        return plan

    def _record_room(self, entitlement: Entitlement, coop: CoopInfo, plan: Plan) -> Plan:
        posted = entitlement.open_to_all(coop.id)
        plan = plan.offered(Offer(coop.room, room=True, coop=coop.id, posted=posted))
        if not posted:
            for monitor in self._monitoring.monitors(coop.room):
                plan = plan.offered(Offer(monitor.jid or "", room=False, coop=coop.id,
                                          for_room=coop.room))
        return plan

    def send(self, directory: Directory, sends: list[Send], plan: Plan,
             preview: Preview) -> None:
        for send in sends:
            if isinstance(send, NotifyRest):
                coop = directory.coops[send.coop]
                self._send_direct(directory, coop, plan, _via(preview, coop.name), send.first)
                continue
            if isinstance(send, NotifyStaff):
                coop = directory.coops[send.coop]
                for offer in plan.offers:
                    if offer.coop == coop.id and not offer.room and offer.for_room is None:
                        self._direct(directory, offer.to, _via(preview, coop.name))
                continue
            target = send.target
            if target.kind == "operator":
                self._direct(directory, target.ref, preview)
            elif target.is_coop:
                self._send_coop(directory, directory.coops[target.ref], plan, preview)
            else:
                self.outbox.offer_to_room(target.ref, preview, home=True)
                self._show_monitors(target.ref, preview)

    def _send_coop(self, directory: Directory, coop: CoopInfo, plan: Plan,
                   preview: Preview) -> None:
        preview = _via(preview, coop.name)
        room_offer = next((o for o in reversed(plan.offers) if o.room and o.to == coop.room),
                          None)
        if room_offer is not None and room_offer.posted:
            self.outbox.offer_to_room(coop.room, preview, home=False)
            self._show_monitors(coop.room, preview)
            return
        self._send_direct(directory, coop, plan, preview, frozenset())

    def _send_direct(self, directory: Directory, coop: CoopInfo, plan: Plan, preview: Preview,
                     already: frozenset[str]) -> None:
        """Offer the chat to each of the room's monitors the plan offers it to directly,
        but those `already` offered it."""
        offered = {o.to for o in plan.offers if o.for_room == coop.room} - already
        for monitor in self._monitoring.monitors(coop.room):
            if monitor.jid in offered:
                self._direct(directory, monitor.jid, preview)

    def _direct(self, directory: Directory, operator: str, preview: Preview) -> None:
        self.outbox.offer_to_operator(operator, preview, JID(operator).domain == directory.domain)
        self._show(preview, operator)

    def _show_monitors(self, room: str, preview: Preview) -> None:
        for monitor in self._monitoring.monitors(room):
            if monitor.jid:
                self._show(preview, monitor.jid)

    def _show(self, preview: Preview, to: str) -> None:
        self.presence.show(preview.chat_jid, to, preview.contact_name(),
                           waiting_status(preview.question))


def staff_of(entitlement: Entitlement, coop_id: str) -> list[str]:
    """A 24/7 co-op's own staff with chat access, as its registry last published them."""
    coop = entitlement.coops.get(coop_id)
    if coop is None:
        raise StaffUnknown(f"{coop_id}: no word from its registry yet")
    return [user.jid for user in coop.staff if user.chat_enabled]


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
