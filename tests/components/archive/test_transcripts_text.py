"""A transcript as a stock client shows it: short choices, internal notes marked, and only
what the librarian can do from there offered there."""

from __future__ import annotations

from datetime import UTC, datetime

from components.archive.transcripts_text import LABEL_CHARS, chat_label, transcript_text
from refdesk.db.models import ChatState, Sender
from refdesk.db.stores.transcriptviews import Line, Summary, Transcript

AT = datetime(2026, 3, 2, 14, 5, tzinfo=UTC)
CHAT = Summary("c1", "alpha-main", "Ask Alpha University Library", ChatState.ENDED, AT,
               "Where can I find the 1911 census returns for my county, please?",
               librarian="ben@beta.test", nick="Ben", institution="beta.test")
FULL = Transcript(CHAT, None, None, None, (
    Line(1, AT, Sender.PATRON, "Lou", "Where can I find the census?", None),
    Line(2, AT, Sender.NOTE, "Ben", "Book the microfiche reader", None),
    Line(3, AT, Sender.SYSTEM, None, "Claimed by Ben (Beta Public Library)", None),
    Line(4, AT, Sender.OPERATOR, "Ben", "We help you find sources.", None, "homework"),
), None, ())


def test_a_chat_is_listed_short_enough_for_a_client_on_80_columns() -> None:
    label = chat_label(CHAT)
    assert len(label) <= LABEL_CHARS
    assert label.startswith("02 Mar 14:05 Ben: Where can I")


def test_an_internal_note_is_marked_as_one() -> None:
    text = transcript_text(FULL, ())
    assert "Ben (internal note, never shown to the patron): Book the microfiche" in text
    assert "Lou: Where can I find the census?" in text
    assert "refdesk: Claimed by Ben" in text
    assert "Ben: We help you find sources. (script: homework)" in text
    assert text.endswith("You may read this transcript only.")


def test_a_home_admin_is_told_what_they_can_do_here_and_what_in_the_console() -> None:
    text = transcript_text(FULL, ("edit", "delete", "email", "feedback"))
    assert "You may leave feedback on it: the feedback command, chat c1." in text
    assert "You may also delete, edit, email it from the console's Transcripts section." in text
