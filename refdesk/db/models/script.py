"""A library's scripted messages (the seed's "scripted messages"): any librarian covering
the library's patron sends one into the chat, and it reads as the librarian's own line."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from refdesk.db.models.base import Base
from refdesk.db.types import JID, UTCDateTime, utcnow


class Script(Base):
    """One scripted message, known by a short name a librarian types (`!script homework`)."""

    __tablename__ = "script"
    __table_args__ = (UniqueConstraint("institution_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institution.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    """One word, as typed after `!script`; compared without regard to case."""
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(JID)

    def __repr__(self) -> str:
        return f"<Script {self.institution_id}/{self.name}>"
