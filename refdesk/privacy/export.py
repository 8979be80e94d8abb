"""Exports of a library's chats, written as they are read so that a large archive never sits
in memory: CSV (one row per chat, rating, line and feedback entry, quoted by the csv module)
and JSON (an array of chats, each with its lines and feedback)."""

from __future__ import annotations

import csv
import json
from collections.abc import AsyncIterator
from dataclasses import asdict
from datetime import datetime
from typing import Any, TextIO

from refdesk.db.stores.privacy import ExportedChat

CSV_COLUMNS = (
    "chat", "kind", "widget", "state", "requested", "claimed", "ended", "patron_name",
    "patron_email", "referrer", "user_agent", "librarian", "nick", "institution",
    "anonymised", "seq", "at", "who", "rating", "text",
)
"""kind: chat (text: the question), rating (the patron's score and comment), line (seq, at,
who: the name shown, text) or feedback (at, who: the author, rating, text)."""


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value is not None else ""


def _csv_rows(chat: ExportedChat) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [{
        "chat": chat.id, "kind": "chat", "widget": chat.widget, "state": chat.state,
        "requested": _iso(chat.requested), "claimed": _iso(chat.claimed),
        "ended": _iso(chat.ended), "patron_name": chat.patron_name,
        "patron_email": chat.patron_email, "referrer": chat.referrer,
        "user_agent": chat.user_agent, "librarian": chat.librarian, "nick": chat.nick,
        "institution": chat.institution, "anonymised": _iso(chat.anonymised),
        "text": chat.question,
    }]
    if chat.rating is not None:
        rows.append({"chat": chat.id, "kind": "rating", "rating": chat.rating,
                     "text": chat.comment})
    rows += [{"chat": chat.id, "kind": "line", "seq": line.seq, "at": _iso(line.at),
              "who": line.nick or line.sender, "text": line.body} for line in chat.lines]
    rows += [{"chat": chat.id, "kind": "feedback", "at": _iso(entry.at), "who": entry.author,
              "rating": entry.rating, "text": entry.text} for entry in chat.feedback]
    return rows


async def write_csv(chats: AsyncIterator[ExportedChat], out: TextIO) -> int:
    """Write the chats as CSV; how many."""
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    async for chat in chats:
        writer.writerows(_csv_rows(chat))
        count += 1
    return count


def _json_default(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot export {type(value).__name__}")


async def write_json(chats: AsyncIterator[ExportedChat], out: TextIO) -> int:
    """Write the chats as one JSON array, a chat at a time; how many."""
    count = 0
    out.write("[")
    async for chat in chats:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(asdict(chat), default=_json_default, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count
