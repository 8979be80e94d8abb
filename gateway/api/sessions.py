"""The API's logged-in librarians: one XMPP login per librarian, kept briefly, so that a
dashboard's burst of requests logs in once."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Final

from gateway.api.link import XmppLink

log = logging.getLogger(__name__)

IDLE_S: Final = 60.0
MAX_SESSIONS: Final = 200
Clock = Callable[[], float]
Login = Callable[[str, str], Awaitable[XmppLink]]


class TooManySessions(Exception):
    """Every session slot is taken by a librarian active within IDLE_S."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__("too many API sessions")
        self.retry_after_s = retry_after_s


@dataclass
class _Session:
    link: XmppLink
    proof: bytes
    """What the password it logged in with hashes to, under this process's own key: a later
    request must bring the same password to use the session."""
    used: float


class ApiSessions:
    """Logins by bare JID. A request with another password than the session's is a new login
    attempt, never a way into the open session."""

    def __init__(self, login: Login, idle_s: float = IDLE_S, max_sessions: int = MAX_SESSIONS,
                 clock: Clock = time.monotonic) -> None:
        self._login, self._idle_s, self._max = login, idle_s, max_sessions
        self._clock = clock
        self._key = secrets.token_bytes(32)
        self._sessions: dict[str, _Session] = {}
        self._logging_in: dict[str, asyncio.Lock] = {}
        self.logins = 0
        """Logins made since start, for the tests and the log."""

    async def link(self, jid: str, password: str) -> XmppLink:
        """The librarian's open link, or a new login; raises LoginRefused, ServerUnreachable
        or TooManySessions."""
        proof = self._proof(password)
        lock = self._logging_in.setdefault(jid, asyncio.Lock())
        try:
            async with lock:
                session = self._sessions.get(jid)
                if session and hmac.compare_digest(session.proof, proof) \
                        and session.link.connected:
                    session.used = self._clock()
                    return session.link
                return await self._new(jid, password, proof)
        finally:
            # Refused logins leave nothing behind: unknown JIDs must not fill memory.
            if jid not in self._sessions and not lock.locked():
                self._logging_in.pop(jid, None)

    async def _new(self, jid: str, password: str, proof: bytes) -> XmppLink:
        await self.sweep()
        if jid not in self._sessions and len(self._sessions) >= self._max:
            raise TooManySessions(self._retry_after())
        link = await self._login(jid, password)
        self.logins += 1
        log.info("API login for %s", jid)
        old = self._sessions.pop(jid, None)
        self._sessions[jid] = _Session(link, proof, self._clock())
        if old is not None:
            await old.link.close()
        return link

    async def sweep(self) -> None:
        """Log out the librarians idle for IDLE_S."""
        now = self._clock()
        idle = [jid for jid, s in self._sessions.items() if now - s.used >= self._idle_s]
        for jid in idle:
            session = self._sessions.pop(jid)
            await session.link.close()

    async def sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(self._idle_s / 4)
            await self.sweep()

    async def close_all(self) -> None:
        sessions, self._sessions = self._sessions, {}
        await asyncio.gather(*(s.link.close() for s in sessions.values()))

    def __len__(self) -> int:
        return len(self._sessions)

    def _proof(self, password: str) -> bytes:
        return hmac.new(self._key, password.encode(), hashlib.sha256).digest()

    def _retry_after(self) -> int:
        oldest = min(s.used for s in self._sessions.values())
        return max(1, int(oldest + self._idle_s - self._clock()) + 1)
