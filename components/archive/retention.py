"""The library's retention rules ([retention] in the settings), applied by its archive on a
schedule: transcripts deleted or anonymised N days after the chat ended, the patron's details
stripped after M days, and what a widget that keeps no transcript left for the rating."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError

from components.failures import Failures
from refdesk.db.stores.privacy import Period, PrivacyStore
from refdesk.db.types import utcnow
from refdesk.settings import RetentionSettings

log = logging.getLogger(__name__)

RATING_WINDOW = timedelta(hours=1)
"""How long a chat of a widget that keeps no transcript keeps the patron's address after it
ended, so that the patron can still rate it."""

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class RetentionRun:
    """What one run changed."""

    deleted: int = 0
    anonymised: int = 0
    forgotten: int = 0


class Retention:
    """Applies the rules every `check_every_s`, from start() to stop(); `clock` is the time
    the rules measure days from (a test moves it forward)."""

    def __init__(self, store: PrivacyStore, rules: RetentionSettings,
                 clock: Clock = utcnow) -> None:
        self.store, self.rules, self.clock = store, rules, clock
        self._task: asyncio.Task[None] | None = None
        self._failures = Failures(log)

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._every_period())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def run_once(self) -> RetentionRun:
        """Apply every rule once, as of the clock's now."""
        now = self.clock()
        run = RetentionRun(
            deleted=await self._transcripts(now, "delete"),
            anonymised=await self._transcripts(now, "anonymise") + await self._details(now),
            forgotten=await self.store.forget_unkept(now - RATING_WINDOW),
        )
        if run != RetentionRun():
            log.info("retention: %d chats deleted, %d anonymised, %d unkept chats forgotten",
                     run.deleted, run.anonymised, run.forgotten)
        return run

    async def _transcripts(self, now: datetime, action: str) -> int:
        days = self.rules.transcripts_days
        if days is None or self.rules.transcripts_action != action:
            return 0
        end = now - timedelta(days=days)
        if action == "delete":  # anonymising keeps what an open ticket's answer needs
            return await self.store.delete(Period(end=end, open_tickets=False))
        return await self.store.anonymise(Period(end=end))

    async def _details(self, now: datetime) -> int:
        days = self.rules.patron_details_days
        if days is None:
            return 0
        return await self.store.anonymise(Period(end=now - timedelta(days=days)))

    async def _every_period(self) -> None:
        while True:
            await self._run_logged()
            await asyncio.sleep(self.rules.check_every_s)

    async def _run_logged(self) -> None:
        # The schedule outlives a database that is away: the next period tries again.
        try:
            await self.run_once()
        except SQLAlchemyError as error:
            self._failures.failed("retention", error)
        except Exception:
            log.exception("retention failed; trying again in %.0f s", self.rules.check_every_s)
        else:
            self._failures.recovered("retention")
