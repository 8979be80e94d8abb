"""FAQs as CSV: written formula-safe and read back as they were; a bad row names its line."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from refdesk import faqcsv
from refdesk.db.models import Availability
from refdesk.db.stores.faqs import FaqRecord
from refdesk.errors import InvalidInput

HEADER = "group,availability,question,answer,keywords\r\n"


def _faq(question: str, answer: str, keywords: str = "") -> FaqRecord:
    return FaqRecord(1, 1, "Borrowing", Availability.PUBLIC, question, answer, keywords,
                     datetime(2026, 3, 1, tzinfo=UTC), None)


def test_cells_that_a_spreadsheet_would_run_are_quoted_and_read_back_as_they_were() -> None:
    faqs = [_faq("=1+1?", "@SUM(A1)", "-x +y"), _faq("Plain, with \"quotes\"?", "Two\nlines")]

    text = faqcsv.write(faqs)

    assert text.startswith(HEADER)
    assert "'=1+1?,'@SUM(A1),'-x +y" in text
    assert [(r.question, r.answer, r.keywords) for r in faqcsv.read(text)] == [
        ("=1+1?", "@SUM(A1)", "-x +y"), ('Plain, with "quotes"?', "Two\nlines", "")]


def test_a_byte_order_mark_and_blank_lines_are_ignored_and_keywords_optional() -> None:
    rows = faqcsv.read("\ufeff" + HEADER + "\r\nG,Staffing,Q?,A.\r\n\r\n")

    assert [(r.line, r.group, r.availability, r.keywords) for r in rows] == [
        (3, "G", Availability.STAFFING, "")]


@pytest.mark.parametrize(("text", "message"), [
    ("", "Line 1: the header"),
    ("question,answer\r\n", "Line 1: the header"),
    (HEADER + "G,public,Q?,A.,k\r\nG,secret,Q?,A.,k\r\n", "Line 3: the availability 'secret'"),
    (HEADER + "G,public,\"Two\nlines?\",A.,k\r\nG,public,,A.,k\r\n", "Line 4: the question"),
    (HEADER + "G,public,Q?\r\n", "Line 2: 3 columns"),
    (HEADER + "G,public,Q?,\"unclosed\r\n", "Line 2"),
    (HEADER + f"G,public,{'q' * 1001},A.,\r\n", "Line 2: the question is longer than 1000"),
])
def test_a_bad_row_is_refused_naming_its_line(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        faqcsv.read(text)
