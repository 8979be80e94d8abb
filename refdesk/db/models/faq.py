"""A library's FAQs, kept in groups whose availability says who may read them (the seed's
"Preparing your 24/7 Staffing FAQ group"). Full-text search over them is the database's own
(migration 0010: FTS5 on SQLite, a text-search index on PostgreSQL), outside these models."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from refdesk.db.models.base import Base, str_enum
from refdesk.db.types import JID, UTCDateTime, utcnow


class Availability(enum.StrEnum):
    """Who may read a group's FAQs (schemas/faq.xsd's header)."""

    PUBLIC = "public"
    """Public/Open: anyone, patrons included, from the widget or any client."""
    HIDDEN = "hidden"
    """Kept but searched by no one; the library's admins list it to edit it."""
    INTERNAL = "internal"
    """The library's own operators."""
    RESTRICTED_INTERNAL = "restricted-internal"
    """The library's local admins only."""
    STAFFING = "staffing"
    """The 24/7 Staffing group: the library's own operators and the staff of the co-ops it
    belongs to; never a patron."""


class FaqGroup(Base):
    """A named group of FAQs with one availability; one 24/7 Staffing group per library."""

    __tablename__ = "faq_group"
    __table_args__ = (
        UniqueConstraint("institution_id", "name"),
        # The 24/7 Staffing group is one per library: the database says so, not only the code.
        Index("uq_faq_group_staffing", "institution_id", unique=True,
              sqlite_where=text("availability = 'staffing'"),
              postgresql_where=text("availability = 'staffing'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institution.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    availability: Mapped[Availability] = mapped_column(str_enum(Availability))

    faqs: Mapped[list[Faq]] = relationship(
        back_populates="group", cascade="all, delete-orphan", passive_deletes=True)

    def __repr__(self) -> str:
        return f"<FaqGroup {self.institution_id}/{self.name} {self.availability}>"


class Faq(Base):
    """One question and its answer."""

    __tablename__ = "faq"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("faq_group.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    keywords: Mapped[str] = mapped_column(Text, default="")
    """Words a searcher may use that the question and answer do not (space-separated)."""
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(JID)

    group: Mapped[FaqGroup] = relationship(back_populates="faqs")

    def __repr__(self) -> str:
        return f"<Faq {self.id} in {self.group_id}>"
