"""A library's components come back by themselves when its XMPP server is restarted."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from slixmpp.exceptions import IqError, IqTimeout

from refdesk.lab.up import restart
from tests.integration.xmpp import operator

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
        while True:
            try:
                answer = await beta.xmpp.plugin["xep_0030"].get_info(jid=queue, timeout=3)
                break
            except (IqError, IqTimeout):
                assert time.monotonic() - restarted < RECONNECT_WITHIN_S, (
                    f"{queue} did not come back within {RECONNECT_WITHIN_S} s"
                )
                await asyncio.sleep(0.5)
    assert "urn:refdesk:queue:0" in answer["disco_info"]["features"]
    assert "lost its connection; reconnecting" in log_file.read_text()
