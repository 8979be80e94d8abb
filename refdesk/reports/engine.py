"""The report engine: one GROUP BY query per table, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.errors import InvalidInput
from refdesk.reports.facts import Facts, Filters, Scope
from refdesk.reports.figures import Figures, Report, Row, Table, aggregates
from refdesk.reports.folding import fold
from refdesk.reports.period import Period
from refdesk.reports.sqltime import bucket

KINDS: dict[str, tuple[str, ...]] = {
    "distributions": ("month", "weekday", "hour", "day-hour"),
    "sources": ("source", "browser", "os", "device"),
    "staff": ("user", "institution"),
}
"""Each kind's tables, in the order they are sent."""
GROUPED_BY = {"source": "source", "browser": "browser", "os": "os", "device": "device",
              "user": "answered_by", "institution": "answered_institution"}
"""The facts column each table of sources and staff is grouped by."""
UNKNOWN = "Other"
"""The key of chats whose page or user agent told nothing (stats.xsd)."""
MAX_ROWS = 200
"""Rows of a sources or staff table at most; the rest are summed in one row, OTHERS."""
OTHERS = "(others)"
KEYLESS = ("user", "institution")
"""Tables whose chats without a key (nobody answered) are left out, not called Other."""

Labels = Callable[[str, str], str | None]
"""(table, key) -> the row's label (a librarian's nick, a library's name), if any."""


def check_kind(kind: str | None) -> str:
    if kind not in KINDS:
        raise InvalidInput(f"A report's kind is one of {', '.join(KINDS)}; not {kind!r}.")
    return kind


class ReportEngine:
    """Reports over one source of facts (a library's chats, a co-op's summaries)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], facts: Facts) -> None:
        self.sessions, self.facts = sessions, facts

    async def report(self, kind: str, period: Period, scope: Scope, filters: Filters,
                     labels: Labels = lambda table, key: None) -> Report:
        where = self.facts.conditions(period, scope, filters)
        async with self.sessions() as session:
            if check_kind(kind) == "distributions":
                tables = await self._distributions(session, where, period)
                return Report(kind, tables, sum(row.figures.chats for row in tables[0].rows))
            grouped = [await self._grouped(session, where, name, labels)
                       for name in KINDS[kind]]
        return Report(kind, tuple(found for found, _ in grouped), grouped[0][1])

    async def _distributions(self, session: AsyncSession, where: Sequence[ColumnElement[bool]],
                             period: Period) -> tuple[Table, ...]:
        quarter = bucket(self.facts["requested_at"])
        rows = await session.execute(self._select(quarter, where))
        return fold(((int(row[0]), Figures.of(row)) for row in rows), period)

    async def _grouped(self, session: AsyncSession, where: Sequence[ColumnElement[bool]],
                       name: str, labels: Labels) -> tuple[Table, int]:
        """The table, and how many chats it was counted over (keyless ones included)."""
        found: dict[str, Figures] = {}
        chats = 0
        for row in await session.execute(self._select(self.facts[GROUPED_BY[name]], where)):
            figures = Figures.of(row)
            chats += figures.chats
            if row[0] is None and name in KEYLESS:
                continue
            found.setdefault(row[0] or UNKNOWN, Figures()).add(figures)
        return table(name, found, labels), chats

    def _select(self, key: ColumnElement[Any],
                where: Sequence[ColumnElement[bool]]) -> Select[Any]:
        return (select(key, *aggregates(self.facts)).select_from(self.facts.table)
                .where(*where).group_by(key))


def table(name: str, found: dict[str, Figures], labels: Labels) -> Table:
    """A table of grouped rows, the most chats first; past MAX_ROWS, the rest summed in one
    row, so that an answer stays one stanza however many pages patrons asked from."""
    ordered = sorted(found.items(), key=lambda item: (-item[1].chats, item[0]))
    rows = [Row(key, figures, labels(name, key)) for key, figures in ordered[:MAX_ROWS]]
    if len(ordered) > MAX_ROWS:
        rest = Figures()
        for _, figures in ordered[MAX_ROWS:]:
            rest.add(figures)
        rows.append(Row(OTHERS, rest, f"{len(ordered) - MAX_ROWS} others"))
    return Table(name, tuple(rows))
