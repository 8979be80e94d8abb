"""The block store: a block is in force until it expires, covers the patron's session
whatever its resource, takes the address the gateway found, forgets it after expiry and
keeps the record and reason for good."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.db.models import Institution, InstitutionKind, RevisionScope, User, Widget
from refdesk.db.stores.blocks import BlockStore, NewBlock
from refdesk.db.stores.chats import ChatStore, NewChat
from refdesk.db.stores.revisions import RevisionStore
from refdesk.errors import Conflict, NotFound

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PATRON = "x1y2@guest.alpha.test/web-1"


@pytest.fixture
async def chat_id(sessions: async_sessionmaker[AsyncSession]) -> str:
    async with sessions() as session, session.begin():
        alpha = Institution(domain="alpha.test", name="Alpha", kind=InstitutionKind.ACADEMIC)
        session.add(alpha)
        await session.flush()
        session.add(Widget(id="alpha-main", institution_id=alpha.id, name="Ask Alpha"))
        session.add(User(jid="ann@alpha.test", name="Ann", nick="Ann", institution=alpha,
                         local_admin=True))
        session.add(User(jid="abe@alpha.test", name="Abe", nick="Abe", institution=alpha))
    chat = await ChatStore(sessions).create(
        NewChat("alpha-main", 1, PATRON, "Rude question?"), {})
    return chat.id


def _block(chat_id: str, minutes: int = 60) -> NewBlock:
    return NewBlock(chat_id, PATRON, T0 + timedelta(minutes=minutes), "abusive language",
                    "ben@beta.test")


async def test_a_block_covers_the_session_until_it_expires(
        sessions: async_sessionmaker[AsyncSession], chat_id: str) -> None:
    store = BlockStore(sessions)
    await store.add(_block(chat_id))
    assert await store.blocks_session(PATRON, T0)
    assert await store.blocks_session("x1y2@guest.alpha.test/other", T0)
    assert not await store.blocks_session("x1y2z@guest.alpha.test/web-1", T0)
    assert not await store.blocks_session(PATRON, T0 + timedelta(minutes=60))


async def test_adding_a_block_raises_the_counter_the_gateway_follows(
        sessions: async_sessionmaker[AsyncSession], chat_id: str) -> None:
    revisions = RevisionStore(sessions)
    before = await revisions.current(RevisionScope.BLOCKS)
    await BlockStore(sessions).add(_block(chat_id))
    assert await revisions.current(RevisionScope.BLOCKS) == before + 1


async def test_the_address_is_forgotten_after_expiry_and_the_reason_kept(
        sessions: async_sessionmaker[AsyncSession], chat_id: str) -> None:
    store = BlockStore(sessions)
    short, long = await store.add(_block(chat_id, 5)), await store.add(_block(chat_id, 600))
    await store.record_address(short.id, "k" * 64)
    await store.record_address(long.id, "m" * 64)
    assert [b.id for b in await store.in_force(T0 + timedelta(minutes=10))] == [long.id]
    assert await store.forget_addresses(T0 + timedelta(minutes=10)) == 1
    kept = await store.of_chat(chat_id)
    assert [(b.address_key, b.reason) for b in kept] == [
        (None, "abusive language"), ("m" * 64, "abusive language")]


async def test_a_lifted_block_counts_no_more_forgets_its_address_and_keeps_its_record(
        sessions: async_sessionmaker[AsyncSession], chat_id: str) -> None:
    store, revisions = BlockStore(sessions), RevisionStore(sessions)
    block = await store.add(_block(chat_id))
    await store.record_address(block.id, "k" * 64)
    before = await revisions.current(RevisionScope.BLOCKS)
    lifted = await store.lift(block.id, "ann@alpha.test", T0 + timedelta(minutes=1))
    assert (lifted.lifted_at, lifted.lifted_by) == (T0 + timedelta(minutes=1), "ann@alpha.test")
    assert await revisions.current(RevisionScope.BLOCKS) == before + 1
    assert not await store.blocks_session(PATRON, T0 + timedelta(minutes=1))
    assert await store.in_force(T0 + timedelta(minutes=1)) == []
    [kept] = await store.of_chat(chat_id)
    assert (kept.reason, kept.blocked_by, kept.address_key, kept.lifted_by) == (
        "abusive language", "ben@beta.test", None, "ann@alpha.test")


async def test_only_a_block_in_force_can_be_lifted_and_an_unknown_one_is_not_found(
        sessions: async_sessionmaker[AsyncSession], chat_id: str) -> None:
    store, revisions = BlockStore(sessions), RevisionStore(sessions)
    short, long = await store.add(_block(chat_id, 5)), await store.add(_block(chat_id, 600))
    later = T0 + timedelta(minutes=10)
    await store.lift(long.id, "ann@alpha.test", later)
    before = await revisions.current(RevisionScope.BLOCKS)
    with pytest.raises(Conflict, match="already expired"):
        await store.lift(short.id, "ann@alpha.test", later)
    with pytest.raises(Conflict, match=r"already lifted by ann@alpha\.test"):
        await store.lift(long.id, "ann@alpha.test", later)
    with pytest.raises(NotFound):
        await store.lift(long.id + 100, "ann@alpha.test", later)
    assert await revisions.current(RevisionScope.BLOCKS) == before
    [kept] = [b for b in await store.of_chat(chat_id) if b.id == short.id]
    assert kept.lifted_at is None


async def test_the_listing_puts_blocks_in_force_first_then_the_latest_ended(
        sessions: async_sessionmaker[AsyncSession], chat_id: str) -> None:
    store = BlockStore(sessions)
    expired = await store.add(_block(chat_id, 5))
    lifted = await store.add(_block(chat_id, 600))
    older, newer = await store.add(_block(chat_id, 60)), await store.add(_block(chat_id, 90))
    now = T0 + timedelta(minutes=30)
    await store.lift(lifted.id, "ann@alpha.test", T0 + timedelta(minutes=20))
    listed = await store.listing(now)
    assert [b.id for b in listed] == [newer.id, older.id, lifted.id, expired.id]
    assert [b.in_force(now) for b in listed] == [True, True, False, False]
    assert [b.id for b in await store.listing(now, recent=1)] == [
        newer.id, older.id, lifted.id]
