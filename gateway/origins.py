"""Which web pages may open a patron session: the gateway's own origin and every widget's.

Browsers apply no CORS to WebSocket and let any page POST plain text, so the gateway checks
the Origin header itself on both transports. A request without Origin comes from no browser
(a bot, a desktop client); such a client can send any Origin it likes, so refusing it would
protect nobody.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Final, Protocol
from urllib.parse import urlsplit

from sqlalchemy.exc import SQLAlchemyError

from gateway.limits import Clock

log = logging.getLogger(__name__)

REFRESH_S: Final = 30.0
CHECK_S: Final = 1.0
"""How often the directory's change counter is read: an edited widget's origins count within
about this long."""
_DEFAULT_PORTS: Final = {"http": 80, "https": 443}


def normalize_origin(origin: str) -> str | None:
    """scheme://host[:port] in lower case without a default port; None if not a web origin."""
    try:
        parts = urlsplit(origin.strip())
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), (parts.hostname or "")
    if scheme not in _DEFAULT_PORTS or not host or parts.path not in ("", "/"):
        return None
    shown_port = "" if port in (None, _DEFAULT_PORTS[scheme]) else f":{port}"
    host = f"[{host}]" if ":" in host else host  # an IPv6 literal keeps its brackets
    return f"{scheme}://{host}{shown_port}"


def same_host(origin: str, host: str) -> bool:
    """Whether a normalized origin names the host[:port] (a Host header) a request went to."""
    ours = urlsplit(origin)
    default = _DEFAULT_PORTS.get(ours.scheme)
    try:
        asked = urlsplit(f"//{host.strip()}")
        return (asked.hostname, asked.port or default) == (ours.hostname, ours.port or default)
    except ValueError:
        return False


def _normalized(origins: Iterable[str]) -> Iterable[str]:
    for origin in origins:
        if (normalized := normalize_origin(origin)) is not None:
            yield normalized


class OriginSource(Protocol):
    """Where the widgets' allowed origins come from (refdesk.db.stores.widgets)."""

    async def allowed_origins(self) -> Iterable[str]: ...


class OriginPolicy:
    """Answers "may this page open a session?". The widgets are read again as soon as the
    directory's change counter (`revision`, read at most every `check_s`) moves, and at least
    every `refresh_s` whatever it says."""

    def __init__(self, store: OriginSource, refresh_s: float = REFRESH_S,
                 clock: Clock = time.monotonic,
                 revision: Callable[[], Awaitable[int]] | None = None,
                 check_s: float = CHECK_S) -> None:
        self._store, self._refresh_s, self._clock = store, refresh_s, clock
        self._revision, self._check_s = revision, check_s
        self._origins: frozenset[str] = frozenset()
        self._loaded_at: float | None = None
        self._checked_at = 0.0
        self._number: int | None = None
        self._lock = asyncio.Lock()

    async def allows(self, origin: str | None, host: str) -> bool:
        if origin is None:
            return True
        normalized = normalize_origin(origin)
        if normalized is None:  # "null" from sandboxed frames and file: pages, or garbage
            return False
        return same_host(normalized, host) or normalized in await self._allowed()

    async def _allowed(self) -> frozenset[str]:
        if self._fresh():
            return self._origins
        async with self._lock:  # one database read however many requests wait for it
            if not self._fresh():
                await self._refresh()
        return self._origins

    def _fresh(self) -> bool:
        loaded, now = self._loaded_at, self._clock()
        return loaded is not None and now - loaded < self._refresh_s and (
            self._revision is None or now - self._checked_at < self._check_s)

    async def _refresh(self) -> None:
        loaded = self._loaded_at
        number = await self._current()
        self._checked_at = self._clock()
        if (loaded is None or self._checked_at - loaded >= self._refresh_s
                or number is None or number != self._number):
            await self._reload()
            self._number = number

    async def _current(self) -> int | None:
        if self._revision is None:
            return None
        try:
            return await self._revision()
        except SQLAlchemyError:
            log.exception("cannot read the directory's change counter")
            return None

    async def _reload(self) -> None:
        try:
            self._origins = frozenset(_normalized(await self._store.allowed_origins()))
        except SQLAlchemyError:
            # Keep serving with what we knew; the next refresh tries again.
            log.exception("cannot read the widgets' allowed origins")
        self._loaded_at = self._clock()
