"""Co-operatives and which institutions belong to them."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from refdesk.db.models.base import Base, str_enum
from refdesk.db.types import JID, Domain, UTCDateTime, utcnow

if TYPE_CHECKING:
    from refdesk.db.models.institution import Institution
    from refdesk.db.models.user import CoopAccount


class CoopKind(enum.StrEnum):
    """Who staffs a co-op."""

    GLOBAL = "global"
    """A 24/7 co-op: member librarians plus the coordinating host's dedicated staff."""
    LOCAL = "local"
    """Staffed only by librarians of its member libraries."""


class CoopAudience(enum.StrEnum):
    """Which libraries may join: academic and public co-ops stay apart unless mixed."""

    ACADEMIC = "academic"
    PUBLIC = "public"
    MIXED = "mixed"


class Coop(Base):
    """A co-operative of libraries answering each other's patrons in one MUC room."""

    __tablename__ = "coop"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    """A short slug, e.g. coop-247, used in configuration and routing lists."""
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[CoopKind] = mapped_column(str_enum(CoopKind))
    audience: Mapped[CoopAudience] = mapped_column(
        str_enum(CoopAudience), default=CoopAudience.MIXED,
        server_default=CoopAudience.MIXED.value)
    host_domain: Mapped[str] = mapped_column(Domain)
    """The domain hosting the room: a member library, or a coordinating host for 24/7."""
    room: Mapped[str] = mapped_column(JID)
    """The co-op's MUC room, where operators monitor and new chats are offered."""
    component: Mapped[str] = mapped_column(JID)
    """The co-op registry component, e.g. coop.coop.test (members, roles, schedule). At a
    member library, a row here records that the library joined the co-op; what the co-op
    is and who belongs to it is the registry's to say."""
    policy_max_age_days: Mapped[int] = mapped_column(default=180, server_default="180")
    """At the registry: a member's policy page older than this is flagged out of date."""
    zone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    """At the registry: the IANA time zone of the co-op's staffing schedule."""
    served_per_hour: Mapped[int] = mapped_column(default=10000, server_default="10000")
    """At the registry: how many FTE or people served one weekly hour owed stands for."""
    contribution_target: Mapped[int] = mapped_column(default=100, server_default="100")
    """At the registry: the Contribution Percentage members are asked to reach."""
    fair_delay_s: Mapped[int] = mapped_column(default=0, server_default="0")
    """At the registry: 0, fair offering off; otherwise how long members at or above their
    target wait after those below it for a new chat's offer."""

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="coop", cascade="all, delete-orphan", passive_deletes=True
    )
    accounts: Mapped[list[CoopAccount]] = relationship(
        back_populates="coop", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<Coop {self.id}>"


class Membership(Base):
    """An institution's membership of a co-op."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("coop_id", "institution_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    coop_id: Mapped[str] = mapped_column(ForeignKey("coop.id", ondelete="CASCADE"))
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institution.id", ondelete="CASCADE"), index=True
    )
    contributing: Mapped[bool]
    """Whether the institution staffs the co-op; non-contributing members only send chats."""
    policy_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """At the registry: when the member's policy page last changed, as its faq component
    reported it; none if it has no page (or has not reported yet)."""
    served: Mapped[int | None]
    """At the registry: the member's FTE (academic) or population served (public)."""
    hours_owed: Mapped[float | None]
    """At the registry: weekly hours the coordinator set outright; none, by the rule."""

    coop: Mapped[Coop] = relationship(back_populates="memberships")
    institution: Mapped[Institution] = relationship(back_populates="memberships")

    def __repr__(self) -> str:
        return f"<Membership {self.coop_id}/{self.institution_id}>"


class Invitation(Base):
    """A co-op host's invitation to a library, accepted by a command at the library's end."""

    __tablename__ = "coop_invitation"
    __table_args__ = (UniqueConstraint("coop_id", "domain"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    coop_id: Mapped[str] = mapped_column(ForeignKey("coop.id", ondelete="CASCADE"))
    domain: Mapped[str] = mapped_column(Domain)
    """The invited library's XMPP domain."""
    contributing: Mapped[bool]
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<Invitation {self.coop_id} {self.domain}>"
