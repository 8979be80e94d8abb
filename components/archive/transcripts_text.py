"""A chat as plain text, for a librarian's stock client: one label line in a listing, and
the whole transcript in a text field."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from refdesk.db.stores.transcripts import Summary, Transcript


def _day(at: datetime | None) -> str:
    return "" if at is None else at.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


def chat_label(chat: Summary) -> str:
    answered = f"{chat.nick} ({chat.institution})" if chat.librarian else chat.state.value
    question = chat.question if len(chat.question) <= 60 else f"{chat.question[:57]}..."
    return f"{_day(chat.requested)} · {chat.widget_name} · {answered}: {question}"


def transcript_text(chat: Transcript, may: Iterable[str]) -> str:
    summary = chat.summary
    head = [
        (f"Chat {summary.id} on {summary.widget_name}, {_day(summary.requested)} UTC "
        f"({summary.state.value})"),
        f"Answered by {summary.nick} <{summary.librarian}> of {summary.institution}"
        if summary.librarian else "Not answered",
        f"Co-ops: {', '.join(summary.coops) or 'none'}",
    ]
    lines = [f"[{_day(line.at)}] {line.nick or line.sender.value}: {line.body}"
             + (" (edited)" if line.edited else "") for line in chat.lines]
    tail = []
    if summary.rating is not None:
        tail.append(f"Patron's rating: {summary.rating}/5 {chat.comment or ''}".rstrip())
    tail += [f"Feedback from {entry.author}"
             + (f" ({entry.rating}/5)" if entry.rating else "") + f": {entry.text}"
             for entry in chat.feedback]
    actions = " ".join(may)
    tail.append(f"You may: {actions}" if actions else "You may read this transcript only.")
    return "\n".join([*head, "", *lines, "", *tail])
