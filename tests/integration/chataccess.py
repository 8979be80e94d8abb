"""A user's chat access switched off at their own library, as its administration does, and
what the co-op's registry then says of them."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from functools import partial
from typing import Any

from sqlalchemy import update

from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.models import RevisionScope, User
from refdesk.db.stores.registry import RegistryStore
from refdesk.db.stores.revisions import bump
from tests.integration.queue import database_url
from tests.integration.xmpp import eventually


@contextlib.asynccontextmanager
async def chat_switched_off(lab: dict[str, Any], jid: str) -> AsyncIterator[None]:
    """Off for the block, back on after it (the registry hears it again in its own time:
    wait with `registry_says_chat`)."""
    await _chat_access(lab, jid, False)
    try:
        yield
    finally:
        await _chat_access(lab, jid, True)


@contextlib.asynccontextmanager
async def chat_off_at_registry(lab: dict[str, Any], jid: str,
                               coop_id: str = "coop-247") -> AsyncIterator[None]:
    """chat_switched_off, the block starting once the co-op's registry has heard it and the
    story ending once it has heard that access is back on, as the next stories expect."""
    try:
        async with chat_switched_off(lab, jid):
            await eventually(partial(registry_says_chat, lab, jid, coop_id), False, timeout=15)
            yield
    finally:
        await eventually(partial(registry_says_chat, lab, jid, coop_id), timeout=15)


async def _chat_access(lab: dict[str, Any], jid: str, enabled: bool) -> None:
    engine = create_engine(database_url(lab, jid.split("@")[1]))
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            await session.execute(update(User).where(User.jid == jid)
                                  .values(chat_enabled=enabled))
            await bump(session, RevisionScope.DIRECTORY)
    finally:
        await engine.dispose()


async def registry_says_chat(lab: dict[str, Any], jid: str, coop_id: str = "coop-247") -> bool:
    """Whether the co-op's registry lists the user with chat access."""
    engine = create_engine(database_url(lab, "coop.test"))
    try:
        coop = await RegistryStore(create_sessionmaker(engine)).coop(coop_id)
    finally:
        await engine.dispose()
    user = coop.user(jid)
    return user is not None and user.chat_enabled
