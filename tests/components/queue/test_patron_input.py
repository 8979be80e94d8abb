"""What a patron may send: limits refused with a sentence, the email's form, trimming."""

from __future__ import annotations

import pytest

from components.queue.patron_input import (
    MAX_EMAIL_CHARS,
    MAX_LINE_CHARS,
    MAX_NAME_CHARS,
    MAX_QUESTION_CHARS,
    MAX_REFERRER_CHARS,
    MAX_USER_AGENT_CHARS,
    PatronDetails,
    checked,
    checked_line,
)
from refdesk.errors import InvalidInput


def test_fields_are_trimmed_and_empty_ones_are_none() -> None:
    assert checked("  Maps?  ", "  ", " pat@example.org ", "", "") == PatronDetails(
        "Maps?", None, "pat@example.org", None, None)


def test_a_question_is_required() -> None:
    with pytest.raises(InvalidInput, match="Please type your question first"):
        checked(" \n\t ")


@pytest.mark.parametrize(("field", "limit", "what"), [
    ("question", MAX_QUESTION_CHARS, "Your question"),
    ("name", MAX_NAME_CHARS, "Your name"),
])
def test_question_and_name_up_to_their_limit(field: str, limit: int, what: str) -> None:
    fields = {"question": "Maps?", field: "x" * limit}
    checked(**fields)
    fields[field] += "x"
    with pytest.raises(InvalidInput, match=f"^{what} is too long: at most {limit} characters"):
        checked(**fields)


def test_email_up_to_its_limit() -> None:
    domain = "@example.org"
    longest = "x" * (MAX_EMAIL_CHARS - len(domain)) + domain
    assert checked("Maps?", email=longest).email == longest
    with pytest.raises(InvalidInput, match="Your email address is too long"):
        checked("Maps?", email="x" + longest)


@pytest.mark.parametrize("email", [
    "pat@example.org", "first.last+tag@mail.example.co.uk", "o'brien@example.ie",
])
def test_email_of_the_right_form(email: str) -> None:
    assert checked("Maps?", email=email).email == email


@pytest.mark.parametrize("email", [
    "pat", "pat@example", "pat@@example.org", "@example.org", "pat@.example.org",
    "pat@example..org", "pat @example.org", "pat@example.org.", "pat@exa mple.org",
])
def test_email_of_the_wrong_form_is_refused(email: str) -> None:
    with pytest.raises(InvalidInput, match="That email address does not look right"):
        checked("Maps?", email=email)


def test_referrer_and_user_agent_are_cut_not_refused() -> None:
    details = checked("Maps?", referrer="r" * (MAX_REFERRER_CHARS + 5),
                      user_agent="u" * (MAX_USER_AGENT_CHARS + 5))
    assert details.referrer == "r" * MAX_REFERRER_CHARS
    assert details.user_agent == "u" * MAX_USER_AGENT_CHARS


def test_a_conversation_line_up_to_its_limit() -> None:
    assert checked_line("x" * MAX_LINE_CHARS) == "x" * MAX_LINE_CHARS
    with pytest.raises(InvalidInput, match=f"at most {MAX_LINE_CHARS} characters"):
        checked_line("x" * (MAX_LINE_CHARS + 1))
