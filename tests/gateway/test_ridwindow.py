"""XEP-0124 section 14: rids run in order, within a window; retransmissions are not re-run."""

from __future__ import annotations

import pytest

from gateway.ridwindow import RidRejected, RidWindow


def window() -> RidWindow[str, str]:
    return RidWindow(last_rid=100, size=2)


def test_requests_in_order_run_at_once() -> None:
    rids = window()
    rids.admit(101, "auth", "answer-101")

    assert rids.take_ready() == [(101, "auth", "answer-101")]
    assert rids.next_rid == 102


def test_out_of_order_request_waits_for_the_missing_one_then_both_run_in_order() -> None:
    rids = window()
    rids.admit(102, "second", "answer-102")

    assert rids.take_ready() == []
    assert rids.pending() == 1
    rids.admit(101, "first", "answer-101")
    assert rids.take_ready() == [(101, "first", "answer-101"), (102, "second", "answer-102")]


def test_repeated_rid_gets_the_same_answer_and_is_not_run_again() -> None:
    rids = window()
    rids.admit(101, "message", "answer-101")
    rids.take_ready()

    assert rids.known(101) == "answer-101"
    assert rids.take_ready() == []


def test_repeated_rid_still_waiting_its_turn_is_recognised() -> None:
    rids = window()
    rids.admit(102, "early", "answer-102")

    assert rids.known(102) == "answer-102"


def test_rid_beyond_the_window_is_rejected() -> None:
    with pytest.raises(RidRejected, match="beyond the window"):
        window().admit(103, "too far", "x")


def test_rid_older_than_the_kept_answers_is_rejected() -> None:
    rids = window()
    for rid in (101, 102, 103):
        rids.admit(rid, "r", f"answer-{rid}")
        rids.take_ready()

    assert rids.known(101) is None  # only the last `size` answers are kept
    assert rids.known(102) == "answer-102"
    with pytest.raises(RidRejected, match="older"):
        rids.admit(101, "replayed too late", "x")
