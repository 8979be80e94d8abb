"""Counters raised by every administrative change, so that running processes reload."""

from __future__ import annotations

import enum

from sqlalchemy import text
from sqlalchemy.orm import Mapped, mapped_column

from refdesk.db.models.base import Base, str_enum


class RevisionScope(enum.StrEnum):
    """Which set-up data a counter covers."""

    DIRECTORY = "directory"
    """A library's widgets, departments, users and the co-ops it joined."""
    REGISTRY = "registry"
    """A co-op host's co-ops: members, staff, users' account levels, invitations."""
    BLOCKS = "blocks"
    """Blocked patrons: the gateway closes and refuses their sessions."""


class Revision(Base):
    """How many times one scope's data has changed; the queue, the registry and the gateway
    compare it with what they loaded and reload when it moved, so that an edit made from
    the command line takes effect without a restart."""

    __tablename__ = "revision"

    scope: Mapped[RevisionScope] = mapped_column(str_enum(RevisionScope), primary_key=True)
    number: Mapped[int] = mapped_column(default=0, server_default=text("0"))

    def __repr__(self) -> str:
        return f"<Revision {self.scope} {self.number}>"
