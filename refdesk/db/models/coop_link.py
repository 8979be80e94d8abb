"""A library's requests to join co-ops, made from its command line, sent by its queue."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from refdesk.db.models.base import Base, str_enum
from refdesk.db.types import JID, UTCDateTime, utcnow


class LinkState(enum.StrEnum):
    REQUESTED = "requested"
    """Recorded by `refdesk coop join`; the queue has not had the registry's answer yet."""
    JOINED = "joined"
    REFUSED = "refused"


class CoopLink(Base):
    """This library's request to join one co-op, and the registry's answer.

    The CLI has no XMPP connection of its own (the running components hold the only one
    Prosody allows each), so it records the request here and the queue carries it."""

    __tablename__ = "coop_link"

    coop_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    registry_jid: Mapped[str] = mapped_column(JID)
    """The co-op's registry component, e.g. coop.coop.example."""
    state: Mapped[LinkState] = mapped_column(str_enum(LinkState))
    reason: Mapped[str | None] = mapped_column(Text)
    """The registry's refusal, in its own words, for the sysadmin."""
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<CoopLink {self.coop_id} {self.state}>"
