"""A mailed transcript carries only what the patron and the librarians said to each other."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from components.transcriptmail import transcript_mail
from refdesk.db.models import ChatState, Sender
from refdesk.db.stores.chats import ChatRecord, Line

AT = datetime(2026, 11, 2, 14, 5, tzinfo=UTC)
CHAT = ChatRecord("c1", "alpha-main", "p@guest.alpha.test/w", "Lou", "lou@example.org",
                  "Census records?", None, None, ChatState.ENDED, AT, AT, "bea@beta.test",
                  "Bea", "beta.test", AT, None, 5, {}, None)
LINES = [
    Line(1, AT, Sender.PATRON, CHAT.patron_jid, "Lou", "Census records?"),
    Line(2, AT, Sender.SYSTEM, None, None, "Claimed by Bea (Beta Public Library)"),
    Line(3, AT, Sender.OPERATOR, "bea@beta.test", "Bea", "Try the 1911 census database."),
    Line(4, AT, Sender.NOTE, "bea@beta.test", "Bea", "Patron seemed upset"),
    Line(5, AT, Sender.SYSTEM, None, None,
         "Transferred by Bea (Beta): difficult one → Ann <ann@alpha.test>"),
]


@pytest.mark.parametrize("for_patron", [True, False])
def test_a_mailed_transcript_leaves_out_notes_and_staff_lines(for_patron: bool) -> None:
    body = transcript_mail("Alpha", "Ask Alpha", CHAT, LINES, "lou@example.org",
                           for_patron).body

    assert "Try the 1911 census database." in body
    assert ("You: Census records?" if for_patron else "Lou: Census records?") in body
    for staff_only in ("Patron seemed upset", "difficult one", "ann@alpha.test", "Claimed by"):
        assert staff_only not in body
