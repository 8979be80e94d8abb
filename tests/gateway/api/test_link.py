"""A login to a server that is not there gives up, and leaves nothing retrying behind."""

from __future__ import annotations

import asyncio
import socket

import pytest

from gateway.api import link
from gateway.api.link import ServerAddress, ServerUnreachable, XmppLink


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_a_login_to_an_absent_server_gives_up_and_stops_trying(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(link, "LOGIN_TIMEOUT_S", 0.5)
    before = asyncio.all_tasks()

    with pytest.raises(ServerUnreachable):
        await XmppLink.login(ServerAddress("127.0.0.1", closed_port(), None),
                             "ann@alpha.test", "pw")

    await asyncio.sleep(0.1)
    left = [task for task in asyncio.all_tasks() - before if not task.done()]
    assert left == []
