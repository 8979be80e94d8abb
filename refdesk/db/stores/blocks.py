"""Blocked patrons: recorded by the queue, given an address and enforced by the gateway."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, String, func, or_, select, type_coerce, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.db.models import Block, RevisionScope
from refdesk.db.stores.revisions import bump
from refdesk.errors import Conflict, NotFound

RECENT_ENDED = 50
"""Expired or lifted blocks listed after those in force: the newest this many."""
NO_SUCH_BLOCK = "There is no such block."


@dataclass(frozen=True)
class NewBlock:
    chat_id: str
    patron_jid: str
    until: datetime
    reason: str
    blocked_by: str


@dataclass(frozen=True)
class BlockRecord:
    id: int
    chat_id: str | None
    patron_jid: str
    address_key: str | None
    until: datetime
    reason: str
    blocked_by: str
    created_at: datetime
    lifted_at: datetime | None = None
    lifted_by: str | None = None

    @classmethod
    def of(cls, block: Block) -> BlockRecord:
        return cls(block.id, block.chat_id, block.patron_jid, block.address_key, block.until,
                   block.reason, block.blocked_by, block.created_at, block.lifted_at,
                   block.lifted_by)

    def in_force(self, now: datetime) -> bool:
        return self.lifted_at is None and self.until > now


def _in_force(now: datetime) -> ColumnElement[bool]:
    return (Block.until > now) & Block.lifted_at.is_(None)


class BlockStore:
    """Each method is one transaction in its own session; every change raises the BLOCKS
    counter, which the gateway follows."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def add(self, new: NewBlock) -> BlockRecord:
        async with self._sessions() as session, session.begin():
            block = Block(**vars(new))
            session.add(block)
            await bump(session, RevisionScope.BLOCKS)
            await session.flush()
            return BlockRecord.of(block)

    async def blocks_session(self, patron: str, now: datetime) -> bool:
        """Whether a block in force covers this session (any resource of its bare JID)."""
        bare = patron.split("/", 1)[0]
        jid = type_coerce(Block.patron_jid, String)
        async with self._sessions() as session:
            found = await session.scalar(
                select(Block.id).where(_in_force(now), or_(
                    jid == bare, jid.startswith(f"{bare}/", autoescape=True))).limit(1))
        return found is not None

    async def in_force(self, now: datetime) -> list[BlockRecord]:
        async with self._sessions() as session:
            blocks = await session.scalars(
                select(Block).where(_in_force(now)).order_by(Block.id))
            return [BlockRecord.of(block) for block in blocks]

    async def listing(self, now: datetime, recent: int = RECENT_ENDED) -> list[BlockRecord]:
        """The blocks in force, newest first; then the newest `recent` that expired or were
        lifted, the latest to end first."""
        ended_at = func.coalesce(Block.lifted_at, Block.until)
        async with self._sessions() as session:
            current = await session.scalars(
                select(Block).where(_in_force(now)).order_by(Block.created_at.desc(),
                                                             Block.id.desc()))
            listed = [BlockRecord.of(block) for block in current]
            ended = await session.scalars(
                select(Block).where(~_in_force(now))
                .order_by(ended_at.desc(), Block.id.desc()).limit(recent))
            return listed + [BlockRecord.of(block) for block in ended]

    async def lift(self, block_id: int, by: str, now: datetime) -> BlockRecord:
        """Lift a block in force: it counts no more, its address is forgotten at once, and
        the record stays with who lifted it. Decided by one conditional UPDATE, so that two
        admins lifting at once both learn the one outcome."""
        async with self._sessions() as session, session.begin():
            lifted = await session.execute(
                update(Block).where(Block.id == block_id, _in_force(now))
                .values(lifted_at=now, lifted_by=by, address_key=None))
            block = await session.get(Block, block_id)
            if block is None:
                raise NotFound(NO_SUCH_BLOCK)
            if not getattr(lifted, "rowcount", 0):
                raise Conflict(_not_in_force(block))
            await bump(session, RevisionScope.BLOCKS)
            return BlockRecord.of(block)

    async def record_address(self, block_id: int, address_key: str) -> None:
        """The gateway found the blocked session: its address is refused from now on."""
        async with self._sessions() as session, session.begin():
            await session.execute(
                update(Block).where(Block.id == block_id).values(address_key=address_key))

    async def forget_addresses(self, now: datetime) -> int:
        """Drop the address of every block no longer in force (the reason and record stay);
        how many."""
        async with self._sessions() as session, session.begin():
            forgotten = await session.execute(
                update(Block).where(~_in_force(now), Block.address_key.is_not(None))
                .values(address_key=None))
            return int(getattr(forgotten, "rowcount", 0) or 0)

    async def of_chat(self, chat_id: str) -> list[BlockRecord]:
        async with self._sessions() as session:
            blocks = await session.scalars(
                select(Block).where(Block.chat_id == chat_id).order_by(Block.id))
            return [BlockRecord.of(block) for block in blocks]


def _not_in_force(block: Block) -> str:
    if block.lifted_at is not None:
        return f"Block {block.id} was already lifted by {block.lifted_by}."
    return f"Block {block.id} has already expired."
