"""The email a library's tickets send: an answer to the patron, a question referred to an
address outside the co-op. Plain text, signed with the library's name."""

from __future__ import annotations

from refdesk.db.stores.tickets import TicketRecord
from refdesk.mail import Mail


def answer_mail(library: str, ticket: TicketRecord, answer: str) -> Mail:
    greeting = f"Dear {ticket.patron_name}," if ticket.patron_name else "Hello,"
    body = (f"{greeting}\n\n{answer}\n\n"
            f"You asked us:\n{_quoted(ticket.question)}\n\n"
            f"With best wishes,\n{library}\n")
    return Mail(ticket.patron_email or "", f"Your question to {library}", body)


def referral_mail(library: str, ticket: TicketRecord, note: str | None) -> Mail:
    """The question for someone outside the co-op, with where to send the answer."""
    patron = ticket.patron_name or "A patron"
    reach = (f"Please answer them at {ticket.patron_email}."
             if ticket.patron_email else "They left no email address.")
    lines = [f"{library} refers a patron's question to you.", "",
             f"{patron} asked:", _quoted(ticket.question), "", reach]
    if note:
        lines += ["", f"A note from {library}:", note]
    return Mail("", f"A question referred by {library}", "\n".join(lines) + "\n")


def _quoted(text: str) -> str:
    return "\n".join(f"> {line}" for line in text.splitlines() or [""])
