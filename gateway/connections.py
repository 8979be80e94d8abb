"""Open connections per client address and in total, counted as they are accepted.

20,000 half-open connections from one address once took every file descriptor the gateway
had: nobody else could connect, and the server streams of patrons already chatting could not
be opened. Capping connections before a byte of them is read keeps one address from taking
more than its share, and all of them together from taking more than the process may open.
"""

from __future__ import annotations

from gateway import refusals
from gateway.limits import IPV6_PREFIX, IpNetwork, address_key, in_networks
from gateway.refusals import Refusal


class ConnectionCounter:
    """Counts open connections by client address (an IPv6 network as one, as the per-IP limits
    do) and in total. Reverse proxies are not capped per address: their clients are many."""

    def __init__(self, per_address: int, total: int, ipv6_prefix: int = IPV6_PREFIX,
                 uncapped: tuple[IpNetwork, ...] = ()) -> None:
        self.per_address, self.total = per_address, total
        self._ipv6_prefix, self._uncapped = ipv6_prefix, uncapped
        self._by_address: dict[str, int] = {}
        self.open = 0

    def admit(self, address: str) -> Refusal | None:
        """Count a new connection from `address`, or say why it is refused (counting nothing)."""
        key = self._key(address)
        if key is not None and self._by_address.get(key, 0) >= self.per_address:
            return refusals.CONNECTIONS_PER_ADDRESS
        if self.open >= self.total:
            return refusals.CONNECTIONS
        if key is not None:
            self._by_address[key] = self._by_address.get(key, 0) + 1
        self.open += 1
        return None

    def release(self, address: str) -> None:
        """A connection that admit() counted has closed."""
        self.open -= 1
        key = self._key(address)
        if key is None:
            return
        left = self._by_address.get(key, 0) - 1
        if left > 0:
            self._by_address[key] = left
        else:
            self._by_address.pop(key, None)

    def from_address(self, address: str) -> int:
        key = self._key(address)
        return self._by_address.get(key, 0) if key is not None else 0

    def _key(self, address: str) -> str | None:
        if self._uncapped and in_networks(address, self._uncapped):
            return None
        return address_key(address, self._ipv6_prefix)
