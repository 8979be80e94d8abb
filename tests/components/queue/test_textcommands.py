"""The text commands librarians type: `!word`, the old `/word` for the words refdesk knows, any
case; other lines are text."""

from __future__ import annotations

import pytest

from components.queue.textcommands import TextCommand, command, parse


@pytest.mark.parametrize(("line", "expected"), [
    ("!claim", TextCommand("claim", "")),
    ("/claim", TextCommand("claim", "")),
    ("!CLAIM", TextCommand("claim", "")),
    ("  !Claim  ", TextCommand("claim", "")),
    ("!transfer Adult Services note", TextCommand("transfer", "Adult Services note")),
    ("!transfer   Adult Services   ", TextCommand("transfer", "Adult Services")),
    ("!followup call back on Monday", TextCommand("followup", "call back on Monday")),
    ("!frobnicate", TextCommand("frobnicate", "")),  # unknown: answered with the help
    ("!me waves", TextCommand("me", "waves")),
    ("/END", TextCommand("end", "")),
    ("/transfer\tScience", TextCommand("transfer", "Science")),
    # "!" then a space slips in; for a word refdesk knows it is still the command (a note
    # typed so must not reach the patron).
    ("! note they were rude", TextCommand("note", "they were rude")),
    ("!  claim", TextCommand("claim", "")),
    ("!!note double bang", TextCommand("note", "double bang")),
    ("!! ! block 5 rude", TextCommand("block", "5 rude")),
])
def test_commands(line: str, expected: TextCommand) -> None:
    assert parse(line) == expected


@pytest.mark.parametrize("line", [
    "", "!", "/", "claim", "Can I !claim this?", "! wow", "!!wow", "!1", "?claim", "! ",
    ":-/ not sure", "/ claim",
    # An unknown /word is the librarian's text ("/me", a path), never a command.
    "/me waves", "/frobnicate", "/tmp/maps.pdf", "/claimed it already",
])
def test_lines_that_are_not_commands(line: str) -> None:
    assert parse(line) is None


def test_the_syntax_taught_is_the_one_stock_clients_pass_through() -> None:
    assert command("claim") == "!claim"
    assert parse(command("transfer") + " Science") == TextCommand("transfer", "Science")
