"""Per-IP limits: concurrent sessions and a request rate, so one address cannot crowd out others;
and the cap on sessions in total, so that a crowd cannot take the memory the others need.

Requests are BOSH requests, WebSocket handshakes and WebSocket frames alike: each is one
stanza's worth of work, whichever transport carries it. An IPv6 client is counted by its
network (a /64 unless configured otherwise): it is usually given a whole /64, and could pick a
fresh address in it for every session.
"""

from __future__ import annotations

import functools
import ipaddress
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final

from aiohttp import web

from gateway import refusals
from gateway.refusals import Refusal

Clock = Callable[[], float]
IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
PRUNE_EVERY: Final = 4096  # admissions between two sweeps of forgotten addresses
IPV6_PREFIX: Final = 64


@functools.lru_cache(maxsize=4096)
def address_key(address: str, ipv6_prefix: int = IPV6_PREFIX) -> str:
    """What the per-IP limits count: an IPv4 address (IPv4-mapped IPv6 included) as it is, an
    IPv6 address by its network, anything else (a Unix socket's "") as it is."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    if isinstance(ip, ipaddress.IPv4Address) or ipv6_prefix >= 128:
        return str(ip)
    return str(ipaddress.IPv6Network((ip, ipv6_prefix), strict=False))


@dataclass
class _Allowance:
    tokens: float
    updated: float
    sessions: int = 0


class IpLimiter:
    """Token bucket per address (a quarter-minute burst, then the steady per-minute rate), a
    count of its open sessions, and of all sessions."""

    def __init__(self, max_sessions: int, requests_per_minute: int,
                 max_sessions_total: int | None = None, ipv6_prefix: int = IPV6_PREFIX,
                 clock: Clock = time.monotonic) -> None:
        self.max_sessions = max_sessions
        self.max_sessions_total = max_sessions_total
        self._rate = requests_per_minute / 60.0
        self._burst = max(1.0, requests_per_minute / 4)
        self._ipv6_prefix, self._clock = ipv6_prefix, clock
        self._by_ip: dict[str, _Allowance] = {}
        self._admissions = 0
        self._sessions = 0

    def allow_request(self, ip: str) -> bool:
        """Take one request from ip's allowance; False when it is spent."""
        allowance = self._refilled(ip)
        if allowance.tokens < 1.0:
            return False
        allowance.tokens -= 1.0
        return True

    def open_session(self, ip: str) -> Refusal | None:
        """Count a new session for ip; the refusal (and nothing counted) when there are too many
        from ip or in all."""
        allowance = self._refilled(ip)
        if allowance.sessions >= self.max_sessions:
            return refusals.SESSIONS_PER_ADDRESS
        if self.max_sessions_total is not None and self._sessions >= self.max_sessions_total:
            return refusals.SESSIONS
        allowance.sessions += 1
        self._sessions += 1
        return None

    def close_session(self, ip: str) -> None:
        allowance = self._by_ip.get(address_key(ip, self._ipv6_prefix))
        if allowance is not None and allowance.sessions > 0:
            allowance.sessions -= 1
            self._sessions -= 1

    def sessions(self, ip: str | None = None) -> int:
        """Open sessions from ip, or in all."""
        if ip is None:
            return self._sessions
        allowance = self._by_ip.get(address_key(ip, self._ipv6_prefix))
        return allowance.sessions if allowance else 0

    def tracked(self) -> int:
        """Addresses remembered right now (bounded by pruning)."""
        return len(self._by_ip)

    def _refilled(self, ip: str) -> _Allowance:
        now = self._clock()
        self._admissions += 1
        if self._admissions % PRUNE_EVERY == 0:
            self._prune(now)
        key = address_key(ip, self._ipv6_prefix)
        allowance = self._by_ip.get(key)
        if allowance is None:
            allowance = self._by_ip[key] = _Allowance(self._burst, now)
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
    if not trusted_proxies or not in_networks(peer, trusted_proxies):
        return peer
    forwarded = ",".join(request.headers.getall("X-Forwarded-For", ()))
    for hop in reversed([hop.strip() for hop in forwarded.split(",") if hop.strip()]):
        if not _valid(hop):
            break
        if not in_networks(hop, trusted_proxies):
            return hop
    return peer


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def in_networks(address: str, networks: tuple[IpNetwork, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)
