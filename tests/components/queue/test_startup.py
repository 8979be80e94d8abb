"""A queue that cannot start (its library not in the database, the database unreachable)
refuses requests at once with a clear error, instead of leaving patrons waiting for ever."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from slixmpp.exceptions import XMPPError

from components.errors import xmpp_errors_for
from components.queue.component import NOT_STARTED, QueueComponent
from refdesk.db.migrate import upgrade
from refdesk.errors import Unavailable
from refdesk.settings import Settings


def _queue(database_url: str) -> QueueComponent:
    return QueueComponent(Settings.model_validate({
        "library": {"domain": "alpha.test", "name": "Alpha University Library"},
        "components": {"secret": "unit-test-secret-0123456789"},
        "database": {"url": database_url},
    }))


@pytest.mark.parametrize("why", ["library not set up", "database unreachable"])
async def test_a_queue_that_cannot_start_refuses_requests_at_once(
        tmp_path: Path, why: str) -> None:
    if why == "library not set up":
        url = f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
        await upgrade(url)  # migrated, but no library in it
    else:
        url = f"sqlite+aiosqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}"
    queue = _queue(url)

    assert not await queue._load_directory()

    async with asyncio.timeout(1):  # at once: no waiting for a start that will not come
        with pytest.raises(XMPPError) as refused, xmpp_errors_for("a request"):
            await queue._until_ready()
    assert (refused.value.condition, refused.value.text) == ("service-unavailable", NOT_STARTED)
    await queue.engine.dispose()


async def test_a_queue_still_starting_refuses_requests_after_a_bounded_wait(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
    await upgrade(url)
    queue = _queue(url)
    monkeypatch.setattr("components.queue.component.READY_WAIT_S", 0.05)

    with pytest.raises(Unavailable, match="starting"):
        await queue._until_ready()
    await queue.engine.dispose()
