"""The library's follow-up tickets at its archive (schemas/archive.xsd): listed, assigned,
answered by email, closed and referred by the library's own operators; referrals filed
when a partner library's archive sends one.

Anyone who is not an operator of this library is answered as if no ticket existed.
"""

from __future__ import annotations

from slixmpp import Iq

from components.archive import ticketwire as wire
from components.archive.referrals import referring_library
from components.archive.ticketactions import Library, TicketActions
from components.errors import xmpp_errors
from components.iqroutes import register_iq_routes
from refdesk.db.stores.tickets import NO_TICKET, Referral
from refdesk.errors import InvalidInput, NotFound, NotPermitted
from refdesk.mail import is_address

__all__ = ["Library", "TicketRequests"]

NOT_PARTNER_ARCHIVE = ("Only the archive of a member library of a co-op this library belongs "
                       "to may refer a question here.")


class TicketRequests:
    def __init__(self, actions: TicketActions) -> None:
        self.actions = actions
        self.xmpp = actions.xmpp

    def register(self) -> None:
        wire.register_stanzas()
        register_iq_routes(self.xmpp, {
            ("get", "archive_tickets"): self._handle_tickets,
            ("set", "archive_assign"): self._handle_assign,
            ("set", "archive_answer"): self._handle_answer,
            ("set", "archive_close"): self._handle_close,
            ("set", "archive_refer"): self._handle_refer,
            ("set", "archive_referral"): self._handle_referral,
        })

    def _operator(self, iq: Iq) -> str:
        if iq["to"].bare != self.xmpp.boundjid.bare:
            raise NotFound(NO_TICKET)
        return self.actions.operator(str(iq["from"].bare))

    @xmpp_errors
    async def _handle_tickets(self, iq: Iq) -> None:
        self._operator(iq)
        query = iq["archive_tickets"]
        state = wire.state_filter(query["state"])
        wanted = wire.page_request(query.xml)
        page = await self.actions.store.page(self.actions.home, state, wanted.limit,
                                             wanted.after, wanted.before)
        self._reply(iq, wire.tickets_element(state, page))

    @xmpp_errors
    async def _handle_assign(self, iq: Iq) -> None:
        operator = self._operator(iq)
        wanted = iq["archive_assign"]
        ticket = await self.actions.assign(operator, wire.ticket_number(wanted["ticket"]),
                                           wanted["to"] or None)
        self._reply(iq, wire.ticket_element(ticket))

    @xmpp_errors
    async def _handle_answer(self, iq: Iq) -> None:
        operator = self._operator(iq)
        wanted = iq["archive_answer"]
        ticket = await self.actions.answer(
            operator, wire.ticket_number(wanted["ticket"]),
            wire.text_of(wanted.xml.text, "answer"), wanted["keep-open"] in ("true", "1"))
        self._reply(iq, wire.ticket_element(ticket))

    @xmpp_errors
    async def _handle_close(self, iq: Iq) -> None:
        operator = self._operator(iq)
        number = wire.ticket_number(iq["archive_close"]["ticket"])
        self._reply(iq, wire.ticket_element(await self.actions.close(operator, number)))

    @xmpp_errors
    async def _handle_refer(self, iq: Iq) -> None:
        operator = self._operator(iq)
        wanted = iq["archive_refer"]
        note = (wanted.xml.text or "").strip()[:wire.MAX_TEXT] or None
        ticket = await self.actions.refer(operator, wire.ticket_number(wanted["ticket"]),
                                          wanted["to"] or "", note)
        self._reply(iq, wire.ticket_element(ticket))

    @xmpp_errors
    async def _handle_referral(self, iq: Iq) -> None:
        library = self.actions.library
        sender = referring_library(library.coops, library.directory.domain, iq["from"])
        if sender is None or iq["to"].bare != self.xmpp.boundjid.bare:
            raise NotPermitted(NOT_PARTNER_ARCHIVE)
        referral = _referral(sender, iq["archive_referral"])
        number = await self.actions.store.file_referral(self.actions.home, referral)
        self._reply(iq, wire.element("referral", {"ticket": str(number)}))

    def _reply(self, iq: Iq, payload: object) -> None:
        reply = iq.reply()
        reply.append(payload)
        reply.send()


def _referral(sender: str, payload: wire.ReferralPayload) -> Referral:
    email = (payload["email"] or "").strip()
    if email and not is_address(email):
        raise InvalidInput(f"{email!r} is not an email address.")
    return Referral(
        referred_from=sender, question=wire.text_of(payload["question"], "question"),
        patron_name=(payload["name"] or "").strip()[:255] or None,
        patron_email=email or None,
        note=(payload["note"] or "").strip()[:wire.MAX_TEXT] or None)
