"""The ticket store: a library's tickets only, newest first and paged, answered and closed
once, referred away and filed from a referral."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.db.models import Institution, InstitutionKind, TicketState, Widget
from refdesk.db.stores.chats import ChatStore, NewChat
from refdesk.db.stores.tickets import Referral, TicketStore
from refdesk.errors import Conflict, NotFound

ALPHA, BETA = 1, 2


@pytest.fixture
async def stores(sessions: async_sessionmaker[AsyncSession]) -> tuple[ChatStore, TicketStore]:
    async with sessions() as session, session.begin():
        for domain in ("alpha.test", "beta.test"):
            session.add(Institution(domain=domain, name=domain, kind=InstitutionKind.ACADEMIC))
        await session.flush()
        session.add(Widget(id="alpha-main", institution_id=ALPHA, name="Ask Alpha"))
    return ChatStore(sessions), TicketStore(sessions)


def _left(n: int) -> NewChat:
    return NewChat("alpha-main", ALPHA, f"p{n}@guest.alpha.test/web", f"Question {n}?",
                   f"Pat {n}", f"pat{n}@example.org")


async def test_an_offline_question_is_a_ticket_with_the_patrons_name_and_email(
        stores: tuple[ChatStore, TicketStore]) -> None:
    chats, tickets = stores
    ticket_id = await chats.leave_question(_left(1), "left offline")
    ticket = await tickets.get(ALPHA, ticket_id)
    assert (ticket.origin, ticket.question, ticket.patron_name, ticket.patron_email) == (
        "offline", "Question 1?", "Pat 1", "pat1@example.org")
    assert ticket.chat_id is not None and ticket.state == TicketState.OPEN


async def test_another_librarys_ticket_is_as_missing_as_one_that_never_was(
        stores: tuple[ChatStore, TicketStore]) -> None:
    chats, tickets = stores
    ticket_id = await chats.leave_question(_left(1), "left offline")
    for attempt in (tickets.get(BETA, ticket_id), tickets.close(BETA, ticket_id, "b@beta.test"),
                    tickets.assign(BETA, ticket_id, "b@beta.test"), tickets.get(ALPHA, 999)):
        with pytest.raises(NotFound, match="no such ticket"):
            await attempt
    assert (await tickets.page(BETA)).count == 0


async def test_tickets_page_newest_first_and_closed_ones_leave_the_active_list(
        stores: tuple[ChatStore, TicketStore]) -> None:
    chats, tickets = stores
    ids = [await chats.leave_question(_left(n), "left") for n in range(5)]
    first = await tickets.page(ALPHA, limit=2)
    assert [t.id for t in first.tickets] == ids[:-3:-1] and first.count == 5
    second = await tickets.page(ALPHA, limit=2, after=first.tickets[-1].id)
    assert [t.id for t in second.tickets] == ids[2:0:-1]
    back = await tickets.page(ALPHA, limit=2, before=second.tickets[0].id)
    assert back.tickets == first.tickets
    await tickets.close(ALPHA, ids[4], "ann@alpha.test")
    assert [t.id for t in (await tickets.page(ALPHA)).tickets] == ids[3::-1]
    closed = await tickets.page(ALPHA, "closed")
    assert [(t.id, t.state) for t in closed.tickets] == [(ids[4], TicketState.CLOSED)]
    assert (await tickets.page(ALPHA, "all")).count == 5


async def test_an_answer_is_recorded_and_closes_unless_kept_open(
        stores: tuple[ChatStore, TicketStore]) -> None:
    chats, tickets = stores
    one, two = [await chats.leave_question(_left(n), "left") for n in range(2)]
    kept = await tickets.answered(ALPHA, one, "ann@alpha.test", "Partly.", keep_open=True)
    assert (kept.state, kept.answer, kept.answered_by) == (
        TicketState.OPEN, "Partly.", "ann@alpha.test")
    done = await tickets.answered(ALPHA, two, "ann@alpha.test", "Yes.")
    assert done.state == TicketState.CLOSED and done.closed_at is not None
    with pytest.raises(Conflict, match="closed already"):
        await tickets.answered(ALPHA, two, "ann@alpha.test", "Again.")


async def test_a_referral_closes_here_and_is_filed_there_with_where_it_came_from(
        stores: tuple[ChatStore, TicketStore]) -> None:
    chats, tickets = stores
    ticket_id = await chats.leave_question(_left(1), "left")
    referred = await tickets.referred(ALPHA, ticket_id, "ann@alpha.test", "beta.test")
    assert (referred.state, referred.referred_to) == (TicketState.CLOSED, "beta.test")
    filed = await tickets.file_referral(BETA, Referral("alpha.test", "Question 1?", "Pat 1",
                                                       "pat1@example.org", "Over to you"))
    there = await tickets.get(BETA, filed)
    assert (there.origin, there.referred_from, there.note, there.patron_email) == (
        "referral", "alpha.test", "Over to you", "pat1@example.org")
    assert there.chat_id is None
