"""A library's page (or a dashboard) asks its gateway whether a widget is online."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import aiohttp

from refdesk.lab.up import restart
from tests.integration.queue import join, room
from tests.integration.xmpp import eventually, operator


async def _status(session: aiohttp.ClientSession, url: str) -> tuple[int, Any]:
    """The answer, or (0, why) while the gateway is not listening (it is restarting)."""
    try:
        async with session.get(url) as reply:
            json = reply.content_type == "application/json"
            return reply.status, await reply.json() if json else await reply.text()
    except aiohttp.ClientConnectionError as error:
        return 0, str(error)


async def _until(session: aiohttp.ClientSession, url: str, online: bool) -> None:
    await eventually(lambda: _status(session, url), (200, {"widget": "gamma-main",
                                                            "online": online}))


async def test_gamma_gateway_reports_its_widget_offline_online_and_offline_again(
    lab: dict[str, Any],
) -> None:
    gamma = next(site for site in lab["libraries"] if site["domain"] == "gamma.test")
    url = f"{gamma['gateway']['http']}/widgets/gamma-main/status"
    async with aiohttp.ClientSession() as http:
        await _until(http, url, False)
        async with operator(lab, "gus@gamma.test") as gus:
            await join(gus, room(lab, "gamma.test", "Information Desk"), "Gus")
            await _until(http, url, True)
        await _until(http, url, False)
        missing, _ = await _status(http, f"{gamma['gateway']['http']}/widgets/nope/status")
        assert missing == 404


async def test_gamma_widget_status_stays_right_after_the_queue_and_the_gateway_restart(
    lab: dict[str, Any], lab_dir: Path,
) -> None:
    gamma = next(site for site in lab["libraries"] if site["domain"] == "gamma.test")
    url = f"{gamma['gateway']['http']}/widgets/gamma-main/status"
    async with aiohttp.ClientSession() as http:
        await _until(http, url, False)
        await asyncio.to_thread(restart, lab_dir, "components gamma.test", True)
        async with operator(lab, "gus@gamma.test") as gus:
            await join(gus, room(lab, "gamma.test", "Information Desk"), "Gus")
            await _until(http, url, True)  # the restarted queue has no watchers of its own
            await asyncio.to_thread(restart, lab_dir, "gateway gamma.test")
            await _until(http, url, True)
        await _until(http, url, False)
