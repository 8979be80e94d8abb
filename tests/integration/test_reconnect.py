"""A library's components come back by themselves when its XMPP server is restarted."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from slixmpp import JID
from slixmpp.exceptions import IqError, IqTimeout

from refdesk.lab.up import restart
from tests.integration.xmpp import Session, eventually, operator

RECONNECT_WITHIN_S = 20.0


async def test_gamma_queue_answers_again_after_gamma_server_restarts(
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


async def _features(asking: Session, queue: str) -> bool | None:
    """Whether the queue's disco#info shows its payload namespace; None without an answer."""
    try:
        info = await asking.xmpp.plugin["xep_0030"].get_info(jid=JID(queue), timeout=3)
    except (IqError, IqTimeout):
        return None
    return "urn:refdesk:queue:0" in info["disco_info"]["features"]
