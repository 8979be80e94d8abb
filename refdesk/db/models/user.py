"""Operators (librarians) and their co-op account levels."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from refdesk.db.models.base import Base, str_enum
from refdesk.db.types import JID

if TYPE_CHECKING:
    from refdesk.db.models.coop import Coop
    from refdesk.db.models.institution import Institution


class CoopLevel(enum.StrEnum):
    """A user's account level within one co-op, independent of local admin rights."""

    REGULAR = "regular"
    """Monitors and answers; sees transcripts, feedback and stats of own chats only."""
    INSTITUTION_ADMIN = "institution-admin"
    """Also adds users of their library and sees everything their library's users did."""
    COOP_ADMIN = "coop-admin"
    """Manages accounts and sees everything for every institution of the co-op."""


class User(Base):
    """An operator: a librarian who signs in with their library's XMPP account."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    jid: Mapped[str] = mapped_column(JID, unique=True)
    """The operator's bare JID on their own library's server."""
    name: Mapped[str] = mapped_column(String(255))
    nick: Mapped[str] = mapped_column(String(255))
    """The display name patrons see; the real JID is never shown to them."""
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institution.id", ondelete="CASCADE"), index=True
    )
    local_admin: Mapped[bool] = mapped_column(default=False, server_default=false())
    """Administers the home library's refdesk (widgets, departments, FAQs, users)."""
    chat_enabled: Mapped[bool] = mapped_column(default=True, server_default=true())
    """Whether the user may monitor and answer chats at all, co-op access or not."""

    institution: Mapped[Institution] = relationship(back_populates="users")
    coop_accounts: Mapped[list[CoopAccount]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<User {self.jid}>"


class CoopAccount(Base):
    """A user's access to a co-op, at one account level."""

    __tablename__ = "coop_account"
    __table_args__ = (UniqueConstraint("user_id", "coop_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    coop_id: Mapped[str] = mapped_column(ForeignKey("coop.id", ondelete="CASCADE"), index=True)
    level: Mapped[CoopLevel] = mapped_column(
        str_enum(CoopLevel), default=CoopLevel.REGULAR, server_default=CoopLevel.REGULAR.value
    )
    quality: Mapped[bool] = mapped_column(default=False, server_default=false())
    """On the co-op's Quality team: reviews forwarded and sampled sessions of the co-op
    (read-only) and sends comments to the librarians who handled them."""

    user: Mapped[User] = relationship(back_populates="coop_accounts")
    coop: Mapped[Coop] = relationship(back_populates="accounts")

    def __repr__(self) -> str:
        return f"<CoopAccount {self.user_id}@{self.coop_id} {self.level}>"
