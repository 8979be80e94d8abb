"""Fair offering at Alpha's queue: with coop-local's fair-delay published, a new chat reaches
the monitors of members below target and of Alpha itself first, and the rest after the delay,
unless it was claimed before; in the stored plan, so a restarted queue keeps the time."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from components.queue.plan import Plan
from tests.components.queue.harness import COOP_LOCAL, QueueHarness
from tests.components.queue.wire import NS, monitors, request, said

ABE = "abe@alpha.test/gajim"
BEN = "ben@beta.test/poezio"


def _offered(stanzas: list[Any]) -> list[tuple[str, str]]:
    """(to, type) of each offer among what the queue sent."""
    return [(str(s["to"].bare), str(s["type"])) for s in stanzas
            if s.xml.find(f"{{{NS}}}offer") is not None]


def _fair(unstarted: QueueHarness, *below: str) -> QueueHarness:
    coop = unstarted.server.coops["coop-local"]
    unstarted.server.coops["coop-local"] = replace(coop, fair_delay_s=5, members=tuple(
        replace(m, below_target=m.domain in below) for m in coop.members))
    unstarted.start()
    monitors(unstarted, COOP_LOCAL, "Abe", "abe@alpha.test")
    monitors(unstarted, COOP_LOCAL, "Ben", "ben@beta.test")
    unstarted.recv(request())  # nobody in Reference: coop-local is offered it at once
    return unstarted


def test_alphas_own_monitor_hears_first_and_beta_at_target_after_the_delay(
    unstarted: QueueHarness,
) -> None:
    queue = _fair(unstarted)
    assert _offered(queue.sent_all()) == [("abe@alpha.test", "chat")]
    queue.advance(4.9)
    assert _offered(queue.sent_all()) == []
    queue.advance(0.2)
    assert _offered(queue.sent_all()) == [("ben@beta.test", "chat")]


def test_with_beta_below_target_nobody_waits_and_the_room_hears_at_once(
    unstarted: QueueHarness,
) -> None:
    queue = _fair(unstarted, "beta.test")
    assert _offered(queue.sent_all()) == [(COOP_LOCAL, "groupchat")]
    queue.advance(10)
    assert _offered(queue.sent_all()) == []


def test_a_chat_claimed_before_the_delay_is_never_offered_to_the_rest(
    unstarted: QueueHarness,
) -> None:
    queue = _fair(unstarted)
    queue.sent_all()
    queue.recv(said(ABE, "!claim"))
    queue.advance(10)
    assert _offered(queue.sent_all()) == []


def test_the_rests_time_is_in_the_stored_plan(unstarted: QueueHarness) -> None:
    queue = _fair(unstarted)
    queue.sent_all()
    [chat] = queue.run(queue.queue.desk.store.waiting())
    plan = Plan.from_json(chat.routing)
    assert list(plan.progress.fair_due) == ["coop-local"]
    assert [o.to for o in plan.offers] == ["abe@alpha.test"]


def test_a_restarted_queue_offers_the_rest_when_their_time_comes(
    unstarted: QueueHarness, queue_db: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    queue = _fair(unstarted)
    queue.sent_all()
    coops = queue.server.coops
    # The first queue is left as it stands (its loop no longer runs): a new one takes over.
    again = QueueHarness(queue_db, monkeypatch)
    try:
        again.server.coops = coops
        again.server.occupants[COOP_LOCAL] = [("Abe", "abe@alpha.test", ""),
                                              ("Ben", "ben@beta.test", "")]
        again.start(keep_sent=True)
        assert ("ben@beta.test", "chat") not in _offered(again.sent_all())
        again.advance(5)
        assert _offered(again.sent_all()) == [("ben@beta.test", "chat")]
    finally:
        again.stop()
