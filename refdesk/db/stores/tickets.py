"""Follow-up tickets of one library: listed newest first, assigned, answered, closed, referred,
and filed when another library refers a question here.

Every method names the owning library: a ticket of another library is answered exactly as
one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from refdesk.db.models import FollowupTicket, TicketState
from refdesk.db.types import utcnow
from refdesk.errors import Conflict, NotFound

StateFilter = Literal["open", "closed", "all"]
Origin = Literal["offline", "followup", "referral"]
NO_TICKET = "There is no such ticket."
MAX_PAGE = 100


@dataclass(frozen=True)
class TicketRecord:
    """A ticket as the archive shows it; no ORM object leaves the store."""

    id: int
    state: TicketState
    opened_at: datetime
    origin: Origin
    question: str
    chat_id: str | None = None
    opened_by: str | None = None
    note: str | None = None
    patron_name: str | None = None
    patron_email: str | None = None
    assigned_to: str | None = None
    answer: str | None = None
    answered_at: datetime | None = None
    answered_by: str | None = None
    closed_at: datetime | None = None
    referred_from: str | None = None
    referred_to: str | None = None

    @classmethod
    def of(cls, ticket: FollowupTicket) -> TicketRecord:
        chat = ticket.chat
        return cls(
            ticket.id, ticket.state, ticket.opened_at, _origin(ticket),
            ticket.question or (chat.question if chat is not None else ""),
            ticket.chat_id, ticket.opened_by, ticket.note,
            ticket.patron_name or (chat.patron_name if chat is not None else None),
            ticket.patron_email or (chat.patron_email if chat is not None else None),
            ticket.assigned_to, ticket.answer, ticket.answered_at, ticket.answered_by,
            ticket.closed_at, ticket.referred_from, ticket.referred_to)


def _origin(ticket: FollowupTicket) -> Origin:
    if ticket.referred_from is not None:
        return "referral"
    return "followup" if ticket.opened_by is not None else "offline"


@dataclass(frozen=True)
class TicketPage:
    tickets: list[TicketRecord]
    count: int
    """How many tickets the filter matches, on every page."""


@dataclass(frozen=True)
class Referral:
    """A question another library referred here."""

    referred_from: str
    question: str
    patron_name: str | None = None
    patron_email: str | None = None
    note: str | None = None


class TicketStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def page(self, library: int, state: StateFilter = "open", limit: int = 20,
                   after: int | None = None, before: int | None = None) -> TicketPage:
        """Tickets newest first (XEP-0059: after = older than, before = newer than)."""
        query = _filtered(library, state)
        async with self._sessions() as session:
            count = await session.scalar(
                select(func.count()).select_from(query.subquery())) or 0
            if before is not None:
                rows = await session.scalars(query.where(FollowupTicket.id > before)
                                             .order_by(FollowupTicket.id).limit(limit))
                tickets = list(reversed([TicketRecord.of(t) for t in rows]))
            else:
                older = query if after is None else query.where(FollowupTicket.id < after)
                rows = await session.scalars(older.order_by(FollowupTicket.id.desc())
                                             .limit(limit))
                tickets = [TicketRecord.of(t) for t in rows]
            return TicketPage(tickets, count)

    async def get(self, library: int, ticket_id: int) -> TicketRecord:
        async with self._sessions() as session:
            return TicketRecord.of(await _ticket(session, library, ticket_id))

    async def assign(self, library: int, ticket_id: int, to: str | None) -> TicketRecord:
        async with self._sessions() as session, session.begin():
            ticket = await _open(session, library, ticket_id)
            ticket.assigned_to = to
            return TicketRecord.of(ticket)

    async def answered(self, library: int, ticket_id: int, by: str, answer: str,
                       keep_open: bool = False) -> TicketRecord:
        """Record the answer sent to the patron; closes the ticket unless keep_open."""
        async with self._sessions() as session, session.begin():
            ticket = await _open(session, library, ticket_id)
            ticket.answer, ticket.answered_by, ticket.answered_at = answer, by, utcnow()
            if not keep_open:
                _close(ticket, by)
            return TicketRecord.of(ticket)

    async def close(self, library: int, ticket_id: int, by: str) -> TicketRecord:
        async with self._sessions() as session, session.begin():
            ticket = await _open(session, library, ticket_id)
            _close(ticket, by)
            return TicketRecord.of(ticket)

    async def referred(self, library: int, ticket_id: int, by: str, to: str) -> TicketRecord:
        """The ticket went to another library or an email address: closed here."""
        async with self._sessions() as session, session.begin():
            ticket = await _open(session, library, ticket_id)
            ticket.referred_to = to
            _close(ticket, by)
            return TicketRecord.of(ticket)

    async def file_referral(self, library: int, referral: Referral) -> int:
        """Open a ticket for a question another library referred here; its id."""
        async with self._sessions() as session, session.begin():
            ticket = FollowupTicket(
                institution_id=library, question=referral.question,
                patron_name=referral.patron_name, patron_email=referral.patron_email,
                note=referral.note, referred_from=referral.referred_from)
            session.add(ticket)
            await session.flush()
            return ticket.id


def _filtered(library: int, state: StateFilter) -> Select[FollowupTicket]:
    query = (select(FollowupTicket).where(FollowupTicket.institution_id == library)
             .options(selectinload(FollowupTicket.chat)))
    if state != "all":
        query = query.where(FollowupTicket.state == TicketState(state))
    return query


async def _ticket(session: AsyncSession, library: int, ticket_id: int) -> FollowupTicket:
    ticket = await session.scalar(
        select(FollowupTicket).where(FollowupTicket.id == ticket_id,
                                     FollowupTicket.institution_id == library)
        .options(selectinload(FollowupTicket.chat)))
    if ticket is None:
        raise NotFound(NO_TICKET)
    return ticket


async def _open(session: AsyncSession, library: int, ticket_id: int) -> FollowupTicket:
    ticket = await _ticket(session, library, ticket_id)
    if ticket.state != TicketState.OPEN:
        raise Conflict(f"Ticket {ticket_id} is closed already.")
    return ticket


def _close(ticket: FollowupTicket, by: str) -> None:
    ticket.state, ticket.closed_by, ticket.closed_at = TicketState.CLOSED, by, utcnow()
