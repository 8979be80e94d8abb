"""`refdesk serve` says it is ready only once every component has set itself up, so that
whoever waits for it (the lab, a restart) finds rooms configured and registries heard."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import cast

from components.runtime import ConnectionSupervisor
from components.serve import _announce_ready


class SettingUp:
    boundjid = "queue.alpha.test"

    def __init__(self) -> None:
        self.done = asyncio.Event()

    async def until_set_up(self) -> None:
        await self.done.wait()


class Supervised:
    def __init__(self, component: SettingUp) -> None:
        self.component = component
        self.connected = asyncio.Event()


async def test_ready_waits_until_a_connected_component_is_set_up(tmp_path: Path) -> None:
    queue = SettingUp()
    supervisor = Supervised(queue)
    ready = tmp_path / "components.ready"
    announcing = asyncio.create_task(_announce_ready(
        [cast(ConnectionSupervisor, supervisor)], asyncio.Event(), ready))

    supervisor.connected.set()
    await asyncio.sleep(0.05)
    assert not ready.exists()  # connected, its rooms not yet set up

    queue.done.set()
    await asyncio.wait_for(announcing, 1)
    assert ready.read_text() == "queue.alpha.test\n"


async def test_stopping_before_set_up_announces_nothing(tmp_path: Path) -> None:
    supervisor = Supervised(SettingUp())
    stop, ready = asyncio.Event(), tmp_path / "components.ready"
    announcing = asyncio.create_task(_announce_ready(
        [cast(ConnectionSupervisor, supervisor)], stop, ready))
    supervisor.connected.set()
    stop.set()
    await asyncio.wait_for(announcing, 1)
    assert not ready.exists()
