"""What a patron may send: checked before anything is stored or offered.

Every limit is refused with a sentence the widget can show (bad-request), the same on SQLite
and PostgreSQL, instead of reaching a database column that would reject it differently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from refdesk.errors import InvalidInput

MAX_QUESTION_CHARS: Final = 2000
MAX_LINE_CHARS: Final = 4000
MAX_NAME_CHARS: Final = 100
MAX_EMAIL_CHARS: Final = 254  # RFC 5321's limit on a path
MAX_REFERRER_CHARS: Final = 2000
MAX_USER_AGENT_CHARS: Final = 500
MAX_MESSAGE_ID_CHARS: Final = 128
# One @, something before it, a dot in the domain, no spaces: the form, not deliverability.
_EMAIL: Final = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


@dataclass(frozen=True)
class PatronDetails:
    question: str
    name: str | None
    email: str | None
    referrer: str | None = None
    user_agent: str | None = None


def checked(question: str, name: str = "", email: str = "", referrer: str = "",
            user_agent: str = "") -> PatronDetails:
    """The request's fields, trimmed, or InvalidInput naming what is wrong."""
    question = question.strip()
    if not question:
        raise InvalidInput("Please type your question first.")
    _at_most(question, MAX_QUESTION_CHARS, "Your question")
    name, email = name.strip(), email.strip()
    _at_most(name, MAX_NAME_CHARS, "Your name")
    _at_most(email, MAX_EMAIL_CHARS, "Your email address")
    if email and not _EMAIL.fullmatch(email):
        raise InvalidInput("That email address does not look right; please check it, or "
                           "leave it out.")
    return PatronDetails(question, name or None, email or None,
                         referrer.strip()[:MAX_REFERRER_CHARS] or None,
                         user_agent.strip()[:MAX_USER_AGENT_CHARS] or None)


def checked_line(body: str) -> str:
    """A line of the conversation, or InvalidInput if it is too long to relay."""
    _at_most(body, MAX_LINE_CHARS, "That message")
    return body


def _at_most(text: str, limit: int, what: str) -> None:
    if len(text) > limit:
        raise InvalidInput(f"{what} is too long: at most {limit} characters, please.")
