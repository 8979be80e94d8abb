"""What a co-op's registry records of its members' activity, content-free: who monitored
when, and a summary of every co-op chat (never its question or transcript)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column

from refdesk.db.models.base import Base
from refdesk.db.types import JID, Domain, UTCDateTime


class MonitoringSession(Base):
    """An operator's stretch of monitoring a co-op, from their presence in its room."""

    __tablename__ = "monitoring_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    coop_id: Mapped[str] = mapped_column(ForeignKey("coop.id", ondelete="CASCADE"), index=True)
    operator: Mapped[str] = mapped_column(JID)
    institution: Mapped[str] = mapped_column(Domain)
    """The operator's library, as it stood when the session began."""
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """None while the operator is still monitoring."""

    def __repr__(self) -> str:
        return f"<MonitoringSession {self.coop_id} {self.operator} {self.started_at}>"


class ChatSummary(Base):
    """A co-op chat that ended, as the patron's home library reported it."""

    __tablename__ = "coop_chat_summary"
    __table_args__ = (UniqueConstraint("coop_id", "home", "chat_id"),
                      Index("ix_coop_chat_summary_coop_requested", "coop_id", "requested_at"),
                      # The co-op's reports of a Regular ("mine") and of an Institution Admin
                      # (their library's users' chats or its patrons') read only those rows.
                      Index("ix_coop_chat_summary_coop_answered_by", "coop_id", "answered_by",
                            "requested_at"),
                      Index("ix_coop_chat_summary_coop_answered_institution", "coop_id",
                            "answered_institution", "requested_at"),
                      Index("ix_coop_chat_summary_coop_home", "coop_id", "home", "requested_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    coop_id: Mapped[str] = mapped_column(ForeignKey("coop.id", ondelete="CASCADE"), index=True)
    home: Mapped[str] = mapped_column(Domain)
    """The patron's library, which keeps the chat and its transcript."""
    chat_id: Mapped[str] = mapped_column(String(64))
    """The chat's id at its home library: a report sent twice is recorded once per co-op."""
    widget_id: Mapped[str] = mapped_column(String(64))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_by: Mapped[str | None] = mapped_column(JID)
    answered_institution: Mapped[str | None] = mapped_column(Domain)
    rating: Mapped[int | None]
    offered: Mapped[bool] = mapped_column(default=True, server_default=true())
    """Whether the co-op itself was offered the chat: the co-op's reports count only those;
    the Contribution Percentage counts every chat of a widget routed to the co-op."""
    source: Mapped[str | None] = mapped_column(String(2048))
    browser: Mapped[str | None] = mapped_column(String(64))
    os: Mapped[str | None] = mapped_column(String(64))
    device: Mapped[str | None] = mapped_column(String(64))

    def __repr__(self) -> str:
        return f"<ChatSummary {self.home}/{self.chat_id}>"
