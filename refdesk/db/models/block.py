"""Patrons blocked by a librarian: their chat session, and the network address it came from."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from refdesk.db.models.base import Base
from refdesk.db.types import JID, UTCDateTime, utcnow


class Block(Base):
    """One block: kept (with its reason) after it expires or is lifted, as the record of what
    was done."""

    __tablename__ = "patron_block"

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[str | None] = mapped_column(
        ForeignKey("chat.id", ondelete="SET NULL"), index=True)
    """The chat the patron was blocked from."""
    patron_jid: Mapped[str] = mapped_column(JID, index=True)
    """The patron's session (full JID on guest.<library>) at the time of the block."""
    address_key: Mapped[str | None] = mapped_column(String(64), index=True)
    """A keyed hash of the session's network address, recorded by the gateway that carried
    it; the raw address is personal data and is never stored. Cleared after expiry."""
    until: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    reason: Mapped[str] = mapped_column(Text)
    blocked_by: Mapped[str] = mapped_column(JID)
    """The librarian's bare JID."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """When an admin of the patron's library lifted the block (made by mistake, or no longer
    needed); from then on it counts no more, and the record stays."""
    lifted_by: Mapped[str | None] = mapped_column(JID)
    """The bare JID of the admin who lifted it."""

    def __repr__(self) -> str:
        return f"<Block {self.id} {self.patron_jid} until {self.until}>"
