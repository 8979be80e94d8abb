"""A patron's presence is handled concurrently: an older "available" finishing after a newer
"unavailable" must not cancel the patron's departure."""

from __future__ import annotations

from typing import Any

from components.queue.departures import Departures


async def _never(chat_jid: str, librarian: str) -> bool:
    raise AssertionError("no librarian is checked here")


async def test_an_older_available_finishing_late_does_not_undo_a_departure() -> None:
    desk: Any = object()  # the grace period is not reached in this test
    departures = Departures(desk, _never, patron_grace_s=30.0, check_s=30.0, silence_s=900.0)

    departures.patron_presence("c1", "pat@guest.alpha.test/w", available=False, arrival=2)
    departures.patron_presence("c1", "pat@guest.alpha.test/w", available=True, arrival=1)

    assert "c1" in departures._leaving  # still leaving: the late "available" was older
    departures.patron_presence("c1", "pat@guest.alpha.test/w", available=True, arrival=3)
    assert "c1" not in departures._leaving  # a newer one (the widget resumed) cancels it
    departures.close()
