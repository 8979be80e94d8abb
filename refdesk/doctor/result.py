"""What one check found, and how the findings read and end the command."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class Status(enum.Enum):
    """How a check went; only FAIL makes the command fail."""

    OK = "ok"
    WARN = "WARN"
    FAIL = "FAIL"


@dataclass(frozen=True)
class Result:
    """One line of the report: which check, what it found and, when not ok, what to do."""

    status: Status
    check: str
    """The family, e.g. certificate, s2s, component."""
    finding: str
    advice: str = ""

    @classmethod
    def ok(cls, check: str, finding: str) -> Result:
        return cls(Status.OK, check, finding)

    @classmethod
    def warn(cls, check: str, finding: str, advice: str) -> Result:
        return cls(Status.WARN, check, finding, advice)

    @classmethod
    def fail(cls, check: str, finding: str, advice: str) -> Result:
        return cls(Status.FAIL, check, finding, advice)


def format_result(result: Result) -> str:
    """`ok    certificate: …` / `FAIL  s2s: … — what to do`, on one line."""
    text = f"{result.check}: {result.finding}"
    if result.advice and result.status is not Status.OK:
        text += f" — {result.advice}"
    # One line whatever a finding quotes (a driver's message may hold newlines).
    return f"{result.status.value:<6}" + " ".join(text.split())


def exit_code(results: Iterable[Result]) -> int:
    """0 when nothing failed (warnings included), 1 when any check failed."""
    failed = any(result.status is Status.FAIL for result in results)
    return EXIT_FAILED if failed else EXIT_OK
