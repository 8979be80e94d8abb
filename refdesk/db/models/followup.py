"""Follow-up tickets: questions the home library promised to answer after the chat."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from refdesk.db.models.base import Base, str_enum
from refdesk.db.types import JID, UTCDateTime, utcnow

if TYPE_CHECKING:
    from refdesk.db.models.chat import Chat


class TicketState(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class FollowupTicket(Base):
    """A chat marked for follow-up, or a question left while the widget was offline."""

    __tablename__ = "followup_ticket"

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[str] = mapped_column(ForeignKey("chat.id", ondelete="CASCADE"), index=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True)
    """The patron's home library, which owns the ticket."""
    opened_by: Mapped[str | None] = mapped_column(JID)
    """The operator who asked for the follow-up; None when the patron left it offline."""
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)
    state: Mapped[TicketState] = mapped_column(
        str_enum(TicketState), default=TicketState.OPEN, server_default=TicketState.OPEN.value
    )

    chat: Mapped[Chat] = relationship()
