"""Per-IP limits: concurrent sessions and a request rate, so one address cannot crowd out others.

Requests are BOSH requests, WebSocket handshakes and WebSocket frames alike: each is one
stanza's worth of work, whichever transport carries it.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final

from aiohttp import web

Clock = Callable[[], float]
IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
PRUNE_EVERY: Final = 4096  # admissions between two sweeps of forgotten addresses


@dataclass
class _Allowance:
    tokens: float
    updated: float
    sessions: int = 0


class IpLimiter:
    """Token bucket per address (a quarter-minute burst, then the steady per-minute rate) and a
    count of its open sessions."""

    def __init__(self, max_sessions: int, requests_per_minute: int,
                 clock: Clock = time.monotonic) -> None:
        self.max_sessions = max_sessions
        self._rate = requests_per_minute / 60.0
        self._burst = max(1.0, requests_per_minute / 4)
        self._clock = clock
        self._by_ip: dict[str, _Allowance] = {}
        self._admissions = 0

    def allow_request(self, ip: str) -> bool:
        """Take one request from ip's allowance; False when it is spent."""
        allowance = self._refilled(ip)
        if allowance.tokens < 1.0:
            return False
        allowance.tokens -= 1.0
        return True

    def open_session(self, ip: str) -> bool:
        """Count a new session for ip; False (and nothing counted) when it has too many."""
        allowance = self._refilled(ip)
        if allowance.sessions >= self.max_sessions:
            return False
        allowance.sessions += 1
        return True

    def close_session(self, ip: str) -> None:
        allowance = self._by_ip.get(ip)
        if allowance is not None and allowance.sessions > 0:
            allowance.sessions -= 1

    def sessions(self, ip: str) -> int:
        allowance = self._by_ip.get(ip)
        return allowance.sessions if allowance else 0

    def tracked(self) -> int:
        """Addresses remembered right now (bounded by pruning)."""
        return len(self._by_ip)

    def _refilled(self, ip: str) -> _Allowance:
        now = self._clock()
        self._admissions += 1
        if self._admissions % PRUNE_EVERY == 0:
            self._prune(now)
        allowance = self._by_ip.get(ip)
        if allowance is None:
            allowance = self._by_ip[ip] = _Allowance(self._burst, now)
        else:
            elapsed = now - allowance.updated
            allowance.tokens = min(self._burst, allowance.tokens + elapsed * self._rate)
            allowance.updated = now
        return allowance

    def _prune(self, now: float) -> None:
        # An address with no session and a full bucket is indistinguishable from a new one.
        refill_s = self._burst / self._rate
        self._by_ip = {
            ip: allowance for ip, allowance in self._by_ip.items()
            if allowance.sessions or now - allowance.updated < refill_s
        }


def parse_networks(values: Iterable[str]) -> tuple[IpNetwork, ...]:
    return tuple(ipaddress.ip_network(value, strict=False) for value in values)


def client_ip(request: web.BaseRequest, trusted_proxies: tuple[IpNetwork, ...]) -> str:
    """The patron's address: the peer's, or, behind a trusted reverse proxy, the nearest
    untrusted address of X-Forwarded-For (the ones before it could be forged)."""
    peer = request.remote or ""
    if not trusted_proxies or not _in(peer, trusted_proxies):
        return peer
    forwarded = ",".join(request.headers.getall("X-Forwarded-For", ()))
    for hop in reversed([hop.strip() for hop in forwarded.split(",") if hop.strip()]):
        if not _valid(hop):
            break
        if not _in(hop, trusted_proxies):
            return hop
    return peer


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def _in(address: str, networks: tuple[IpNetwork, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)
