"""The co-op timed fallback rules, on a fake clock."""

from __future__ import annotations

from collections.abc import Callable

from components.queue.routing import Notify, NotifyStaff, Progress, Route, Target

REFERENCE = Target("department", "reference@conference.alpha.test")
SCIENCE = Target("department", "science@conference.alpha.test")
ABE = Target("operator", "abe@alpha.test")
LOCAL = Target("coop", "coop-local")
GLOBAL = Target("coop", "coop-247", global_coop=True)


def watched(*targets: Target) -> Callable[[Target], bool]:
    return lambda target: target in targets


EVERYONE = (REFERENCE, LOCAL, GLOBAL)


def run(route: Route, times: list[float], monitored: Callable[[Target], bool] | None = None
        ) -> list[tuple[float, Notify | NotifyStaff]]:
    """Advance the route at each time; what was sent when."""
    monitored = monitored or watched(*EVERYONE)
    progress, sent = route.start(times[0]), []
    for now in times:
        sends, progress = route.advance(progress, now, monitored)
        sent += [(now, send) for send in sends]
    return sent


def test_department_first_then_each_coop_one_period_apart_then_247_staff_40s_later() -> None:
    route = Route((REFERENCE, LOCAL, GLOBAL), fallback_s=30)
    sent = run(route, [0, 29.9, 30, 59.9, 60, 99.9, 100])
    assert sent == [
        (0, Notify(REFERENCE)), (30, Notify(LOCAL)), (60, Notify(GLOBAL)),
        (100, NotifyStaff("coop-247")),
    ]


def test_next_due_tells_the_queue_exactly_when_to_wake() -> None:
    route = Route((REFERENCE, LOCAL, GLOBAL), fallback_s=30)
    progress = route.start(1000.0)
    wakes = []
    for _ in range(4):
        due = progress.next_due(len(route.targets))
        assert due is not None
        wakes.append(due)
        _, progress = route.advance(progress, due, watched(REFERENCE, LOCAL, GLOBAL))
    assert wakes == [1000.0, 1030.0, 1060.0, 1100.0]
    assert progress.next_due(len(route.targets)) is None


def test_unmonitored_department_is_passed_over_so_the_coop_hears_at_once() -> None:
    route = Route((REFERENCE, LOCAL, GLOBAL), fallback_s=30)
    sent = run(route, [0, 30], monitored=watched(LOCAL, GLOBAL))
    assert sent == [(0, Notify(LOCAL)), (30, Notify(GLOBAL))]


def test_unmonitored_coop_is_passed_over_at_its_turn_without_another_period() -> None:
    route = Route((REFERENCE, LOCAL, GLOBAL), fallback_s=30)
    sent = run(route, [0, 30], monitored=watched(REFERENCE, GLOBAL))
    assert sent == [(0, Notify(REFERENCE)), (30, Notify(GLOBAL))]


def test_later_department_or_operator_is_an_alternative_not_a_fallback_step() -> None:
    route = Route((SCIENCE, ABE), fallback_s=30)
    assert run(route, [0, 30, 60], monitored=watched(SCIENCE, ABE)) == [(0, Notify(SCIENCE))]
    assert run(route, [0, 30, 60], monitored=watched(ABE)) == [(0, Notify(ABE))]


def test_fallback_zero_keeps_local_coop_out_while_the_department_is_monitored() -> None:
    route = Route((REFERENCE, LOCAL), fallback_s=0)
    assert run(route, [0, 30, 600]) == [(0, Notify(REFERENCE))]


def test_fallback_zero_sends_to_local_coop_when_no_department_is_monitored() -> None:
    route = Route((REFERENCE, LOCAL), fallback_s=0)
    assert run(route, [0, 600], monitored=watched(LOCAL)) == [(0, Notify(LOCAL))]


def test_fallback_zero_still_sends_unclaimed_chats_to_the_global_coop_after_40s() -> None:
    route = Route((REFERENCE, LOCAL, GLOBAL), fallback_s=0)
    sent = run(route, [0, 39.9, 40, 79.9, 80])
    assert sent == [(0, Notify(REFERENCE)), (40, Notify(GLOBAL)),
                    (80, NotifyStaff("coop-247"))]


def test_periods_are_configurable_for_tests_and_default_to_40s_staff_delay() -> None:
    assert Route((GLOBAL,), fallback_s=30).staff_delay_s == 40
    route = Route((REFERENCE, GLOBAL), fallback_s=0.2, staff_delay_s=0.3)
    assert run(route, [0, 0.2, 0.5]) == [
        (0, Notify(REFERENCE)), (0.2, Notify(GLOBAL)), (0.5, NotifyStaff("coop-247")),
    ]


def test_progress_survives_a_restart_without_losing_or_repeating_a_step() -> None:
    route = Route((REFERENCE, LOCAL, GLOBAL), fallback_s=30)
    monitored = watched(REFERENCE, LOCAL, GLOBAL)
    _, progress = route.advance(route.start(0), 0, monitored)
    restored = Progress.from_json(progress.to_json())
    assert route.advance(restored, 10, monitored)[0] == []  # nothing repeated
    sends, _ = route.advance(restored, 75, monitored)  # down for a while: catch up, in order
    assert sends == [Notify(LOCAL), Notify(GLOBAL)]


def test_widget_is_online_while_any_target_is_monitored() -> None:
    route = Route((REFERENCE, LOCAL, GLOBAL), fallback_s=30)
    assert route.online(watched(GLOBAL))
    assert not route.online(watched())
