"""What the library's operators do with its tickets, however they ask (the archive's iq
protocol, or the `tickets` ad-hoc command): each action checks who asks, sends the mail or
the referral first, and records it only once it went out, so that nothing is lost."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from slixmpp import ComponentXMPP

from components.archive.referrals import NOT_A_PARTNER, send_referral, shares_coop
from components.archive.ticketmail import answer_mail, referral_mail
from refdesk.db.models import TicketState
from refdesk.db.stores.directory import Directory
from refdesk.db.stores.registry import CoopRecord
from refdesk.db.stores.tickets import NO_TICKET, TicketRecord, TicketStore
from refdesk.errors import Conflict, InvalidInput, NotFound
from refdesk.mail import Mail, Mailer, checked_address

NO_EMAIL = ("This ticket has no email address to answer to: the patron left none. Close it "
            "once they have their answer another way.")


class Library(Protocol):
    """What the archive knows of its library: its set-up, and its co-ops' registries' word."""

    @property
    def directory(self) -> Directory: ...

    @property
    def coops(self) -> Mapping[str, CoopRecord]: ...


class TicketActions:
    def __init__(self, xmpp: ComponentXMPP, library: Library, store: TicketStore,
                 mailer: Mailer) -> None:
        self.xmpp, self.library, self.store, self.mailer = xmpp, library, store, mailer

    @property
    def home(self) -> int:
        return self.library.directory.institution_id

    def operator(self, jid: str) -> str:
        """`jid`, if one of the library's operators; to anyone else there are no tickets."""
        if jid not in self.library.directory.operators:
            raise NotFound(NO_TICKET)
        return jid

    async def assign(self, operator: str, number: int, to: str | None) -> TicketRecord:
        if to is not None and to not in self.library.directory.operators:
            raise InvalidInput(f"{to} is not a librarian of {self.library.directory.name}.")
        return await self.store.assign(self.home, number, to)

    async def answer(self, operator: str, number: int, text: str,
                     keep_open: bool = False) -> TicketRecord:
        ticket = await self._open(number)
        if not ticket.patron_email:
            raise InvalidInput(NO_EMAIL)
        await self.mailer.send(answer_mail(self.library.directory.name, ticket, text))
        return await self.store.answered(self.home, number, operator, text, keep_open)

    async def close(self, operator: str, number: int) -> TicketRecord:
        return await self.store.close(self.home, number, operator)

    async def refer(self, operator: str, number: int, to: str,
                    note: str | None) -> TicketRecord:
        """To a partner library's archive, or by email; closed here once it went."""
        ticket = await self._open(number)
        where = await self._send_on(ticket, to.strip(), note)
        return await self.store.referred(self.home, number, operator, where)

    async def _send_on(self, ticket: TicketRecord, to: str, note: str | None) -> str:
        directory = self.library.directory
        if "@" in to:
            address = checked_address(to)
            mail = referral_mail(directory.name, ticket, note)
            await self.mailer.send(Mail(address, mail.subject, mail.body))
            return address
        to = to.lower()
        if not shares_coop(self.library.coops, directory.domain, to):
            raise InvalidInput(NOT_A_PARTNER.format(to=to or "''", library=directory.name))
        await send_referral(self.xmpp, directory.name, to, ticket, note)
        return to

    async def _open(self, number: int) -> TicketRecord:
        ticket = await self.store.get(self.home, number)
        if ticket.state != TicketState.OPEN:
            raise Conflict(f"Ticket {number} is closed already.")
        return ticket
