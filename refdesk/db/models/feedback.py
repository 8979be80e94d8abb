"""Feedback on a chat: the patron's library's admins rate and comment on how the co-op
answered it (the seed's Leave Feedback action)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from refdesk.db.models.base import Base
from refdesk.db.types import JID, UTCDateTime, utcnow


class ChatFeedback(Base):
    """One admin's feedback on one chat; leaving it again replaces it."""

    __tablename__ = "chat_feedback"
    __table_args__ = (
        UniqueConstraint("chat_id", "author"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[str] = mapped_column(String(64), ForeignKey("chat.id", ondelete="CASCADE"),
                                         index=True)
    author: Mapped[str] = mapped_column(JID)
    rating: Mapped[int | None]
    """1 to 5, or none given."""
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
