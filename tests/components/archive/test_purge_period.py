"""A purge's period, read from the request: xs:dateTime values, UTC when no zone is given, the
start before the end; anything else is a clear bad-request."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from components.archive.purge import read_period
from refdesk.db.stores.privacy import Period
from refdesk.errors import InvalidInput


def test_a_period_reads_zones_and_takes_utc_when_none_is_given() -> None:
    assert read_period("2026-03-01T00:00:00Z", "2026-03-02T01:00:00+01:00") == Period(
        datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 2, tzinfo=UTC))
    assert read_period("2026-03-01T00:00:00", "2026-03-02T00:00:00").start == datetime(
        2026, 3, 1, tzinfo=UTC)


@pytest.mark.parametrize(("start", "end", "message"), [
    ("2026-03-02T00:00:00Z", "2026-03-01T00:00:00Z", "start must come before its end"),
    ("2026-03-01T00:00:00Z", "2026-03-01T00:00:00Z", "start must come before its end"),
    ("yesterday", "2026-03-01T00:00:00Z", "The start must be a date and time"),
    ("2026-03-01T00:00:00Z", "", "The end must be a date and time"),
])
def test_a_bad_period_is_refused_with_a_clear_text(start: str, end: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        read_period(start, end)
