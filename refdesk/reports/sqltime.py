"""Instants as numbers in SQL, the same on SQLite and PostgreSQL.

SQLite keeps an instant as UTC wall-clock text (refdesk.db.types.UTCDateTime) and
PostgreSQL as timestamptz; each dialect gets its own expression for the same figure."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float, Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

BUCKET_S = 900
"""Distributions are counted in quarter hours of UTC: every zone's offset is a whole number
of quarter hours, so a bucket lies within one local hour wherever the asker is."""


class bucket(FunctionElement[int]):
    """The UTC quarter hour an instant falls in: whole seconds since the epoch // 900."""

    type = Integer()
    inherit_cache = True


class seconds_between(FunctionElement[float]):
    """Seconds from the first instant to the second; NULL when either is."""

    type = Float()
    inherit_cache = True


@compiles(bucket, "sqlite")
def _bucket_sqlite(element: bucket, compiler: SQLCompiler, **kw: Any) -> str:
    (instant,) = element.clauses
    return f"(CAST(strftime('%s', {compiler.process(instant, **kw)}) AS INTEGER) / {BUCKET_S})"


@compiles(bucket, "postgresql")
def _bucket_postgresql(element: bucket, compiler: SQLCompiler, **kw: Any) -> str:
    (instant,) = element.clauses
    return (f"CAST(floor(extract(epoch FROM {compiler.process(instant, **kw)}) / {BUCKET_S})"
            " AS BIGINT)")


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    first, second = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"((julianday({second}) - julianday({first})) * 86400.0)"


@compiles(seconds_between, "postgresql")
def _seconds_postgresql(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    first, second = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"extract(epoch FROM ({second} - {first}))"
