"""The schedule's arithmetic (refdesk/scheduling.py): the hours rule, gaps of a week, shifts
in a zone with daylight saving, and the days a librarian means by `!schedule next`."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from components.coop.schedule_text import week_of
from refdesk import scheduling
from refdesk.errors import InvalidInput
from refdesk.scheduling import Span


def test_hours_owed_are_rounded_up_unless_set_outright() -> None:
    assert scheduling.owed(12001, None, 4000) == 4
    assert scheduling.owed(None, None, 4000) == 0
    assert scheduling.owed(12001, 2.5, 4000) == 2.5


def test_the_gaps_are_what_no_shift_covers_of_the_days_asked() -> None:
    spans = {1: [Span(540, 720), Span(600, 1020)], 2: [Span(0, 1440)]}
    assert list(scheduling.gaps(spans, (1, 2, 3))) == [
        (1, Span(0, 540)), (1, Span(1020, 1440)), (3, Span(0, 1440))]


def test_a_shift_keeps_its_local_times_across_a_daylight_saving_change() -> None:
    paris = scheduling.zone("Europe/Paris")
    winter = scheduling.instants(date(2026, 3, 23), Span(540, 600), paris)
    summer = scheduling.instants(date(2026, 3, 30), Span(540, 600), paris)
    assert (winter[0].hour, summer[0].hour) == (8, 7)
    assert scheduling.instants(date(2026, 3, 28), Span(1380, 1440), paris)[1] == datetime(
        2026, 3, 28, 23, tzinfo=UTC)


def test_a_week_is_this_one_next_last_or_a_date() -> None:
    now = datetime(2026, 3, 4, 23, 30, tzinfo=UTC)  # already Thursday in Tokyo
    assert week_of("", "Asia/Tokyo", now) == date(2026, 3, 5)
    assert week_of("next", "UTC", now) == date(2026, 3, 11)
    assert week_of("2026-01-01", "UTC", now) == date(2026, 1, 1)
    with pytest.raises(InvalidInput, match="A week is"):
        week_of("someday", "UTC", now)
