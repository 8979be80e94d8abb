"""Follow-up tickets: questions the home library promised to answer after the chat, left on
the offline widget, or referred to it by another library."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from refdesk.db.models.base import Base, str_enum
from refdesk.db.types import JID, Domain, UTCDateTime, utcnow

if TYPE_CHECKING:
    from refdesk.db.models.chat import Chat


class TicketState(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    """Followed up: off the active list, kept for the record."""


class FollowupTicket(Base):
    """A chat marked for follow-up, a question left while the widget was offline, or a
    question another library referred here."""

    __tablename__ = "followup_ticket"

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[str | None] = mapped_column(
        ForeignKey("chat.id", ondelete="CASCADE"), index=True)
    """The chat it follows up; None for a question referred from another library."""
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True)
    """The library that owns the ticket: the patron's home, or the library referred to."""
    opened_by: Mapped[str | None] = mapped_column(JID)
    """The operator who asked for the follow-up; None when the patron left it offline."""
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)
    state: Mapped[TicketState] = mapped_column(
        str_enum(TicketState), default=TicketState.OPEN, server_default=TicketState.OPEN.value
    )
    question: Mapped[str | None] = mapped_column(Text)
    """The question as referred here; a ticket with a chat reads it from the chat."""
    patron_name: Mapped[str | None] = mapped_column(String(255))
    patron_email: Mapped[str | None] = mapped_column(String(320))
    """Where the answer goes; for a chat's ticket, copied from the chat when it opens."""
    assigned_to: Mapped[str | None] = mapped_column(JID)
    """The librarian of the owning library who answers it."""
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by: Mapped[str | None] = mapped_column(JID)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[str | None] = mapped_column(JID)
    referred_from: Mapped[str | None] = mapped_column(Domain)
    """The library that referred the question here (its domain)."""
    referred_to: Mapped[str | None] = mapped_column(String(320))
    """Where this library referred it: a member library's domain, or an email address."""

    chat: Mapped[Chat | None] = relationship()
