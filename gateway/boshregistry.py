"""The live BOSH sessions by sid, and the sweeper that ends inactive and overlong ones."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from typing import Final

from gateway.boshsession import BoshSession
from gateway.limits import Clock, IpLimiter

log = logging.getLogger(__name__)

SWEEP_EVERY_S: Final = 1.0


def new_sid() -> str:
    """192 random bits: a sid is the only credential of a BOSH request."""
    return secrets.token_urlsafe(24)


class BoshRegistry:
    """Sessions by sid; each holds one of its IP's session slots until it ends."""

    def __init__(self, limiter: IpLimiter, session_timeout_s: float,
                 clock: Clock = time.monotonic) -> None:
        self._limiter, self._session_timeout_s, self._clock = limiter, session_timeout_s, clock
        self._sessions: dict[str, BoshSession] = {}

    def __len__(self) -> int:
        return len(self._sessions)

    def get(self, sid: str) -> BoshSession | None:
        return self._sessions.get(sid)

    def add(self, session: BoshSession) -> None:
        """Register a started session whose IP slot was taken with limiter.open_session."""
        self._sessions[session.sid] = session
        session.on_end = self._ended

    def _ended(self, session: BoshSession) -> None:
        if self._sessions.pop(session.sid, None) is not None:
            self._limiter.close_session(session.ip)

    async def sweep(self) -> None:
        """End sessions idle past their inactivity period, or older than the session limit."""
        now = self._clock()
        for session in list(self._sessions.values()):
            if session.idle_for(now) > session.params.inactivity:
                await session.terminate("")  # nobody is listening any more
            elif now - session.started > self._session_timeout_s:
                log.info("BOSH session reached the session time limit")
                await session.terminate("policy-violation")

    async def sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(SWEEP_EVERY_S)
            try:
                await self.sweep()
            except Exception:
                # One session's failure must not stop the sweeper for all the others.
                log.exception("BOSH sweep failed")

    async def close_all(self, condition: str = "system-shutdown") -> None:
        for session in list(self._sessions.values()):
            with contextlib.suppress(Exception):
                await session.terminate(condition)
