"""The `tickets` ad-hoc command (XEP-0050) at archive.<library>, for stock clients: the open
tickets listed, then one acted on (answer by email, assign, close, refer)."""

from __future__ import annotations

from typing import Any

from slixmpp import Iq

from components.adhoc_sessions import Session
from components.archive.ticketactions import TicketActions
from components.archive.ticketwire import MAX_PAGE, text_of, ticket_number
from components.errors import command_errors
from components.forms import add_text
from refdesk.db.stores.tickets import TicketRecord
from refdesk.errors import InvalidInput

ACTIONS = (("answer", "Answer by email (closes it unless kept open)"),
           ("assign", "Assign to a librarian (to: their JID; empty: nobody)"),
           ("close", "Close"),
           ("refer", "Refer (to: a member library's domain, or an email address)"))


class TicketCommand:
    def __init__(self, actions: TicketActions) -> None:
        self.actions = actions
        self.xmpp = actions.xmpp

    def register(self) -> None:
        self.xmpp.add_event_handler("session_bind", lambda _: self._advertise())
        self._advertise()

    def _advertise(self) -> None:
        # slixmpp's ad-hoc plugin empties the advertised list at every session bind.
        self.xmpp.plugin["xep_0050"].add_command(
            node="tickets", name="Follow-up tickets", handler=self.command_tickets)

    async def command_tickets(self, iq: Iq, session: Session) -> Session:
        with command_errors("tickets command"):
            operator = self.actions.operator(str(iq["from"].bare))
            page = await self.actions.store.page(self.actions.home, "open", MAX_PAGE)
        if not page.tickets:
            return _done(session, "No open tickets.")
        form = self.xmpp.plugin["xep_0004"].make_form("form", "Follow-up tickets")
        add_text(form, "\n".join(_listed(ticket) for ticket in page.tickets))
        form.add_field(var="ticket", ftype="list-single", required=True, label="Ticket",
                       options=[{"label": f"#{t.id}", "value": str(t.id)}
                                for t in page.tickets])
        form.add_field(var="action", ftype="list-single", required=True, label="Action",
                       options=[{"label": label, "value": value} for value, label in ACTIONS])
        form.add_field(var="text", ftype="text-multi", label="Answer, or note for a referral")
        form.add_field(var="to", ftype="text-single", label="To")
        form.add_field(var="keep_open", ftype="boolean", label="Keep open after answering")
        session.update(payload=form, next=self._submitted, has_next=False,
                       allow_complete=True, by=operator)
        return session

    async def _submitted(self, form: Any, session: Session) -> Session:
        values = form.get_values()
        with command_errors("tickets command"):
            ticket = await self._act(session["by"], values)
        return _done(session, f"Ticket #{ticket.id}: {ticket.state.value}"
                     + (f", referred to {ticket.referred_to}" if ticket.referred_to else "")
                     + (f", assigned to {ticket.assigned_to}" if ticket.assigned_to else "")
                     + ".")

    async def _act(self, operator: str, values: dict[str, Any]) -> TicketRecord:
        number = ticket_number(_one(values.get("ticket")))
        action, to = _one(values.get("action")), _one(values.get("to")).strip()
        text = "\n".join(values.get("text") or []) if isinstance(values.get("text"), list) \
            else _one(values.get("text"))
        if action == "answer":
            keep_open = values.get("keep_open") in (True, "1", "true")
            return await self.actions.answer(operator, number, text_of(text, "answer"),
                                             keep_open)
        if action == "assign":
            return await self.actions.assign(operator, number, to or None)
        if action == "refer":
            return await self.actions.refer(operator, number, to, text.strip() or None)
        if action == "close":
            return await self.actions.close(operator, number)
        raise InvalidInput("Choose an action: answer, assign, close or refer.")


def _listed(ticket: TicketRecord) -> str:
    who = ticket.patron_name or "a patron"
    email = f" <{ticket.patron_email}>" if ticket.patron_email else " (no email)"
    assigned = f", assigned to {ticket.assigned_to}" if ticket.assigned_to else ""
    origin = f"referred by {ticket.referred_from}" if ticket.referred_from else ticket.origin
    question = " ".join(ticket.question.split())
    # An offline question's note only says what its origin and address already do.
    note = (f" — note: {' '.join(ticket.note.split())}"
            if ticket.note and ticket.origin != "offline" else "")
    return (f"#{ticket.id} [{origin}] {who}{email}{assigned}: "
            f"{question[:120]}{'…' if len(question) > 120 else ''}{note}")


def _one(value: Any) -> str:
    return str(value[0] if isinstance(value, list) and value else value or "")


def _done(session: Session, text: str) -> Session:
    session.update(payload=None, next=None, has_next=False, notes=[("info", text)])
    return session
