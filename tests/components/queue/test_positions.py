"""Queue positions: only what changed is sent; chats that left are forgotten."""

from __future__ import annotations

from components.queue.positions import DEFAULT_WAIT_S, MIN_WAIT_S, Position, QueuePositions

A, B, C = ("a", "pa@guest.alpha.test/w"), ("b", "pb@guest.alpha.test/w"), \
    ("c", "pc@guest.alpha.test/w")


def test_first_pass_tells_everyone_their_place_and_wait_before_any_claim() -> None:
    positions = QueuePositions()
    assert positions.changes([A, B], None) == [
        Position("a", A[1], 1, int(DEFAULT_WAIT_S)),
        Position("b", B[1], 2, int(2 * DEFAULT_WAIT_S)),
    ]


def test_nothing_is_sent_when_nothing_changed() -> None:
    positions = QueuePositions()
    positions.changes([A, B], 30.0)
    assert positions.changes([A, B], 30.0) == []


def test_when_the_head_leaves_only_those_behind_are_told() -> None:
    positions = QueuePositions()
    positions.changes([A, B, C], 30.0)
    assert positions.changes([B, C], 30.0) == [Position("b", B[1], 1, 30),
                                               Position("c", C[1], 2, 60)]


def test_a_newcomer_at_the_back_is_the_only_one_told() -> None:
    positions = QueuePositions()
    positions.changes([A, B], 30.0)
    assert positions.changes([A, B, C], 30.0) == [Position("c", C[1], 3, 90)]


def test_a_new_mean_wait_tells_everyone_their_new_estimate_never_below_the_minimum() -> None:
    positions = QueuePositions()
    positions.changes([A, B], 30.0)
    assert positions.changes([A, B], 2.5) == [Position("a", A[1], 1, int(MIN_WAIT_S)),
                                              Position("b", B[1], 2, int(2 * MIN_WAIT_S))]
    assert positions.changes([A, B], 10.4) == [Position("a", A[1], 1, 11),
                                               Position("b", B[1], 2, 21)]  # rounded up


def test_a_chat_that_left_is_forgotten_and_told_again_if_it_waits_again() -> None:
    positions = QueuePositions()
    positions.changes([A], 30.0)
    assert positions.changes([], 30.0) == []
    assert positions.changes([A], 30.0) == [Position("a", A[1], 1, 30)]


def test_forget_tells_that_patron_again_on_the_next_pass_only() -> None:
    positions = QueuePositions()
    positions.changes([A, B], 30.0)
    positions.forget("b")
    assert positions.changes([A, B], 30.0) == [Position("b", B[1], 2, 60)]
    assert positions.changes([A, B], 30.0) == []


def test_a_patron_is_told_at_most_once_per_interval_and_the_rest_waits_for_a_later_pass() -> None:
    positions = QueuePositions(min_interval_s=3.0)
    assert len(positions.changes([A, B, C], 30.0, now=100.0)) == 3  # first places at once

    churn = positions.changes([B, C], 30.0, now=101.0)  # A claimed a second later

    assert churn == [] and positions.next_pass == 103.0
    assert positions.changes([B, C], 30.0, now=103.0) == [Position("b", B[1], 1, 30),
                                                         Position("c", C[1], 2, 60)]
    assert positions.next_pass is None


def test_a_new_patron_learns_their_place_at_once_whatever_the_churn() -> None:
    positions = QueuePositions(min_interval_s=3.0)
    positions.changes([A, B], 30.0, now=100.0)
    assert positions.changes([A, B, C], 30.0, now=100.5) == [Position("c", C[1], 3, 90)]
