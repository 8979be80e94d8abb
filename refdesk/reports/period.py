"""A report's period: days (inclusive) in the asker's time zone, as UTC instants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from refdesk.errors import InvalidInput

MAX_DAYS = 3 * 366
MAX_ZONE_CHARS = 64
"""stats.xsd's zone; the longest IANA names are about 30."""
YEARS = range(2000, 2101)
"""A period longer than three years is refused: a report answers in one request."""


@dataclass(frozen=True)
class Period:
    """From `first` to `last` (both included), days in `zone`."""

    first: date
    last: date
    zone: ZoneInfo

    @property
    def start(self) -> datetime:
        """The first instant of the period."""
        return datetime.combine(self.first, time(), self.zone)

    @property
    def end(self) -> datetime:
        """The first instant after the period."""
        return datetime.combine(self.last + timedelta(days=1), time(), self.zone)

    def months(self) -> list[str]:
        """Every month the period touches, as YYYY-MM, in order."""
        months, year, month = [], self.first.year, self.first.month
        while (year, month) <= (self.last.year, self.last.month):
            months.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months


def zone(name: str | None) -> ZoneInfo:
    """The IANA zone called `name` (UTC when none); an unknown one is bad input."""
    try:
        if name and len(name) > MAX_ZONE_CHARS:
            raise ValueError(name)
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"{quoted(name)} is not a time zone (an IANA name, e.g. "
                           "Europe/Paris).") from None


def day(text: str | None, what: str) -> date:
    """A day of a request, YYYY-MM-DD, within YEARS: far enough for any library's records,
    and no date arithmetic overflows near year 1 or 9999."""
    try:
        found = date.fromisoformat(text or "") if len(text or "") == 10 else None
    except ValueError:
        found = None
    if found is None or found.year not in YEARS:
        raise InvalidInput(f"The {what} day is a date like 2026-03-01 between "
                           f"{YEARS.start} and {YEARS.stop - 1}, not {quoted(text)}.")
    return found


def quoted(text: str | None) -> str:
    """What was sent, as a refusal quotes it: never more than a few words of it."""
    return repr(text if text is None or len(text) <= 32 else text[:32] + "…")


def period(first: str | None, last: str | None, zone_name: str | None) -> Period:
    """The period from the request's from, to and zone; a clear refusal for bad ones."""
    made = Period(day(first, "from"), day(last, "to"), zone(zone_name))
    if made.last < made.first:
        raise InvalidInput("The period ends before it starts: from must not be after to.")
    if (made.last - made.first).days >= MAX_DAYS:
        raise InvalidInput("A report covers at most three years; ask for a shorter period.")
    return made


def month_so_far(zone: ZoneInfo, now: datetime) -> Period:
    """From the first of this month to today, in `zone`."""
    today = now.astimezone(zone).date()
    return Period(today.replace(day=1), today, zone)
