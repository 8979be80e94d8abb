"""Blocked patrons: recorded by the queue, given an address and enforced by the gateway."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, or_, select, type_coerce, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.db.models import Block, RevisionScope
from refdesk.db.stores.revisions import bump


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

    @classmethod
    def of(cls, block: Block) -> BlockRecord:
        return cls(block.id, block.chat_id, block.patron_jid, block.address_key, block.until,
                   block.reason, block.blocked_by, block.created_at)


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
                select(Block.id).where(Block.until > now, or_(
                    jid == bare, jid.startswith(f"{bare}/", autoescape=True))).limit(1))
        return found is not None

    async def in_force(self, now: datetime) -> list[BlockRecord]:
        async with self._sessions() as session:
            blocks = await session.scalars(
                select(Block).where(Block.until > now).order_by(Block.id))
            return [BlockRecord.of(block) for block in blocks]

    async def record_address(self, block_id: int, address_key: str) -> None:
        """The gateway found the blocked session: its address is refused from now on."""
        async with self._sessions() as session, session.begin():
            await session.execute(
                update(Block).where(Block.id == block_id).values(address_key=address_key))

    async def forget_addresses(self, now: datetime) -> int:
        """Drop the address of every expired block (the reason and record stay); how many."""
        async with self._sessions() as session, session.begin():
            forgotten = await session.execute(
                update(Block).where(Block.until <= now, Block.address_key.is_not(None))
                .values(address_key=None))
            return int(getattr(forgotten, "rowcount", 0) or 0)

    async def of_chat(self, chat_id: str) -> list[BlockRecord]:
        async with self._sessions() as session:
            blocks = await session.scalars(
                select(Block).where(Block.chat_id == chat_id).order_by(Block.id))
            return [BlockRecord.of(block) for block in blocks]
