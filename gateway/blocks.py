"""Blocked patrons at the gateway: their live session closed, their address refused.

A librarian blocks a patron in a chat; the queue records the block with the patron's JID,
which is all it knows. The gateway knows which of its sessions bound that JID (it carries
the bind result on guest.<library>) and the address that session came from: it records a
keyed hash of the address on the block (the raw address is personal data), closes the
session and refuses new ones from that address until the block expires. The blocks' change
counter is read every `check_s`, so a new block takes effect within about that long.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Final, Protocol

from sqlalchemy.exc import SQLAlchemyError

from gateway.limits import IPV6_PREFIX, address_key
from refdesk.db.stores.blocks import BlockRecord
from refdesk.db.types import utcnow

log = logging.getLogger(__name__)

CHECK_S: Final = 1.0
REFRESH_S: Final = 60.0
"""Blocks are read again at least this often, so that expired ones stop counting."""
MAX_REMEMBERED: Final = 10_000
"""Sessions whose bound JID and address are remembered (the newest), also for a while after
they end: a block may come just after the patron left."""
ENDED: Final = "the chat has ended"
Close = Callable[[], Awaitable[None]]


class BlockSource(Protocol):
    """Where blocks are kept (refdesk.db.stores.blocks.BlockStore)."""

    async def in_force(self, now: datetime) -> list[BlockRecord]: ...

    async def record_address(self, block_id: int, address_key: str) -> None: ...

    async def forget_addresses(self, now: datetime) -> int: ...


class BlockWatch:
    def __init__(self, store: BlockSource, secret: str, domain: str,
                 revision: Callable[[], Awaitable[int]], check_s: float = CHECK_S,
                 ipv6_prefix: int = IPV6_PREFIX) -> None:
        self._store, self._secret, self._domain = store, secret.encode(), domain.lower()
        self._revision, self._check_s, self._ipv6_prefix = revision, check_s, ipv6_prefix
        self._sessions: OrderedDict[str, tuple[str, Close]] = OrderedDict()
        """Bound full JID -> (address key, how to close its session)."""
        self._refused: dict[str, datetime] = {}
        """Keyed address hash -> until when it is refused."""
        self._number: int | None = None

    def key(self, address: str) -> str:
        """The keyed hash of an address (an IPv6 address by its network, as limits count)."""
        network = address_key(address, self._ipv6_prefix)
        return hmac.new(self._secret, network.encode(), hashlib.sha256).hexdigest()

    def refuses(self, address: str) -> bool:
        until = self._refused.get(self.key(address))
        return until is not None and until > utcnow()

    def refuses_stream(self, address: str, to: str) -> bool:
        """Whether a stream to host `to` from `address` is refused. Only patrons' streams
        are: librarians log in to the library's own domain with a password (anonymous login
        is only on guest.<library>), and may well share an address with a blocked patron,
        e.g. behind the library's own network."""
        return to.lower() != self._domain and self.refuses(address)

    def bound(self, jid: str, address: str, close: Close) -> None:
        """A session bound `jid` (the server's bind result passed through the gateway)."""
        self._sessions[jid] = (self.key(address), close)
        self._sessions.move_to_end(jid)
        while len(self._sessions) > MAX_REMEMBERED:
            self._sessions.popitem(last=False)

    async def run(self) -> None:
        """Follow the blocks' counter until cancelled."""
        loop = asyncio.get_running_loop()
        loaded_at = float("-inf")
        while True:
            try:
                number = await self._revision()
                if number != self._number or loop.time() - loaded_at >= REFRESH_S:
                    await self.reload()
                    self._number, loaded_at = number, loop.time()
            except SQLAlchemyError:
                log.exception("cannot read the blocked patrons; trying again")
            await asyncio.sleep(self._check_s)

    async def reload(self) -> None:
        now = utcnow()
        await self._store.forget_addresses(now)
        refused: dict[str, datetime] = {}
        for block in await self._store.in_force(now):
            key = block.address_key or await self._enforce(block)
            if key is not None:
                refused[key] = max(block.until, refused.get(key, block.until))
        self._refused = refused

    async def _enforce(self, block: BlockRecord) -> str | None:
        """A new block: find its session, record its address, close it."""
        session = self._sessions.get(block.patron_jid)
        if session is None:
            return None  # not carried by this gateway (or long gone)
        key, close = session
        await self._store.record_address(block.id, key)
        log.info("closing a blocked patron's session (block %d)", block.id)
        await close()
        return key
