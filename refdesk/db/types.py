"""Column types that keep XMPP addresses and instants honest on every dialect."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from slixmpp import JID as SlixJID
from slixmpp.jid import InvalidJID
from sqlalchemy import DateTime, Dialect, String
from sqlalchemy.types import TypeDecorator

# RFC 7622: each of localpart, domainpart and resourcepart is at most 1023 bytes.
JID_MAX_LENGTH = 3 * 1023 + 2
DOMAIN_MAX_LENGTH = 1023


def utcnow() -> datetime:
    """The current instant, timezone-aware in UTC (the default of timestamp columns)."""
    return datetime.now(UTC)


def normalize_jid(value: str | SlixJID) -> SlixJID:
    """Parse and normalise a JID; ValueError if it is invalid or empty."""
    try:
        jid = value if isinstance(value, SlixJID) else SlixJID(value)
    except InvalidJID as error:
        raise ValueError(f"invalid JID {value!r}: {error}") from error
    if not jid.domain:
        # slixmpp accepts "" as the empty JID; an address column never means that.
        raise ValueError(f"invalid JID {value!r}: empty")
    return jid


class JID(TypeDecorator[str]):
    """A JID, normalised (RFC 7622 preparation: lower-cased domain and localpart) on the way
    in so that equal addresses compare equal in SQL; a plain str on the way out."""

    impl = String(JID_MAX_LENGTH)
    cache_ok = True

    def process_bind_param(self, value: str | SlixJID | None, dialect: Dialect) -> str | None:
        return None if value is None else str(normalize_jid(value))

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return value


class Domain(JID):
    """A bare XMPP domain such as alpha.test: a JID without localpart or resource."""

    impl = String(DOMAIN_MAX_LENGTH)
    cache_ok = True

    def process_bind_param(self, value: str | SlixJID | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        jid = normalize_jid(value)
        if jid.local or jid.resource:
            raise ValueError(f"not a bare domain: {value!r}")
        return jid.domain


class UTCDateTime(TypeDecorator[datetime]):
    """An instant: timezone-aware datetimes in, timezone-aware UTC datetimes out.

    PostgreSQL stores timestamptz; SQLite has no time zones, so the value is stored as
    UTC wall time and UTC is reattached on load. Naive datetimes are refused rather than
    guessed at.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} refused: give it a tzinfo")
        utc = value.astimezone(UTC)
        # SQLite's DATETIME formatter drops tzinfo anyway; do it explicitly.
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
