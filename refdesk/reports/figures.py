"""A report row's figures (stats.xsd's row): counted by the database as sums and counts, so
that rows can be added together (quarter hours into hours) before the means are taken."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func

from refdesk.reports.facts import Facts
from refdesk.reports.sqltime import seconds_between


@dataclass
class Figures:
    """Sums and counts over some chats."""

    chats: int = 0
    answered: int = 0
    wait_s: float = 0.0
    """Sum of the answered chats' waits."""
    durations: int = 0
    """How many answered chats have ended (have a duration)."""
    duration_s: float = 0.0
    ratings: int = 0
    rating_sum: int = 0

    def add(self, other: Figures) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def wait(self) -> float | None:
        return self.wait_s / self.answered if self.answered else None

    @property
    def duration(self) -> float | None:
        return self.duration_s / self.durations if self.durations else None

    @property
    def rating(self) -> float | None:
        return self.rating_sum / self.ratings if self.ratings else None

    @classmethod
    def of(cls, row: Any) -> Figures:
        """From a row whose last seven values are aggregates()'s."""
        chats, answered, wait_s, durations, duration_s, ratings, rating_sum = tuple(row)[-7:]
        return cls(int(chats), int(answered), float(wait_s or 0), int(durations),
                   float(duration_s or 0), int(ratings), int(rating_sum or 0))


def aggregates(facts: Facts) -> list[ColumnElement[Any]]:
    """The seven aggregates Figures.of reads, in its order."""
    wait = seconds_between(facts["requested_at"], facts["claimed_at"])
    duration = seconds_between(facts["claimed_at"], facts["ended_at"])
    return [func.count(), func.count(facts["claimed_at"]), func.sum(wait),
            func.count(duration), func.sum(duration), func.count(facts["rating"]),
            func.sum(facts["rating"])]


@dataclass(frozen=True)
class Row:
    """One row of a report's table, as stats.xsd sends it."""

    key: str
    figures: Figures
    label: str | None = None


@dataclass(frozen=True)
class Table:
    name: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Report:
    kind: str
    tables: tuple[Table, ...]
    chats: int
    """How many chats the report covers in all."""
