"""Who is asking: the request's rate, the address's failed logins, the librarian's own
credentials, and their logged-in link."""

from __future__ import annotations

import asyncio
import functools
import logging
import secrets
from dataclasses import dataclass, field
from typing import Final

from aiohttp import web

from gateway.api.credentials import Credentials, FailedLogins, parse_basic
from gateway.api.link import LoginRefused, XmppLink
from gateway.api.problems import Problem, too_many, unauthorized
from gateway.api.sessions import ApiSessions, TooManySessions
from gateway.limits import IpLimiter, IpNetwork, client_ip

log = logging.getLogger(__name__)

RATE_RETRY_S: Final = 5
REFUSAL_FLOOR_S: Final = 1.0
"""No 401 answers sooner after its request began: the server refuses an unknown user at
SCRAM's first message but a real one only after the PBKDF2 work, and that must not show."""
REFUSAL_JITTER: Final = 0.2
"""Up to this share of the floor is added at random, so that the floor is not a clock either."""
STOPPED: Final = "Too many failed logins from your address; try again later."
Attempt = tuple[str, Credentials]


@dataclass
class ApiAccess:
    """The gateway's API guard, one per app."""

    domain: str
    sessions: ApiSessions
    failures: FailedLogins
    limiter: IpLimiter
    proxies: tuple[IpNetwork, ...]
    refusal_floor_s: float = REFUSAL_FLOOR_S
    _attempts: dict[Attempt, asyncio.Task[XmppLink]] = field(
        default_factory=dict, init=False, repr=False)

    async def link(self, request: web.Request) -> XmppLink:
        """The asking librarian's link; raises the 401 or 429 problem."""
        started = asyncio.get_running_loop().time()
        try:
            return await self._link(request)
        except Problem as problem:
            if problem.status == 401:
                await self._hold(started)
            raise

    async def _link(self, request: web.Request) -> XmppLink:
        ip = client_ip(request, self.proxies)
        if not self.limiter.allow_request(ip):
            raise too_many(RATE_RETRY_S, "Too many requests from your address; slow down.")
        header = request.headers.get("Authorization")
        if header is None:
            # A request with no credentials at all is a browser's first try, not a guess.
            wait = self.failures.retry_after(ip)
            raise unauthorized() if wait is None else too_many(wait, STOPPED)
        credentials = parse_basic(header, self.domain)
        # The same credentials in parallel (a dashboard's burst) are one attempt: one login,
        # one failure if it fails.
        attempt = self._attempts.get((ip, credentials)) if credentials else None
        if attempt is None:
            attempt = self._attempt(ip, credentials)
        # One request's client going away must not cancel the login the others wait on.
        return await asyncio.shield(attempt)

    def _attempt(self, ip: str, credentials: Credentials | None) -> asyncio.Task[XmppLink]:
        stamp = self.failures.reserve(ip)
        if stamp is None:
            raise too_many(self.failures.retry_after(ip) or 1, STOPPED)
        if credentials is None:
            log.info("API login refused from %s", ip)
            raise unauthorized()
        attempt = asyncio.create_task(self._login(ip, stamp, credentials))
        self._attempts[(ip, credentials)] = attempt
        attempt.add_done_callback(functools.partial(self._attempted, (ip, credentials)))
        return attempt

    async def _login(self, ip: str, stamp: float, credentials: Credentials) -> XmppLink:
        """The login, counted as failed from before it is tried until it succeeds: parallel
        guesses must not all pass the check while none of them has failed yet."""
        refused = False
        try:
            return await self.sessions.link(credentials.jid, credentials.password)
        except LoginRefused:
            refused = True
            log.info("API login refused from %s", ip)
            raise unauthorized() from None
        except TooManySessions as full:
            raise too_many(full.retry_after_s, "The API is busy; try again shortly.") from None
        finally:
            # A busy or absent server is no guess: only a refusal keeps its failure.
            if not refused:
                self.failures.release(ip, stamp)

    def _attempted(self, key: Attempt, attempt: asyncio.Task[XmppLink]) -> None:
        self._attempts.pop(key, None)
        if not attempt.cancelled():
            attempt.exception()  # its requests have it; asyncio need not log it as lost

    async def _hold(self, started: float) -> None:
        # Every refusal takes as long, whoever was refused and why.
        jitter = secrets.randbelow(1001) / 1000 * REFUSAL_JITTER
        until = started + self.refusal_floor_s * (1 + jitter)
        await asyncio.sleep(until - asyncio.get_running_loop().time())
