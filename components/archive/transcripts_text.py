"""A chat as plain text, for a librarian's stock client: one label line in a listing, and
the whole transcript in a text field."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from refdesk.db.models import Sender
from refdesk.db.stores.transcripts import Summary, Transcript

LABEL_CHARS = 38
"""A choice's label as a stock client shows it in a list (poezio drops longer ones at 80
columns); the chat's details are in the transcript itself."""


def _day(at: datetime | None) -> str:
    return "" if at is None else at.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


def chat_label(chat: Summary) -> str:
    who = chat.nick if chat.librarian else chat.state.value
    question = " ".join(chat.question.split())
    label = f"{chat.requested.astimezone(UTC):%d %b %H:%M} {who}: {question}"
    return label if len(label) <= LABEL_CHARS else f"{label[:LABEL_CHARS - 1]}…"


def transcript_text(chat: Transcript, may: Iterable[str]) -> str:
    summary = chat.summary
    head = [
        (f"Chat {summary.id} on {summary.widget_name}, {_day(summary.requested)} UTC "
        f"({summary.state.value})"),
        f"Answered by {summary.nick} <{summary.librarian}> of {summary.institution}"
        if summary.librarian else "Not answered",
        f"Co-ops: {', '.join(summary.coops) or 'none'}",
    ]
    lines = [f"[{_day(line.at)}] {_speaker(line.sender, line.nick)}: {line.body}"
             + (" (edited)" if line.edited else "")
             + (f" (script: {line.script})" if line.script else "") for line in chat.lines]
    tail = []
    if summary.rating is not None:
        tail.append(f"Patron's rating: {summary.rating}/5 {chat.comment or ''}".rstrip())
    tail += [f"Feedback from {entry.author}"
             + (f" ({entry.rating}/5)" if entry.rating else "") + f": {entry.text}"
             for entry in chat.feedback]
    return "\n".join([*head, "", *lines, "", *tail, *_what_you_may(summary.id, set(may))])


def _speaker(sender: Sender, nick: str | None) -> str:
    if sender == Sender.NOTE:
        return f"{nick or 'staff'} (internal note, never shown to the patron)"
    if sender == Sender.SYSTEM:
        return "refdesk"
    return nick or sender.value


def _what_you_may(chat_id: str, may: set[str]) -> list[str]:
    if not may:
        return ["You may read this transcript only."]
    said = []
    if "feedback" in may:
        said.append(f"You may leave feedback on it: the feedback command, chat {chat_id}.")
    if may - {"feedback"}:
        said.append("You may also " + ", ".join(sorted(may - {"feedback"}))
                    + " it from the console's Transcripts section.")
    return said
