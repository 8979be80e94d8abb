"""FAQs as CSV (schemas/faq.xsd: group, availability, question, answer, keywords; RFC 4180,
UTF-8, a header row), read and written alike by the faq component and `refdesk faq`.

Written formula-safe as the console's transcript export is: a cell starting with = + - @ or
a tab/CR would run as a formula in a spreadsheet, so it gets a leading apostrophe, which
reading takes off again (a round trip gives back what was exported).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from refdesk.db.models import Availability
from refdesk.db.stores.faqs import FaqRecord, ImportRow
from refdesk.errors import InvalidInput

COLUMNS = ("group", "availability", "question", "answer", "keywords")
MAX_GROUP, MAX_QUESTION, MAX_ANSWER, MAX_KEYWORDS = 255, 1000, 20_000, 1000
"""faq.xsd's limits, so that whatever is imported can be sent again."""
MAX_ROWS = 10_000
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_LIMITS = {"group": MAX_GROUP, "question": MAX_QUESTION, "answer": MAX_ANSWER,
           "keywords": MAX_KEYWORDS}


def _safe(cell: str) -> str:
    return f"'{cell}" if cell.startswith(_FORMULA) else cell


def _unsafe(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_FORMULA) else cell


def write(faqs: Iterable[FaqRecord]) -> str:
    """The FAQs as CSV text, with CRLF line ends as RFC 4180 has them."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for faq in faqs:
        writer.writerow(_safe(cell) for cell in (faq.group_name, faq.availability.value,
                                                 faq.question, faq.answer, faq.keywords))
    return out.getvalue()


def read(text: str) -> list[ImportRow]:
    """The rows of a CSV text, each checked; a bad one is InvalidInput naming its line."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    header = _next(reader)
    if header is None or [cell.strip().lower() for cell in header] != list(COLUMNS):
        raise InvalidInput(f"Line 1: the header must be {','.join(COLUMNS)}.")
    rows: list[ImportRow] = []
    # A quoted cell may span lines: a row is named by the line it starts on.
    while (start := reader.line_num + 1) and (cells := _next(reader)) is not None:
        if not any(cell.strip() for cell in cells):
            continue  # a blank line, as spreadsheets leave at the end
        if len(rows) == MAX_ROWS:
            raise InvalidInput(f"At most {MAX_ROWS} FAQs are imported at once.")
        rows.append(_row(start, cells))
    return rows


def _next(reader: Iterator[list[str]]) -> list[str] | None:
    try:
        return next(reader)
    except StopIteration:
        return None
    except csv.Error as error:
        line = getattr(reader, "line_num", 0)
        raise InvalidInput(f"Line {line}: not CSV ({error}).") from None


def _row(line: int, cells: list[str]) -> ImportRow:
    if len(cells) not in (4, 5):
        raise InvalidInput(f"Line {line}: {len(cells)} columns; a row has "
                           f"{len(COLUMNS)}: {','.join(COLUMNS)}.")
    values = dict(zip(COLUMNS, (_unsafe(cell).strip() for cell in cells), strict=False))
    values.setdefault("keywords", "")
    for column in ("group", "question", "answer"):
        if not values[column]:
            raise InvalidInput(f"Line {line}: the {column} is empty.")
    for column, limit in _LIMITS.items():
        if len(values[column]) > limit:
            raise InvalidInput(f"Line {line}: the {column} is longer than {limit} characters.")
    try:
        availability = Availability(values["availability"].lower())
    except ValueError:
        choices = ", ".join(a.value for a in Availability)
        raise InvalidInput(f"Line {line}: the availability {values['availability']!r} is "
                           f"none of {choices}.") from None
    return ImportRow(line, values["group"], availability, values["question"],
                     values["answer"], values["keywords"])
