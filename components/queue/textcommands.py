"""The text commands librarians type in a chat, in a syntax stock clients pass through.

Gajim, poezio and profanity take any line starting with "/" as a command of their own (and
refuse the ones they do not know), so refdesk's commands start with "!": `!claim`, `!end`.
The old "/claim" form is still understood from clients that do send it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

PREFIX: Final = "!"
ALSO_ACCEPTED: Final = "/"
WORDS: Final = ("claim", "transfer", "end", "followup", "note", "supervise", "unsupervise",
                 "block", "script", "help")


@dataclass(frozen=True)
class TextCommand:
    word: str
    """Lower-cased; may be a word refdesk does not know (answered with the help)."""
    rest: str


def command(word: str) -> str:
    """How a librarian types the command `word`."""
    return f"{PREFIX}{word}"


def parse(body: str) -> TextCommand | None:
    """The command a line is, if it is one: a prefix, then a word with no space before it;
    or a slip of the fingers before a word refdesk knows — "! note …", "!!note …" — which is
    still that command ("!note" typed so must never reach the patron)."""
    line = body.strip()
    slipped = line.lstrip(PREFIX + " \t")
    if line[:1] == PREFIX and slipped and _known(slipped.split(maxsplit=1)[0]):
        line = PREFIX + slipped
    if len(line) < 2 or line[0] not in (PREFIX, ALSO_ACCEPTED) or not line[1].isalpha():
        return None
    word, *rest = line[1:].split(maxsplit=1)
    if line[0] == ALSO_ACCEPTED and not _known(word):
        return None  # "/me waves", a path, a smiley: text for the patron
    return TextCommand(word.lower(), rest[0].strip() if rest else "")


def _known(word: str) -> bool:
    return word.lower() in WORDS
