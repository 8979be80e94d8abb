"""What poezio 0.14 shows of an ad-hoc command's answer at 80 columns, as its code draws it
(tried in tmux): the notes of an answer without a form in its information buffer, whole;
with a form, only the form (the notes are lost), each field in a row of two columns of 40:
a fixed field's text or another field's label cut at the column, a text-single value from its
start, a text-multi value or list option only where its line fits the column."""

from __future__ import annotations

from typing import Any

HALF = 40


def shown_by_poezio(reply: Any) -> str:
    """The text a librarian can read in poezio, one row or note line a line."""
    command = reply["command"]
    if command.xml.find("{jabber:x:data}x") is None:
        notes = "\n".join(text for _, text in command["notes"])
        return f"Adhoc command {command['status']}: {notes}"
    return "\n".join(_row(field) for field in command["form"].get_fields().values()
                     if field["type"] != "hidden")


def _row(field: Any) -> str:
    kind = field["type"]
    if kind == "fixed":
        return _cut(str(field["value"] or ""))
    label = _cut(str(field["label"] or ""))
    value = field["value"]
    if kind in ("text-multi", "jid-multi"):
        lines = value if isinstance(value, list) else str(value or "").split("\n")
        shown = " | ".join(line for line in lines if len(line) <= HALF)
    elif kind in ("list-single", "list-multi"):
        shown = " | ".join(str(option["label"]) for option in field["options"]
                           if len(str(option["label"])) <= HALF)
    else:
        shown = _cut(str(value or ""))
    return f"{label:<{HALF}}{shown}"


def _cut(text: str) -> str:
    return text[:HALF - 1]
