"""Who is asking: the request's rate, the address's failed logins, the librarian's own
credentials, and their logged-in link."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Final, NoReturn

from aiohttp import web

from gateway.api.credentials import FailedLogins, parse_basic
from gateway.api.link import LoginRefused, XmppLink
from gateway.api.problems import too_many, unauthorized
from gateway.api.sessions import ApiSessions, TooManySessions
from gateway.limits import IpLimiter, IpNetwork, client_ip

log = logging.getLogger(__name__)

RATE_RETRY_S: Final = 5


@dataclass
class ApiAccess:
    """The gateway's API guard, one per app."""

    domain: str
    sessions: ApiSessions
    failures: FailedLogins
    limiter: IpLimiter
    proxies: tuple[IpNetwork, ...]

    async def link(self, request: web.Request) -> XmppLink:
        """The asking librarian's link; raises the 401 or 429 problem."""
        ip = client_ip(request, self.proxies)
        if not self.limiter.allow_request(ip):
            raise too_many(RATE_RETRY_S, "Too many requests from your address; slow down.")
        wait = self.failures.retry_after(ip)
        if wait is not None:
            raise too_many(wait, "Too many failed logins from your address; try again later.")
        credentials = parse_basic(request.headers.get("Authorization"), self.domain)
        if credentials is None:
            self._failed(request, ip)
        try:
            return await self.sessions.link(credentials.jid, credentials.password)
        except LoginRefused:
            self._failed(request, ip)
        except TooManySessions as full:
            raise too_many(full.retry_after_s, "The API is busy; try again shortly.") from None

    def _failed(self, request: web.Request, ip: str) -> NoReturn:
        # A request with no credentials at all is a browser's first try, not a guess.
        if "Authorization" in request.headers:
            self.failures.failed(ip)
            log.info("API login refused from %s", ip)
        raise unauthorized()
