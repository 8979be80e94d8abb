"""The co-op's Quality team's work, kept at the co-op's host: sessions forwarded with a
concern or drawn in the proactive sample, and the team's review. Content-free like the chat
summaries: the transcript stays at the patron's library and is read from there."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from refdesk.db.models.base import Base, str_enum
from refdesk.db.types import JID, Domain, UTCDateTime, utcnow


class CaseSource(enum.StrEnum):
    FORWARDED = "forwarded"
    """A library's admin forwarded the session with a concern."""
    SAMPLE = "sample"
    """Drawn by the proactive review rotation."""


class CaseState(enum.StrEnum):
    OPEN = "open"
    REVIEWED = "reviewed"
    """The team sent its comments to the librarian; the library sees the outcome."""


class QualityCase(Base):
    """One session before the co-op's Quality team."""

    __tablename__ = "quality_case"
    __table_args__ = (UniqueConstraint("coop_id", "home", "chat_id", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    coop_id: Mapped[str] = mapped_column(ForeignKey("coop.id", ondelete="CASCADE"), index=True)
    home: Mapped[str] = mapped_column(Domain)
    """The patron's library, whose archive keeps the transcript."""
    chat_id: Mapped[str] = mapped_column(String(64))
    librarian: Mapped[str | None] = mapped_column(JID)
    """Who handled the session; the team's comments go to them."""
    institution: Mapped[str | None] = mapped_column(Domain)
    """The librarian's library."""
    source: Mapped[CaseSource] = mapped_column(str_enum(CaseSource))
    concern: Mapped[str | None] = mapped_column(Text)
    forwarded_by: Mapped[str | None] = mapped_column(JID)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    state: Mapped[CaseState] = mapped_column(
        str_enum(CaseState), default=CaseState.OPEN, server_default=CaseState.OPEN.value)
    comments: Mapped[str | None] = mapped_column(Text)
    reviewed_by: Mapped[str | None] = mapped_column(JID)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class QualityRotation(Base):
    """How many sessions the co-op's Quality team draws, and how often."""

    __tablename__ = "quality_rotation"
    __table_args__ = (
        CheckConstraint("per_library >= 0 AND per_librarian >= 0 AND every_days >= 1",
                        name="sane"),
    )

    coop_id: Mapped[str] = mapped_column(ForeignKey("coop.id", ondelete="CASCADE"),
                                         primary_key=True)
    per_library: Mapped[int] = mapped_column(default=0, server_default="0")
    """Sessions drawn from each member library's patrons' chats per period."""
    per_librarian: Mapped[int] = mapped_column(default=0, server_default="0")
    """Sessions drawn from each librarian's chats per period."""
    every_days: Mapped[int] = mapped_column(default=30, server_default="30")
    last_drawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
