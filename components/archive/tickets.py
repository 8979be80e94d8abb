"""The library's follow-up tickets at its archive (schemas/archive.xsd): listed, assigned,
answered by email, closed and referred by the library's own operators; referrals filed
when a partner library's archive sends one.

Anyone who is not an operator of this library is answered as if no ticket existed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from slixmpp import ComponentXMPP, Iq

from components.archive import ticketwire as wire
from components.archive.referrals import (
    NOT_A_PARTNER,
    referring_library,
    send_referral,
    shares_coop,
)
from components.archive.ticketmail import answer_mail, referral_mail
from components.errors import xmpp_errors
from components.iqroutes import register_iq_routes
from refdesk.db.stores.directory import Directory
from refdesk.db.stores.registry import CoopRecord
from refdesk.db.stores.tickets import NO_TICKET, Referral, TicketRecord, TicketStore
from refdesk.errors import InvalidInput, NotFound, NotPermitted
from refdesk.mail import Mailer, checked_address, is_address

NO_EMAIL = ("This ticket has no email address to answer to: the patron left none. Close it "
            "once they have their answer another way.")
NOT_PARTNER_ARCHIVE = ("Only the archive of a member library of a co-op this library belongs "
                       "to may refer a question here.")


class Library(Protocol):
    """What the archive knows of its library: its set-up, and its co-ops' registries' word."""

    @property
    def directory(self) -> Directory: ...

    @property
    def coops(self) -> Mapping[str, CoopRecord]: ...


class TicketRequests:
    def __init__(self, xmpp: ComponentXMPP, library: Library, store: TicketStore,
                 mailer: Mailer) -> None:
        self.xmpp, self.library, self.store, self.mailer = xmpp, library, store, mailer

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

    def operator(self, iq: Iq) -> str:
        """The asker, if one of the library's operators; otherwise there are no tickets."""
        asker = iq["from"].bare
        if iq["to"].bare != self.xmpp.boundjid.bare or \
                asker not in self.library.directory.operators:
            raise NotFound(NO_TICKET)
        return str(asker)

    @property
    def home(self) -> int:
        return self.library.directory.institution_id

    @xmpp_errors
    async def _handle_tickets(self, iq: Iq) -> None:
        self.operator(iq)
        query = iq["archive_tickets"]
        state = wire.state_filter(query["state"])
        wanted = wire.page_request(query.xml)
        page = await self.store.page(self.home, state, wanted.limit, wanted.after,
                                     wanted.before)
        self._reply(iq, wire.tickets_element(state, page))

    @xmpp_errors
    async def _handle_assign(self, iq: Iq) -> None:
        self.operator(iq)
        wanted = iq["archive_assign"]
        to = wanted["to"] or None
        if to is not None and to not in self.library.directory.operators:
            raise InvalidInput(f"{to} is not a librarian of {self.library.directory.name}.")
        ticket = await self.store.assign(self.home, wire.ticket_number(wanted["ticket"]), to)
        self._reply(iq, wire.ticket_element(ticket))

    @xmpp_errors
    async def _handle_answer(self, iq: Iq) -> None:
        operator = self.operator(iq)
        wanted = iq["archive_answer"]
        ticket = await self.store.get(self.home, wire.ticket_number(wanted["ticket"]))
        text = wire.text_of(wanted.xml.text, "answer")
        if not ticket.patron_email:
            raise InvalidInput(NO_EMAIL)
        await self.mailer.send(answer_mail(self.library.directory.name, ticket, text))
        answered = await self.store.answered(self.home, ticket.id, operator, text,
                                             wanted["keep-open"] in ("true", "1"))
        self._reply(iq, wire.ticket_element(answered))

    @xmpp_errors
    async def _handle_close(self, iq: Iq) -> None:
        operator = self.operator(iq)
        number = wire.ticket_number(iq["archive_close"]["ticket"])
        self._reply(iq, wire.ticket_element(await self.store.close(self.home, number,
                                                                   operator)))

    @xmpp_errors
    async def _handle_refer(self, iq: Iq) -> None:
        operator = self.operator(iq)
        wanted = iq["archive_refer"]
        ticket = await self.store.get(self.home, wire.ticket_number(wanted["ticket"]))
        note = (wanted.xml.text or "").strip()[:wire.MAX_TEXT] or None
        to = await self._refer(ticket, (wanted["to"] or "").strip(), note)
        referred = await self.store.referred(self.home, ticket.id, operator, to)
        self._reply(iq, wire.ticket_element(referred))

    async def _refer(self, ticket: TicketRecord, to: str, note: str | None) -> str:
        """Send the question on; where it went, as the ticket records it."""
        directory = self.library.directory
        if "@" in to:
            address = checked_address(to)
            mail = referral_mail(directory.name, ticket, note)
            await self.mailer.send(type(mail)(address, mail.subject, mail.body))
            return address
        to = to.lower()
        if not shares_coop(self.library.coops, directory.domain, to):
            raise InvalidInput(NOT_A_PARTNER.format(to=to or "''", library=directory.name))
        await send_referral(self.xmpp, directory.name, to, ticket, note)
        return to

    @xmpp_errors
    async def _handle_referral(self, iq: Iq) -> None:
        directory = self.library.directory
        sender = referring_library(self.library.coops, directory.domain, iq["from"])
        if sender is None or iq["to"].bare != self.xmpp.boundjid.bare:
            raise NotPermitted(NOT_PARTNER_ARCHIVE)
        referral = _referral(sender, iq["archive_referral"])
        number = await self.store.file_referral(self.home, referral)
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
