"""HTTP Basic credentials of a librarian of this library, and the count of failed logins per
address that stops password guessing."""

from __future__ import annotations

import base64
import binascii
import time
from collections import deque
from dataclasses import dataclass
from typing import Final

from slixmpp import JID
from slixmpp.jid import InvalidJID

from gateway.limits import Clock, address_key

MAX_FAILURES: Final = 5
FAILURE_WINDOW_S: Final = 300.0
MAX_TRACKED: Final = 10000
MAX_PASSWORD_CHARS: Final = 1024


@dataclass(frozen=True)
class Credentials:
    jid: str
    """A bare JID at the gateway's own domain."""
    password: str


def parse_basic(header: str | None, domain: str) -> Credentials | None:
    """The credentials of an Authorization header; None for anything but a well-formed Basic
    one naming an account at `domain` (patrons' guest host and other servers included)."""
    if not header or header[:6].lower() != "basic ":
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, colon, password = decoded.partition(":")
    if not colon or not password or len(password) > MAX_PASSWORD_CHARS:
        return None
    return _credentials(user, password, domain)


def _credentials(user: str, password: str, domain: str) -> Credentials | None:
    # A bare local part means an account of this library, as in its own login form.
    try:
        jid = JID(user if "@" in user else f"{user}@{domain}")
    except InvalidJID:
        return None
    if not jid.user or jid.resource or jid.domain != domain.lower():
        return None
    return Credentials(str(jid.bare), password)


class FailedLogins:
    """Failed logins per address (an IPv6 network counts as one) in a sliding window."""

    def __init__(self, max_failures: int = MAX_FAILURES, window_s: float = FAILURE_WINDOW_S,
                 ipv6_prefix: int = 64, clock: Clock = time.monotonic) -> None:
        self._max, self._window_s = max_failures, window_s
        self._ipv6_prefix, self._clock = ipv6_prefix, clock
        self._by_ip: dict[str, deque[float]] = {}

    def retry_after(self, ip: str) -> int | None:
        """Seconds until ip may try again, or None if it may now."""
        failures = self._recent(address_key(ip, self._ipv6_prefix))
        if len(failures) < self._max:
            return None
        return max(1, int(failures[0] + self._window_s - self._clock()) + 1)

    def failed(self, ip: str) -> None:
        self.reserve(ip)

    def reserve(self, ip: str) -> float | None:
        """Count an attempt from ip as failed until it is released, and return its stamp for
        release(); None, counting nothing, if ip must wait.

        An attempt counts before its login is even tried: parallel guesses could otherwise
        all pass the check while none of them has failed yet."""
        key = address_key(ip, self._ipv6_prefix)
        if key not in self._by_ip and len(self._by_ip) >= MAX_TRACKED:
            self._prune()
        failures = self._recent(key)
        if len(failures) >= self._max:
            return None
        stamp = self._clock()
        failures.append(stamp)
        return stamp

    def release(self, ip: str, stamp: float) -> None:
        """The attempt reserved at `stamp` did not fail after all."""
        failures = self._by_ip.get(address_key(ip, self._ipv6_prefix))
        if failures is not None and stamp in failures:
            failures.remove(stamp)

    def _recent(self, key: str) -> deque[float]:
        failures = self._by_ip.setdefault(key, deque(maxlen=self._max))
        while failures and self._clock() - failures[0] >= self._window_s:
            failures.popleft()
        return failures

    def _prune(self) -> None:
        for key in list(self._by_ip):
            if not self._recent(key):
                del self._by_ip[key]
