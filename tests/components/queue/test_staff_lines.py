"""The pure parts of supervision and blocking: how a copied line reads, as text and as
<line/>, and which blocks are refused before anything is stored."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import xmlschema
from slixmpp.xmlstream import tostring

from components.queue.blocking import MAX_MINUTES, checked_block
from components.queue.staffwire import line_element, line_text
from refdesk.db.models import Sender
from refdesk.db.stores.chats import Line
from refdesk.errors import InvalidInput

SCHEMA = xmlschema.XMLSchema(str(Path(__file__).parents[3] / "schemas" / "console.xsd"))
AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _line(sender: Sender, body: str, nick: str | None = None) -> Line:
    return Line(7, AT, sender, "ann@alpha.test", nick, body)


@pytest.mark.parametrize(("sender", "nick", "shown"), [
    (Sender.PATRON, "Pat", "Patron: Hello"),
    (Sender.OPERATOR, "Ben", "Ben: Hello"),
    (Sender.NOTE, "Ann", "[Note from Ann] Hello"),
    (Sender.SYSTEM, None, "[Hello]"),
])
def test_a_copied_line_reads_plainly_in_a_stock_client(sender: Sender, nick: str | None,
                                                       shown: str) -> None:
    assert line_text(_line(sender, "Hello", nick)) == shown


def test_a_copied_line_is_valid_console_xml_and_never_names_a_real_jid() -> None:
    element = line_element(_line(Sender.NOTE, "Check the card", "Ann"),
                           "chat-1@queue.alpha.test")
    SCHEMA.validate(tostring(element))
    assert dict(element.attrib) == {"chat": "chat-1@queue.alpha.test", "seq": "7",
                                    "sender": "note", "nick": "Ann",
                                    "at": "2026-03-02T09:30:00+00:00"}


@pytest.mark.parametrize(("minutes", "reason"), [
    ("0", "abuse"), (str(MAX_MINUTES + 1), "abuse"), ("-5", "abuse"), ("", "abuse"),
    ("1.5", "abuse"), ("²", "abuse"), ("٣٠", "abuse"), ("60", ""), ("60", "   "),
    ("60", "x" * 4001),
])
def test_a_block_out_of_range_or_without_a_reason_is_refused(minutes: str, reason: str) -> None:
    with pytest.raises(InvalidInput):
        checked_block(minutes, reason)


def test_a_block_within_range_keeps_its_reason_trimmed() -> None:
    assert checked_block(" 525600 ", "  abuse ") == (525600, "abuse")
    assert checked_block("1", "x" * 4000) == (1, "x" * 4000)
