"""A library's policy page (the seed's "Policy pages"): one per library, filled in from a
template of the fields patrons ask about, read by every librarian covering its patrons. A
library group that runs one refdesk keeps one page for the group."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from refdesk.db.models.base import Base, str_enum
from refdesk.db.types import JID, UTCDateTime, utcnow


class PolicyField(enum.StrEnum):
    """The template's fields, in the order a page shows them."""

    CATALOGUE = "catalogue"
    DATABASES = "databases"
    DATABASE_ACCESS = "database-access"
    """How co-op librarians get into the library's databases (the seed's best practice)."""
    LATE_FEES = "late-fees"
    RENEWALS = "renewals"
    COURSE_RESERVES = "course-reserves"
    INTERLIBRARY_LOAN = "interlibrary-loan"
    HOURS = "hours"
    HOLIDAYS = "holidays"
    OTHER = "other"


class PolicyPage(Base):
    """The library's page; `updated_at` is when any field last changed."""

    __tablename__ = "policy_page"

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institution.id", ondelete="CASCADE"), unique=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(JID)

    fields: Mapped[list[PolicyEntry]] = relationship(
        back_populates="page", cascade="all, delete-orphan", passive_deletes=True)

    def __repr__(self) -> str:
        return f"<PolicyPage {self.institution_id}>"


class PolicyEntry(Base):
    """One field of the template as the library filled it in; an empty field has no row."""

    __tablename__ = "policy_entry"

    page_id: Mapped[int] = mapped_column(
        ForeignKey("policy_page.id", ondelete="CASCADE"), primary_key=True)
    field: Mapped[PolicyField] = mapped_column(str_enum(PolicyField), primary_key=True)
    text: Mapped[str] = mapped_column(Text)

    page: Mapped[PolicyPage] = relationship(back_populates="fields")

    def __repr__(self) -> str:
        return f"<PolicyEntry {self.page_id}/{self.field}>"
