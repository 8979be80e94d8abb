"""Chat widgets and their ordered routing lists."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint, text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from refdesk.db.models.base import Base, str_enum
from refdesk.db.types import JID

if TYPE_CHECKING:
    from refdesk.db.models.coop import Coop
    from refdesk.db.models.department import Department
    from refdesk.db.models.institution import Institution

DEFAULT_FALLBACK_S = 30


class TargetKind(enum.StrEnum):
    """What a routing step notifies."""

    DEPARTMENT = "department"
    OPERATOR = "operator"
    COOP = "coop"


# Exactly the reference column named by `kind` is set; the other two are NULL.
TARGET_MATCHES_KIND = (
    "(kind = 'department' AND department_id IS NOT NULL"
    " AND operator_jid IS NULL AND coop_id IS NULL)"
    " OR (kind = 'operator' AND operator_jid IS NOT NULL"
    " AND department_id IS NULL AND coop_id IS NULL)"
    " OR (kind = 'coop' AND coop_id IS NOT NULL"
    " AND department_id IS NULL AND operator_jid IS NULL)"
)


class Widget(Base):
    """A chat box embedded on a library's pages, routing new chats down its list."""

    __tablename__ = "widget"
    __table_args__ = (CheckConstraint("fallback_s >= 0", name="fallback_s_not_negative"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    """A short slug, e.g. alpha-main, used in embed codes and queue requests."""
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institution.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(255))
    fallback_s: Mapped[int] = mapped_column(
        default=DEFAULT_FALLBACK_S, server_default=text(str(DEFAULT_FALLBACK_S))
    )
    """Co-op timed fallback period in seconds: each following co-op target is notified one
    period after the previous step; 0 disables timed fallback."""
    allowed_origins: Mapped[list[str]] = mapped_column(JSON, default=list)
    """Web origins (scheme://host[:port]) allowed to embed the widget and open its socket."""
    keep_transcript: Mapped[bool] = mapped_column(default=True, server_default=true())
    """Off: the chat runs as ever, but when it ends its lines and the patron's details are
    dropped; only what the co-op's summary needs is kept."""

    institution: Mapped[Institution] = relationship(back_populates="widgets")
    routing: Mapped[list[WidgetTarget]] = relationship(
        back_populates="widget",
        order_by="WidgetTarget.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="selectin",
    )
    """The routing list, first target first; loaded with the widget (it always needs it)."""

    def __repr__(self) -> str:
        return f"<Widget {self.id}>"


class WidgetTarget(Base):
    """One step of a widget's routing list: a department, an operator or a co-op."""

    __tablename__ = "widget_target"
    __table_args__ = (
        UniqueConstraint("widget_id", "position"),
        CheckConstraint(TARGET_MATCHES_KIND, name="matches_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    widget_id: Mapped[str] = mapped_column(ForeignKey("widget.id", ondelete="CASCADE"))
    position: Mapped[int]
    """Order in the routing list, ascending; gaps are allowed."""
    kind: Mapped[TargetKind] = mapped_column(str_enum(TargetKind))
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="CASCADE")
    )
    operator_jid: Mapped[str | None] = mapped_column(JID)
    """An operator's bare JID; they may be on another library's domain."""
    coop_id: Mapped[str | None] = mapped_column(ForeignKey("coop.id", ondelete="CASCADE"))

    widget: Mapped[Widget] = relationship(back_populates="routing")
    department: Mapped[Department | None] = relationship()
    coop: Mapped[Coop | None] = relationship()

    def __repr__(self) -> str:
        target = self.department_id or self.operator_jid or self.coop_id
        return f"<WidgetTarget {self.widget_id}#{self.position} {self.kind} {target}>"
