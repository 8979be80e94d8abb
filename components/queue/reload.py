"""Following the library's set-up while the queue runs.

Every administrative edit (`refdesk user|department|widget …`) raises the directory's change
counter in its own transaction. The queue reads that one row every POLL_S and, when it moved,
reloads the directory and applies it: the next chat routes by the new lists, with no restart.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy.exc import SQLAlchemyError

from components.failures import Failures
from refdesk.db.models import RevisionScope
from refdesk.db.stores.revisions import RevisionStore
from refdesk.errors import RefdeskError

log = logging.getLogger(__name__)

POLL_S = 2.0
"""How often the change counter is read: an edit takes effect within about this long."""


class DirectoryFollower:
    """Calls `reload` whenever the directory's change counter moves."""

    def __init__(self, revisions: RevisionStore, reload: Callable[[], Awaitable[None]],
                 poll_s: float = POLL_S) -> None:
        self._revisions, self._reload, self._poll_s = revisions, reload, poll_s
        self._seen: int | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._task: asyncio.Task[None] | None = None
        self._failures = Failures(log)

    async def mark(self) -> None:
        """Remember the counter as it stands; read it before the directory it describes, so
        that an edit made in between is still seen on the next poll."""
        self._seen = await self._revisions.current(RevisionScope.DIRECTORY)

    def start(self) -> None:
        """Poll from now on; each poll is a short task of its own, the next one timed after
        it ends."""
        self.stop()
        self._timer = asyncio.get_running_loop().call_later(self._poll_s, self._due)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def _due(self) -> None:
        self._timer = None
        self._task = asyncio.get_running_loop().create_task(self._poll())

    async def _poll(self) -> None:
        try:
            await self.check()
        except (RefdeskError, SQLAlchemyError, OSError) as error:
            self._failures.failed("following the library's set-up", error)
        else:
            self._failures.recovered("following the library's set-up")
        self._task = None
        self._timer = asyncio.get_running_loop().call_later(self._poll_s, self._due)

    async def check(self) -> None:
        """Reload if the counter moved since it was last seen."""
        number = await self._revisions.current(RevisionScope.DIRECTORY)
        if number != self._seen:
            await self._reload()
            self._seen = number
