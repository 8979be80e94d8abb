"""The gateway's side of a block: the session that bound the blocked JID is closed and its
address (kept only as a keyed hash) refused until the block expires; other addresses and
sessions are not touched."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from gateway.blocks import BlockWatch
from refdesk.db.stores.blocks import BlockRecord
from refdesk.db.types import utcnow

DOMAIN = "alpha.test"
PATRON = "x1@guest.alpha.test/web"


class Blocks:
    """An in-memory block store."""

    def __init__(self, *blocks: BlockRecord) -> None:
        self.blocks = list(blocks)

    async def in_force(self, now: datetime) -> list[BlockRecord]:
        return [block for block in self.blocks if block.until > now]

    async def record_address(self, block_id: int, address_key: str) -> None:
        self.blocks = [replace(b, address_key=address_key) if b.id == block_id else b
                       for b in self.blocks]

    async def forget_addresses(self, now: datetime) -> int:
        expired = [b for b in self.blocks if b.until <= now and b.address_key]
        self.blocks = [replace(b, address_key=None) if b in expired else b for b in self.blocks]
        return len(expired)


class Closer:
    def __init__(self) -> None:
        self.closed = 0

    async def __call__(self) -> None:
        self.closed += 1


def block(patron: str = PATRON, minutes: int = 60) -> BlockRecord:
    now = utcnow()
    return BlockRecord(1, "c1", patron, None, now + timedelta(minutes=minutes), "abuse",
                       "ben@beta.test", now)


async def zero() -> int:
    return 0


async def test_the_blocked_session_is_closed_and_its_address_refused() -> None:
    store, close, other = Blocks(block()), Closer(), Closer()
    watch = BlockWatch(store, "secret", DOMAIN, zero)
    watch.bound(PATRON, "192.0.2.7", close)
    watch.bound("x2@guest.alpha.test/web", "192.0.2.8", other)
    await watch.reload()
    assert (close.closed, other.closed) == (1, 0)
    assert watch.refuses_stream("192.0.2.7", "guest.alpha.test")
    assert not watch.refuses_stream("192.0.2.8", "guest.alpha.test")
    assert watch.refuses("192.0.2.7") and not watch.refuses("192.0.2.8")
    assert store.blocks[0].address_key == watch.key("192.0.2.7")
    assert "192.0.2.7" not in store.blocks[0].address_key  # a keyed hash, not the address


async def test_librarians_sharing_a_blocked_patrons_address_still_log_in() -> None:
    watch = BlockWatch(Blocks(block()), "secret", DOMAIN, zero)
    watch.bound(PATRON, "192.0.2.7", Closer())
    await watch.reload()
    assert watch.refuses_stream("192.0.2.7", "guest.alpha.test")
    assert not watch.refuses_stream("192.0.2.7", "Alpha.Test")


async def test_an_ipv6_patron_is_refused_across_their_network() -> None:
    watch = BlockWatch(Blocks(block()), "secret", DOMAIN, zero)
    watch.bound(PATRON, "2001:db8:1:2::7", Closer())
    await watch.reload()
    assert watch.refuses("2001:db8:1:2::99") and not watch.refuses("2001:db8:1:3::7")


async def test_the_key_depends_on_the_library_secret() -> None:
    ours = BlockWatch(Blocks(), "one", DOMAIN, zero)
    theirs = BlockWatch(Blocks(), "two", DOMAIN, zero)
    assert ours.key("192.0.2.7") != theirs.key("192.0.2.7")


async def test_an_expired_block_refuses_nothing_and_its_address_is_forgotten() -> None:
    expired = replace(block(minutes=-1), address_key="k" * 64)
    store = Blocks(expired)
    watch = BlockWatch(store, "secret", DOMAIN, zero)
    await watch.reload()
    assert store.blocks[0].address_key is None and store.blocks[0].reason == "abuse"
    assert not watch.refuses("192.0.2.7")


async def test_a_block_on_a_session_this_gateway_never_carried_closes_nothing() -> None:
    close = Closer()
    watch = BlockWatch(Blocks(block("elsewhere@guest.alpha.test/x")), "secret", DOMAIN, zero)
    watch.bound(PATRON, "192.0.2.7", close)
    await watch.reload()
    assert close.closed == 0 and not watch.refuses("192.0.2.7")
