"""Text a librarian must read in an ad-hoc command's form (XEP-0004) or its result.

A form's instructions are the client's to show or not, and poezio does not draw them; fixed
fields every client with data forms draws. So a listing, a state, or what someone may do
goes in fixed fields, one per line, before the fields they fill in. poezio draws a fixed
field in a column half the window wide and cuts it there, so a line longer than that column
at 80 columns goes on in further fixed fields.

A result there is nothing to fill in goes in one note of a completed command, with no form:
poezio shows the notes of a completed command in its information buffer, wrapped and
scrollable, but drops them when a form comes with them, and draws a text-multi field one
line at a time, nothing of a line longer than half the window; profanity shows only the
first note; Gajim shows every note in full.
"""

from __future__ import annotations

import textwrap
from typing import Any

from slixmpp.plugins.xep_0004.stanza.form import Form

COLUMN = 39
"""The widest line poezio shows whole in a form at 80 columns: its label column is 40."""
CONTINUED = "  "
GLUED = "-glued"


def add_text(form: Form, text: str) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        for part, (piece, glued) in enumerate(fitted(line)):
            var = f"text-{number}" if part == 0 else f"text-{number}-{part}"
            form.add_field(var=var + (GLUED if glued else ""), ftype="fixed", value=piece)


def fitted(line: str) -> list[tuple[str, bool]]:
    """The line in pieces of at most COLUMN characters, cut at spaces (the later pieces
    indented) or, inside a longer word, anywhere; with whether a piece is glued to the one
    before it with no space between."""
    if len(line) <= COLUMN:
        return [(line, False)]
    indent = line[:len(line) - len(line.lstrip())] + CONTINUED
    pieces: list[tuple[str, bool]] = []
    for piece in textwrap.wrap(line, COLUMN, subsequent_indent=indent,
                               break_long_words=False, break_on_hyphens=False):
        pieces.append((piece[:COLUMN], False))
        rest = piece[COLUMN:]
        while rest:
            pieces.append((rest[:COLUMN], True))
            rest = rest[COLUMN:]
    return pieces


def text_of(form: Form) -> str:
    """The text add_text put in a form, each line whole again."""
    lines: list[str] = []
    for var, field in form.get_fields().items():
        if field["type"] != "fixed":
            continue
        value = str(field["value"])
        if var.endswith(GLUED) and lines:
            lines[-1] += value
        elif var.count("-") > 1 and lines:
            lines[-1] = f"{lines[-1]} {value.lstrip()}"
        else:
            lines.append(value)
    return "\n".join(lines)


def finish_with_text(session: dict[str, Any], text: str) -> dict[str, Any]:
    """Complete an ad-hoc command with the text as its one note and no form, which every
    client shows whole (see above)."""
    session.update(payload=None, next=None, has_next=False, notes=[("info", text)])
    return session
