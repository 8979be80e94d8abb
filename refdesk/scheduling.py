"""The arithmetic of a co-op's weekly staffing schedule (schemas/schedule.xsd), with no
database and no XMPP in it: clock times on the quarter hour, a shift's occurrences in the
co-op's time zone, the hours each member owes, and the hours of the week nobody covers."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from refdesk.errors import InvalidInput

DAY_MINUTES = 24 * 60
CLOCK = re.compile(r"([01][0-9]|2[0-3]):(00|15|30|45)|24:00")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Span:
    """Minutes after midnight, start before end, within one day."""

    start: int
    end: int

    @property
    def hours(self) -> float:
        return (self.end - self.start) / 60


def minutes(clock: str) -> int:
    """"HH:MM" on the quarter hour (24:00 ends a day) -> minutes after midnight."""
    if not CLOCK.fullmatch(clock or ""):
        raise InvalidInput(f"A time is HH:MM on the quarter hour (09:00, 17:45, 24:00 to end "
                           f"a day); not {clock!r}.")
    hours, mins = clock.split(":")
    return int(hours) * 60 + int(mins)


def clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def span(start: str, end: str) -> Span:
    """A shift's or a make-up's times, refused with a sentence when they make no day's
    stretch: a shift that crosses midnight is two shifts."""
    first, last = minutes(start), minutes(end)
    if first == DAY_MINUTES:
        raise InvalidInput("A shift starts by 23:45; one that crosses midnight is two shifts.")
    if last <= first:
        raise InvalidInput(f"A shift ends after it starts, the same day ({start}-{end}); one "
                           "that crosses midnight is two shifts, one each side of it.")
    return Span(first, last)


def zone(name: str) -> ZoneInfo:
    """An IANA time zone, or a sentence saying it is not one."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"{name!r} is not a time zone; give an IANA name such as "
                           "Europe/Paris or America/New_York.") from None


def monday(day: date) -> date:
    return day - timedelta(days=day.isoweekday() - 1)


def owed(served: int | None, hours: float | None, served_per_hour: int) -> float:
    """QuestionPoint's rule: one weekly hour per `served_per_hour` FTE or people served,
    rounded up, unless the coordinator set the hours outright."""
    if hours is not None:
        return hours
    return float(math.ceil(served / served_per_hour)) if served else 0.0


def gaps(spans_by_weekday: dict[int, list[Span]], days: Iterable[int]) -> Iterator[
        tuple[int, Span]]:
    """The stretches of each of `days` (weekdays 1-7) that no span covers."""
    for weekday in days:
        covered = 0
        for piece in sorted(spans_by_weekday.get(weekday, []), key=lambda s: s.start):
            if piece.start > covered:
                yield weekday, Span(covered, piece.start)
            covered = max(covered, piece.end)
        if covered < DAY_MINUTES:
            yield weekday, Span(covered, DAY_MINUTES)


def instants(day: date, piece: Span, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """A stretch of one local day as UTC instants (a daylight-saving change is honoured)."""
    midnight = datetime.combine(day, time(), tz)
    start = (midnight + timedelta(minutes=piece.start)).astimezone(UTC)
    local_end = datetime.combine(day + timedelta(days=1), time(), tz) if \
        piece.end == DAY_MINUTES else midnight + timedelta(minutes=piece.end)
    return start, local_end.astimezone(UTC)


def overlap_hours(start: datetime, end: datetime, period: tuple[datetime, datetime]) -> float:
    """Hours of [start, end) inside the period."""
    first, last = max(start, period[0]), min(end, period[1])
    return max((last - first).total_seconds(), 0.0) / 3600


def local_days(period: tuple[datetime, datetime], tz: ZoneInfo) -> Iterator[date]:
    """Every local day the period touches, in order."""
    day = period[0].astimezone(tz).date()
    last = period[1].astimezone(tz).date()
    while day <= last:
        yield day
        day += timedelta(days=1)


def day_period(first: date, last: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """From the start of `first` to the end of `last`, local days, as UTC instants."""
    return (datetime.combine(first, time(), tz).astimezone(UTC),
            datetime.combine(last + timedelta(days=1), time(), tz).astimezone(UTC))
