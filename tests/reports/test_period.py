"""A report's period: days of the asker's zone, refused clearly when it makes no sense."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from refdesk.errors import InvalidInput
from refdesk.reports.period import period


def test_days_of_a_half_hour_zone_become_utc_instants() -> None:
    asked = period("2026-03-01", "2026-03-31", "Asia/Kolkata")
    assert asked.start == datetime(2026, 2, 28, 18, 30, tzinfo=UTC)
    assert asked.end == datetime(2026, 3, 31, 18, 30, tzinfo=UTC)
    assert asked.months() == ["2026-03"]


@pytest.mark.parametrize(("first", "last", "zone", "said"), [
    ("2026-03-02", "2026-03-01", "UTC", "ends before it starts"),
    ("2020-01-01", "2026-03-01", "UTC", "at most three years"),
    ("2026-01-01", "2026-03-01", "Mars/Olympus", "not a time zone"),
    ("2026-01-01", "2026-03-01", "../../etc/passwd", "not a time zone"),
    ("yesterday", "2026-03-01", "UTC", "date like"),
])
def test_nonsense_periods_are_refused_with_a_sentence(first: str, last: str, zone: str,
                                                       said: str) -> None:
    with pytest.raises(InvalidInput, match=said):
        period(first, last, zone)
