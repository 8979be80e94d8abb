"""The queue follows the directory's change counter: an edit is reloaded once, soon."""

from __future__ import annotations

import asyncio

from components.queue.monitoring import Monitoring
from components.queue.reload import DirectoryFollower
from refdesk.db.models import RevisionScope


class Counter:
    def __init__(self) -> None:
        self.number, self.reads = 3, 0

    async def current(self, scope: RevisionScope) -> int:
        assert scope == RevisionScope.DIRECTORY
        self.reads += 1
        return self.number


async def test_an_edit_is_reloaded_once_within_a_poll_and_nothing_without_one() -> None:
    counter, reloads = Counter(), []

    async def reload() -> None:
        reloads.append(counter.number)

    follower = DirectoryFollower(counter, reload, poll_s=0.01)  # type: ignore[arg-type]
    await follower.mark()
    follower.start()
    try:
        await asyncio.sleep(0.05)
        assert reloads == [] and counter.reads > 2
        counter.number = 4
        await asyncio.sleep(0.05)
        assert reloads == [4]
    finally:
        follower.stop()


def test_a_user_no_longer_entitled_stops_counting_as_monitoring_at_once() -> None:
    monitoring = Monitoring()
    room = "reference@conference.alpha.test"
    monitoring.occupant_present(room, "zoe", "zoe@alpha.test", "")
    monitoring.occupant_present(room, "ann", "ann@alpha.test", "")

    monitoring.keep_only(lambda _room, jid: jid != "zoe@alpha.test")

    assert [o.jid for o in monitoring.monitors(room)] == ["ann@alpha.test"]
