"""A library (or a co-op's coordinating host), identified by its XMPP domain."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from refdesk.db.models.base import Base, str_enum
from refdesk.db.types import Domain

if TYPE_CHECKING:
    from refdesk.db.models.coop import Membership
    from refdesk.db.models.department import Department
    from refdesk.db.models.user import User
    from refdesk.db.models.widget import Widget


class InstitutionKind(enum.StrEnum):
    """What sort of institution runs a domain."""

    ACADEMIC = "academic"
    PUBLIC = "public"
    COORDINATING = "coordinating"
    """A 24/7 co-op's own host: dedicated staff, no patrons."""


class Institution(Base):
    """A member of the federation: one library, one XMPP domain."""

    __tablename__ = "institution"

    id: Mapped[int] = mapped_column(primary_key=True)
    domain: Mapped[str] = mapped_column(Domain, unique=True)
    """The library's XMPP domain, e.g. alpha.test; its components are subdomains of it."""
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[InstitutionKind] = mapped_column(str_enum(InstitutionKind))

    departments: Mapped[list[Department]] = relationship(
        back_populates="institution", cascade="all, delete-orphan", passive_deletes=True
    )
    users: Mapped[list[User]] = relationship(
        back_populates="institution", cascade="all, delete-orphan", passive_deletes=True
    )
    widgets: Mapped[list[Widget]] = relationship(
        back_populates="institution", cascade="all, delete-orphan", passive_deletes=True
    )
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="institution", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<Institution {self.domain}>"
