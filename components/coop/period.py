"""A stats request's period (urn:refdesk:stats:0): days, inclusive, in the asker's time zone,
as the instants the database compares with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from refdesk.errors import InvalidInput

MAX_DAYS = 3 * 366
"""stats.xsd: a period over 3 years is refused."""


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    zone: ZoneInfo

    @property
    def start(self) -> datetime:
        """The first day's midnight in the zone."""
        return datetime.combine(self.first, time(), self.zone).astimezone(UTC)

    @property
    def end(self) -> datetime:
        """The midnight after the last day: the period is [start, end)."""
        return datetime.combine(self.last + timedelta(days=1), time(), self.zone).astimezone(UTC)


def zone_named(name: str) -> ZoneInfo:
    """The IANA zone `name` (UTC when empty); InvalidInput with a sentence if unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"{name!r} is not a time zone; use an IANA name such as "
                           "Europe/Paris or America/Chicago.") from None


def period(first: str, last: str, zone: str) -> Period:
    """The period from `first` to `last` (YYYY-MM-DD) in `zone`, checked."""
    try:
        start, end = date.fromisoformat(first), date.fromisoformat(last)
    except ValueError:
        raise InvalidInput("from and to are days, YYYY-MM-DD.") from None
    if start > end:
        raise InvalidInput("The period starts after it ends: swap from and to.")
    if (end - start).days >= MAX_DAYS:
        raise InvalidInput("A period is at most 3 years; ask for a shorter one.")
    return Period(start, end, zone_named(zone))


def month_so_far(zone: ZoneInfo, now: datetime) -> Period:
    """From the first of this month to today, in `zone`."""
    today = now.astimezone(zone).date()
    return Period(today.replace(day=1), today, zone)
