"""The same reports by a plain full scan: every row read, counted in Python. For the
benchmark (how much the database's GROUP BY saves) and for tests to compare against."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.reports.engine import GROUPED_BY, KEYLESS, KINDS, UNKNOWN, check_kind, table
from refdesk.reports.facts import COLUMNS, Facts, Filters, Scope
from refdesk.reports.figures import Figures, Report, Row, Table
from refdesk.reports.folding import TABLES, keys, local_keys
from refdesk.reports.period import Period


def figures_of(chat: dict[str, Any]) -> Figures:
    """One chat's figures."""
    asked, claimed, ended = chat["requested_at"], chat["claimed_at"], chat["ended_at"]
    rating = chat["rating"]
    return Figures(
        chats=1, answered=int(claimed is not None),
        wait_s=_seconds(asked, claimed), durations=int(claimed is not None and ended is not None),
        duration_s=_seconds(claimed, ended), ratings=int(rating is not None),
        rating_sum=rating or 0)


def _seconds(first: datetime | None, second: datetime | None) -> float:
    return (second - first).total_seconds() if first and second else 0.0


async def scan(sessions: async_sessionmaker[AsyncSession], facts: Facts, kind: str,
               period: Period, scope: Scope, filters: Filters) -> Report:
    """The report engine's answer, by reading every chat of the report one by one."""
    statement = (select(*(facts[name].label(name) for name in COLUMNS))
                 .select_from(facts.table).where(*facts.conditions(period, scope, filters)))
    names = KINDS[check_kind(kind)]
    found: dict[str, dict[str, Figures]] = {name: {} for name in names}
    if kind == "distributions":
        found = {name: {key: Figures() for key in names} for name, names in keys(period).items()}
    chats = 0
    async with sessions() as session:
        async for row in await session.stream(statement):
            chat = dict(row._mapping)
            chats += 1
            for name, key in _keys(kind, chat, period):
                found[name].setdefault(key, Figures()).add(figures_of(chat))
    if kind == "distributions":
        return Report(kind, tuple(Table(name, tuple(Row(key, figures) for key, figures
                                                    in found[name].items()))
                                  for name in TABLES), chats)
    return Report(kind, tuple(table(name, found[name], lambda t, k: None) for name in names),
                  chats)


def _keys(kind: str, chat: dict[str, Any], period: Period) -> list[tuple[str, str]]:
    if kind == "distributions":
        instant = chat["requested_at"]
        return list(zip(TABLES, local_keys(instant, period), strict=True))
    found = []
    for name in KINDS[kind]:
        key = chat[GROUPED_BY[name]]
        if key is None and name in KEYLESS:
            continue
        found.append((name, key or UNKNOWN))
    return found

