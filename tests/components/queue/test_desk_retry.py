"""A routing step that fails for a passing cause (the database, a co-op's registry) is tried
again, never ends the chat's routing, and is logged once per cause, not once per try."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from components.queue.desk import Desk
from components.queue.monitoring import Monitoring


class LockedStore:
    """A database that is locked for the next `failures` reads."""

    def __init__(self, failures: int) -> None:
        self.failures, self.reads = failures, 0

    async def get(self, chat_id: str) -> Any:
        self.reads += 1
        if self.reads <= self.failures:
            raise OperationalError("SELECT", {}, Exception("database is locked"))
        raise AssertionError("the test ends before a successful read")


async def test_a_locked_database_retries_the_step_and_logs_the_cause_once(
        caplog: pytest.LogCaptureFixture) -> None:
    store = LockedStore(failures=3)
    desk = Desk(store, Monitoring(), outbox=None, offers=None,  # type: ignore[arg-type]
                staff_delay_s=40.0)
    desk.timers.resume()

    with caplog.at_level(logging.DEBUG, logger="components.queue.desk"):
        for _ in range(3):
            await desk.advance("chat-1")
            assert len(desk.timers) == 1  # the step is due again in RETRY_S, not dropped

    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "database is locked" in errors[0].getMessage()
    assert store.reads == 3
    desk.close()
