"""Ad-hoc command sessions: finished ones are not kept, open ones expire, and they are few."""

from __future__ import annotations

import pytest

from components.adhoc_sessions import BoundedSessions


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def handler() -> None:
    """Stands for the step a session continues with."""


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_a_finished_session_is_not_kept(clock: Clock) -> None:
    sessions = BoundedSessions(clock=clock)
    sessions["open"] = {"next": handler}
    sessions["done"] = {"next": None, "notes": [("info", "Claimed.")]}
    assert list(sessions) == ["open"] and "done" not in sessions
    sessions["open"] = {"next": None}  # its last step: gone
    assert len(sessions) == 0
    del sessions["open"]  # slixmpp deletes it again: no error


def test_an_open_session_expires_after_its_ttl(clock: Clock) -> None:
    sessions = BoundedSessions(ttl_s=600, clock=clock)
    sessions["s1"] = {"next": handler}
    clock.now += 599
    sessions["s2"] = {"next": handler}
    assert sessions["s1"]["next"] is handler
    clock.now += 2
    with pytest.raises(KeyError):
        sessions["s1"]
    assert list(sessions) == ["s2"]


def test_a_continued_session_starts_its_ttl_again(clock: Clock) -> None:
    sessions = BoundedSessions(ttl_s=600, clock=clock)
    sessions["s1"] = {"next": handler}
    clock.now += 500
    sessions["s1"] = {"next": handler, "step": 2}
    clock.now += 500
    assert sessions["s1"]["step"] == 2


def test_beyond_the_bound_the_oldest_sessions_go(clock: Clock) -> None:
    sessions = BoundedSessions(max_sessions=3, clock=clock)
    for n in range(1, 6):
        sessions[f"s{n}"] = {"next": handler}
        clock.now += 1
    assert list(sessions) == ["s3", "s4", "s5"]
    assert len(sessions) == 3
