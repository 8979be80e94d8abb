"""A form's text fits poezio's label column at 80 columns and reads back whole."""

from __future__ import annotations

from slixmpp.plugins.xep_0004.stanza.form import Form

from components.forms import COLUMN, add_text, finish_with_text, text_of

TEXT = ("Valley Libraries Co-op: pages older than 180 days are out of date.\n"
        "  Beta Public Library (beta.test):\n"
        "\n"
        "Database login: https://proxy.alpha.test/login?coop=247 user coop247")


def test_every_line_fits_the_column_and_the_text_reads_back_whole() -> None:
    form = Form()
    add_text(form, TEXT)
    shown = [str(field["value"]) for field in form.get_fields().values()]
    assert all(len(line) <= COLUMN for line in shown)
    assert shown[1] == "  than 180 days are out of date."
    assert text_of(form) == TEXT


def test_a_word_longer_than_the_column_is_kept_whole_on_its_own_line() -> None:
    form = Form()
    add_text(form, "see " + "x" * 50)
    assert text_of(form) == "see " + "x" * 50


def test_a_result_is_one_note_and_no_form() -> None:
    session = finish_with_text({"payload": Form(), "next": object()}, "1. Renewals\nTwice.")
    assert session["payload"] is None and session["next"] is None
    assert session["notes"] == [("info", "1. Renewals\nTwice.")]
