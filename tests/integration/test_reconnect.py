"""A library's components come back by themselves when its XMPP server is restarted."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from slixmpp import JID
from slixmpp.exceptions import IqError, IqTimeout

from refdesk.lab.up import restart
from tests.integration.queue import asking, carrying, join, room
from tests.integration.xmpp import Session, eventually, operator, patron

RECONNECT_WITHIN_S = 20.0


async def test_gamma_queue_routes_and_relays_again_after_gamma_server_restarts(
    lab: dict[str, Any], lab_dir: Path,
) -> None:
    queue = "queue.gamma.test"
    log_file = lab_dir / "gamma.test" / "run" / "components.log"
    await asyncio.to_thread(restart, lab_dir, "prosody gamma.test")
    restarted = time.monotonic()
    # Ask from beta: beta's server must re-establish s2s to the restarted gamma too.
    async with operator(lab, "bea@beta.test") as beta:
        left = RECONNECT_WITHIN_S - (time.monotonic() - restarted)
        await eventually(lambda: _features(beta, queue), True, timeout=left)
    assert "lost its connection; reconnecting" in log_file.read_text()
    # Not just answering: back in its rooms, routing, claiming and relaying.
    async with operator(lab, "gus@gamma.test") as gus, patron(lab, "gamma.test") as pat:
        await join(gus, room(lab, "gamma.test", "Information Desk"), "Gus")
        async with asking(pat, "gamma.test", "gamma-main", "Open after the storm?") as chat:
            await gus.messages.wait_for(carrying("offer", chat))
            gus.xmpp.send_message(mto=JID(chat), mbody="!claim", mtype="chat")
            await pat.messages.wait_for(carrying("claimed"))
            gus.xmpp.send_message(mto=JID(chat), mbody="Yes, from nine.", mtype="chat")
            await pat.messages.wait_for(lambda m: m["body"] == "Yes, from nine.")


async def _features(asking: Session, queue: str) -> bool | None:
    """Whether the queue's disco#info shows its payload namespace; None without an answer."""
    try:
        info = await asking.xmpp.plugin["xep_0030"].get_info(jid=JID(queue), timeout=3)
    except (IqError, IqTimeout):
        return None
    return "urn:refdesk:queue:0" in info["disco_info"]["features"]
