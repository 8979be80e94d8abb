"""Finding a domain's XMPP server as Prosody does: SRV records, then A/AAAA, on port 5269.

When Prosody's configuration names a hosts file (`unbound = { hoststxt = … }`, as the lab's
does), the names it lists are resolved from it, the way Prosody resolves them.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass
from pathlib import Path

import dns.asyncresolver
import dns.exception
import dns.rdata
import dns.rdatatype
import dns.resolver
from dns.rdtypes.IN.SRV import SRV

log = logging.getLogger(__name__)

S2S_PORT = 5269
C2S_PORT = 5222


class LookupFailed(Exception):
    """DNS did not answer (timeout, SERVFAIL): unlike a missing record, nothing is known."""


@dataclass(frozen=True, order=True)
class Endpoint:
    """Where to connect: an address and port, and the host name they were found for."""

    address: str
    port: int
    host: str

    def __str__(self) -> str:
        shown = f"[{self.address}]" if ":" in self.address else self.address
        return f"{shown}:{self.port}"


def parse_hosts(text: str) -> dict[str, list[str]]:
    """Host name -> its addresses, in the order of a hosts file (/etc/hosts syntax)."""
    hosts: dict[str, list[str]] = {}
    for line in text.splitlines():
        fields = line.split("#", 1)[0].split()
        if len(fields) < 2 or not _is_address(fields[0]):
            continue
        for name in fields[1:]:
            hosts.setdefault(name.lower().rstrip("."), []).append(fields[0])
    return hosts


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class SrvTarget:
    host: str
    port: int


class Resolver:
    """DNS through dnspython, with a hosts file's names answered from it first."""

    def __init__(self, hosts: dict[str, list[str]] | None = None, timeout: float = 3.0) -> None:
        self.hosts = hosts or {}
        self._dns = dns.asyncresolver.Resolver()
        self._dns.lifetime = timeout

    @classmethod
    def with_hosts_file(cls, path: Path | None, timeout: float) -> Resolver:
        hosts = parse_hosts(path.read_text()) if path else {}
        return cls(hosts, timeout)

    async def srv(self, name: str) -> list[SrvTarget]:
        """The SRV targets of name by priority, then weight; [] when it has none."""
        answer = [record for record in await self._query(name, "SRV")
                  if isinstance(record, SRV)]
        records = sorted(answer, key=lambda record: (record.priority, -record.weight))
        return [SrvTarget(record.target.to_text().rstrip(".").lower(), record.port)
                for record in records]

    async def addresses(self, host: str) -> list[str]:
        """The host's IPv6 and IPv4 addresses; [] when it has none."""
        if host in self.hosts:
            return list(self.hosts[host])
        found: list[str] = []
        for kind in ("AAAA", "A"):
            found += [record.to_text() for record in await self._query(host, kind)]
        return found

    async def s2s_endpoints(self, domain: str) -> list[Endpoint]:
        """Where a peer server connects to reach domain, in the order it tries them."""
        if domain in self.hosts:
            return [Endpoint(address, S2S_PORT, domain) for address in self.hosts[domain]]
        targets = await self.srv(f"_xmpp-server._tcp.{domain}")
        if any(target.host in ("", ".") for target in targets):
            return []  # RFC 6120 3.2.1: "." means the service is decidedly not offered
        targets = targets or [SrvTarget(domain, S2S_PORT)]
        return [Endpoint(address, target.port, target.host)
                for target in targets for address in await self.addresses(target.host)]

    async def _query(self, name: str, kind: str) -> list[dns.rdata.Rdata]:
        try:
            answer = await self._dns.resolve(name, dns.rdatatype.from_text(kind))
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return []
        except (dns.exception.Timeout, dns.resolver.NoNameservers) as error:
            raise LookupFailed(f"{kind} {name}: {error}") from None
        return list(answer)
