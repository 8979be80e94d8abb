"""What the transcript store hands out: a chat as a listing shows it, and in full. Plain
dataclasses, so that no ORM object reaches the archive's XMPP code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from refdesk.db.models import Chat, ChatState, Sender, TranscriptLine, Widget
from refdesk.db.models.feedback import ChatFeedback
from refdesk.errors import InvalidInput


@dataclass(frozen=True)
class Summary:
    """One chat in a listing (archive.xsd, summary)."""

    id: str
    widget: str
    widget_name: str
    state: ChatState
    requested: datetime
    question: str
    claimed: datetime | None = None
    ended: datetime | None = None
    patron: str | None = None
    """The patron's name, unless none was given or it was anonymised."""
    librarian: str | None = None
    nick: str | None = None
    institution: str | None = None
    coops: tuple[str, ...] = ()
    rating: int | None = None
    feedback: int = 0
    followup: bool = False
    anonymised: bool = False


@dataclass(frozen=True)
class Line:
    seq: int
    at: datetime
    sender: Sender
    nick: str | None
    body: str
    edited: datetime | None
    script: str | None = None
    """The library's scripted message this line sent, if it was one."""


@dataclass(frozen=True)
class Feedback:
    author: str
    at: datetime
    text: str
    rating: int | None


@dataclass(frozen=True)
class Transcript:
    """One chat in full."""

    summary: Summary
    email: str | None
    referrer: str | None
    user_agent: str | None
    lines: tuple[Line, ...]
    comment: str | None
    """The patron's comment with their rating."""
    feedback: tuple[Feedback, ...]

    @classmethod
    def of(cls, summary: Summary, chat: Chat, lines: list[TranscriptLine],
           entries: list[ChatFeedback]) -> Transcript:
        return cls(
            summary, chat.patron_email, chat.referrer, chat.user_agent,
            tuple(Line(line.seq, line.at, line.sender, line.nick, line.body, line.edited_at,
                       line.script)
                  for line in lines),
            chat.comment,
            tuple(Feedback(entry.author, entry.at, entry.text, entry.rating)
                  for entry in entries))


@dataclass(frozen=True)
class Page:
    """One page of a listing (XEP-0059): its items, how many match in all, and the cursors
    of its first and last items."""

    items: list[Summary]
    count: int
    first: str | None
    last: str | None


def summary_of(chat: Chat, widget: Widget, feedback: int, coops: tuple[str, ...]) -> Summary:
    return Summary(
        id=chat.id, widget=widget.id, widget_name=widget.name, state=chat.state,
        requested=chat.created_at, question=chat.question, claimed=chat.claimed_at,
        ended=chat.ended_at, patron=chat.patron_name, librarian=chat.claimed_by,
        nick=chat.claimed_nick, institution=chat.claimed_institution, coops=coops,
        rating=chat.rating, feedback=feedback, followup=chat.followup,
        anonymised=chat.anonymised_at is not None)


def cursor_of(summary: Summary) -> str:
    """An RSM cursor: where the chat stands in the order, so that it stays valid even after
    the chat itself is deleted."""
    return f"{summary.requested.isoformat()}~{summary.id}"


def parse_cursor(cursor: str) -> tuple[datetime, str]:
    at, _, chat_id = cursor.partition("~")
    try:
        when = datetime.fromisoformat(at)
    except ValueError:
        raise InvalidInput("That is not a cursor this archive gave out.") from None
    if not chat_id or when.tzinfo is None:
        raise InvalidInput("That is not a cursor this archive gave out.")
    return when, chat_id
