"""The routing timers on a clock the test moves: one live timer per chat, none while paused."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from functools import partial

import pytest

from components.queue.timers import RoutingTimers
from tests.components.queue.harness import EPOCH, VirtualTimeLoop


class Clock:
    """A loop whose clock stands still, and the timers on it with the matching wall clock."""

    def __init__(self) -> None:
        self.loop = VirtualTimeLoop()
        self.fired: list[tuple[float, str]] = []
        self.timers = RoutingTimers(lambda chat: self.fired.append((self.loop.time(), chat)),
                                    clock=lambda: EPOCH + self.loop.time())

    def at(self, seconds: float) -> float:
        """The wall-clock time `seconds` after the start."""
        return EPOCH + seconds

    def call(self, action: Callable[[], None]) -> None:
        """Run a timers call on the loop, as the queue does (schedule needs a running loop)."""
        async def run() -> None:
            action()
        self.loop.run_until_complete(run())

    def advance_to(self, seconds: float) -> None:
        """Move the clock to `seconds` after the start; what is due fires."""
        async def tick() -> None:
            for _ in range(3):
                await asyncio.sleep(0)
        self.loop.move_clock(seconds - self.loop.time())
        self.loop.run_until_complete(tick())


@pytest.fixture
def clock() -> Iterator[Clock]:
    clock = Clock()
    clock.timers.resume()
    yield clock
    clock.loop.close()


def test_rescheduling_a_chat_leaves_exactly_one_live_timer_which_fires_once(clock: Clock) -> None:
    for due in (10, 5, 20, 15):
        clock.call(partial(clock.timers.schedule, "1", clock.at(due)))
        assert len(clock.timers) == 1
    clock.advance_to(14.9)
    assert clock.fired == []
    clock.advance_to(15)
    clock.advance_to(60)
    assert clock.fired == [(15, "1")]
    assert len(clock.timers) == 0


def test_each_chat_has_its_own_timer(clock: Clock) -> None:
    clock.call(lambda: clock.timers.schedule("1", clock.at(10)))
    clock.call(lambda: clock.timers.schedule("2", clock.at(5)))
    assert len(clock.timers) == 2
    clock.advance_to(5)
    clock.advance_to(10)
    assert clock.fired == [(5, "2"), (10, "1")]


def test_a_step_already_due_fires_at_once(clock: Clock) -> None:
    clock.advance_to(100)
    clock.call(lambda: clock.timers.schedule("1", clock.at(30)))
    clock.advance_to(100)
    assert clock.fired == [(100, "1")]


def test_cancel_removes_the_chats_timer_only(clock: Clock) -> None:
    clock.call(lambda: clock.timers.schedule("1", clock.at(10)))
    clock.call(lambda: clock.timers.schedule("2", clock.at(10)))
    clock.timers.cancel("1")
    clock.timers.cancel("unknown")
    clock.advance_to(10)
    assert clock.fired == [(10, "2")]


def test_nothing_is_scheduled_while_paused() -> None:
    clock = Clock()  # timers start paused: the queue is not in its rooms yet
    try:
        clock.call(lambda: clock.timers.schedule("1", clock.at(10)))
        assert len(clock.timers) == 0
        clock.advance_to(60)
        assert clock.fired == []
    finally:
        clock.loop.close()


def test_pause_cancels_every_timer_and_resume_schedules_again(clock: Clock) -> None:
    for chat in ("1", "2", "3"):
        clock.call(partial(clock.timers.schedule, chat, clock.at(10)))
    clock.timers.pause()
    assert len(clock.timers) == 0
    clock.call(lambda: clock.timers.schedule("4", clock.at(10)))  # still paused: not kept
    clock.advance_to(60)
    assert clock.fired == []
    clock.timers.resume()
    clock.call(lambda: clock.timers.schedule("1", clock.at(70)))
    clock.advance_to(70)
    assert clock.fired == [(70, "1")]
