"""Distributions in the asker's zone: UTC quarter hours folded into months, weekdays, hours
and weekday-hours. The database counts per quarter hour (at most ~35,000 a year); each is
turned into local time here with zoneinfo, which is exact across DST changes and in
half-hour zones, where a fixed offset in SQL would not be."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from refdesk.reports.figures import Figures, Row, Table
from refdesk.reports.period import Period
from refdesk.reports.sqltime import BUCKET_S

TABLES = ("month", "weekday", "hour", "day-hour")


def keys(period: Period) -> dict[str, list[str]]:
    """Every key of every distribution, in order: charts line up, zeros included."""
    hours = [f"{hour:02d}" for hour in range(24)]
    weekdays = [str(day) for day in range(1, 8)]
    return {"month": period.months(), "weekday": weekdays, "hour": hours,
            "day-hour": [f"{day}-{hour}" for day in weekdays for hour in hours]}


def local_keys(instant: datetime, period: Period) -> tuple[str, str, str, str]:
    """An instant's month, weekday, hour and weekday-hour keys in the period's zone."""
    local = instant.astimezone(period.zone)
    weekday, hour = str(local.isoweekday()), f"{local.hour:02d}"
    return f"{local.year:04d}-{local.month:02d}", weekday, hour, f"{weekday}-{hour}"


def fold(buckets: Iterable[tuple[int, Figures]], period: Period) -> tuple[Table, ...]:
    """The four distributions from (UTC quarter hour, its figures)."""
    found = {name: {key: Figures() for key in names} for name, names in keys(period).items()}
    for bucket, figures in buckets:
        instant = datetime.fromtimestamp(bucket * BUCKET_S, UTC)
        for name, key in zip(TABLES, local_keys(instant, period), strict=True):
            found[name].setdefault(key, Figures()).add(figures)
    return tuple(Table(name, tuple(Row(key, figures) for key, figures in found[name].items()))
                 for name in TABLES)
