"""Patron chats and their transcripts, kept at the patron's home library."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from refdesk.db.models.base import Base, str_enum
from refdesk.db.types import JID, Domain, UTCDateTime, utcnow

if TYPE_CHECKING:
    from refdesk.db.models.institution import Institution
    from refdesk.db.models.widget import Widget


def new_chat_id() -> str:
    """A short unguessable id; the chat's JID is chat-<id>@queue.<library>."""
    return secrets.token_hex(8)


class ChatState(enum.StrEnum):
    """Where a chat is in its life."""

    WAITING = "waiting"
    ACTIVE = "active"
    ENDED = "ended"
    CANCELLED = "cancelled"
    """The patron gave up before anyone claimed it."""
    LEFT = "left"
    """Asked while nobody was online: a follow-up ticket answers it."""


class EndedBy(enum.StrEnum):
    """Who ended a chat."""

    PATRON = "patron"
    OPERATOR = "operator"


class Sender(enum.StrEnum):
    """Who wrote a transcript line."""

    PATRON = "patron"
    OPERATOR = "operator"
    SYSTEM = "system"
    """refdesk itself: claims, transfers, queue notices."""
    NOTE = "note"
    """An internal note between the librarian and supervisors: never shown to the patron."""


class Chat(Base):
    """One patron's chat from a widget, from request to rating."""

    __tablename__ = "chat"
    __table_args__ = (
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
        # A librarian's own report ("mine") reads only their chats of the period.
        Index("ix_chat_claimed_by_created", "claimed_by", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_chat_id)
    widget_id: Mapped[str] = mapped_column(ForeignKey("widget.id"), index=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True)
    """The patron's home library, which keeps the transcript."""
    patron_jid: Mapped[str] = mapped_column(JID)
    """The patron's (usually anonymous, guest.<library>) full JID."""
    patron_name: Mapped[str | None] = mapped_column(String(255))
    patron_email: Mapped[str | None] = mapped_column(String(320))
    question: Mapped[str] = mapped_column(Text)
    referrer: Mapped[str | None] = mapped_column(Text)
    """The page the patron asked from."""
    user_agent: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(2048))
    """The referrer as reports count it: scheme, host and path, no query or fragment."""
    browser: Mapped[str | None] = mapped_column(String(64))
    """The user agent's browser family as ua-parser names it, parsed when the chat came."""
    os: Mapped[str | None] = mapped_column(String(64))
    device: Mapped[str | None] = mapped_column(String(64))
    state: Mapped[ChatState] = mapped_column(
        str_enum(ChatState),
        default=ChatState.WAITING,
        server_default=ChatState.WAITING.value,
        index=True,
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(JID)
    """The claiming operator's bare JID; possibly on another library's domain."""
    claimed_nick: Mapped[str | None] = mapped_column(String(255))
    """The nick the patron saw, kept as it was at claim time."""
    claimed_institution: Mapped[str | None] = mapped_column(Domain)
    """Domain of the claiming operator's library (for co-op statistics)."""
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_by: Mapped[EndedBy | None] = mapped_column(str_enum(EndedBy))
    rating: Mapped[int | None]
    """The patron's rating, 1 to 5."""
    comment: Mapped[str | None] = mapped_column(Text)
    """The patron's comment with the rating."""
    followup: Mapped[bool] = mapped_column(default=False, server_default=false())
    """Marked for follow-up by the home library (a ticket)."""
    resume_token: Mapped[str | None] = mapped_column(String(64))
    """Secret the patron's widget shows to move the chat to its new JID after a blip."""
    last_seq: Mapped[int] = mapped_column(default=0, server_default="0")
    """Seq of the newest transcript line; bumped in the line's own transaction, so that
    concurrent writers queue on the chat's row instead of racing for a number."""
    routing: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}")
    """The queue's routing plan while the chat waits: fallback progress and where it was
    offered; stored so that a restarted queue neither loses nor repeats a step."""
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """When the patron's name, email, address (JID) and browser were stripped, by the
    library's retention rule or an admin's bulk action; the conversation may remain."""

    widget: Mapped[Widget] = relationship()
    institution: Mapped[Institution] = relationship()
    transcript: Mapped[list[TranscriptLine]] = relationship(
        back_populates="chat",
        order_by="TranscriptLine.seq",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    """The conversation in order; load it explicitly (selectinload or awaitable_attrs)."""
    coops: Mapped[list[ChatCoop]] = relationship(cascade="all, delete-orphan",
                                                 passive_deletes=True)

    def __repr__(self) -> str:
        return f"<Chat {self.id} {self.state}>"


class ChatCoop(Base):
    """A co-op the chat was offered to: its admins and Quality team may read the transcript,
    and transcripts are searched by co-op."""

    __tablename__ = "chat_coop"

    chat_id: Mapped[str] = mapped_column(ForeignKey("chat.id", ondelete="CASCADE"),
                                         primary_key=True)
    coop_id: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    """The co-op's id at its registry (no foreign key: a co-op left later keeps its chats)."""


class TranscriptLine(Base):
    """One message of a chat's transcript."""

    __tablename__ = "transcript_line"
    __table_args__ = (
        UniqueConstraint("chat_id", "seq"),
        UniqueConstraint("chat_id", "message_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[str] = mapped_column(ForeignKey("chat.id", ondelete="CASCADE"))
    seq: Mapped[int]
    """Position in the transcript, ascending from the chat's first message."""
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sender: Mapped[Sender] = mapped_column(str_enum(Sender))
    sender_jid: Mapped[str | None] = mapped_column(JID)
    """The real JID of the sender; never shown to the patron for operators."""
    nick: Mapped[str | None] = mapped_column(String(255))
    """The name shown for the line (an operator's nick, the patron's name)."""
    body: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str | None] = mapped_column(String(128))
    """The sender's stanza id: a line resent after a lost acknowledgement is kept once."""
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    edited_by: Mapped[str | None] = mapped_column(JID)
    """The home library's admin who last edited the line (to redact, say)."""
    script: Mapped[str | None] = mapped_column(String(64))
    """The name of the library's scripted message this operator line sent, if it was one."""

    chat: Mapped[Chat] = relationship(back_populates="transcript")

    def __repr__(self) -> str:
        return f"<TranscriptLine {self.chat_id}#{self.seq} {self.sender}>"
