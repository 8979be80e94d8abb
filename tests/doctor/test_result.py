"""Doctor's report: one aligned line per finding, and the exit status it ends with."""

from __future__ import annotations

import pytest

from refdesk.doctor.result import Result, Status, exit_code, format_result


def test_an_ok_line_aligns_its_check_with_the_failures_and_omits_advice() -> None:
    assert format_result(Result(Status.OK, "ports", "c2s 192.0.2.1:5222 accepts", "unused")) \
        == "ok    ports: c2s 192.0.2.1:5222 accepts"


def test_a_failure_says_what_is_wrong_then_what_to_do() -> None:
    line = format_result(Result.fail("s2s", "beta.example unreachable at 203.0.113.5:5269 "
                                     "(connection refused)", "open port 5269"))
    assert line == ("FAIL  s2s: beta.example unreachable at 203.0.113.5:5269 "
                    "(connection refused) — open port 5269")


def test_a_finding_quoting_several_lines_still_prints_as_one() -> None:
    line = format_result(Result.warn("database", "could not\n  connect", "check\tthe url"))
    assert line == "WARN  database: could not connect — check the url"
    assert "\n" not in line


@pytest.mark.parametrize(("statuses", "expected"), [
    ([], 0),
    ([Status.OK, Status.OK], 0),
    ([Status.OK, Status.WARN], 0),
    ([Status.WARN, Status.FAIL, Status.OK], 1),
])
def test_only_a_failure_makes_the_command_fail(statuses: list[Status], expected: int) -> None:
    assert exit_code(Result(status, "x", "y") for status in statuses) == expected
