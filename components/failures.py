"""Failures logged once per cause: a database that is down fails every stanza, and one
traceback per stanza would bury the one line a sysadmin needs."""

from __future__ import annotations

import logging


class Failures:
    def __init__(self, log: logging.Logger) -> None:
        self._log = log
        self._failing: dict[str, str] = {}
        """What -> the cause last logged for it."""

    def failed(self, what: str, error: BaseException) -> None:
        cause = f"{type(error).__name__}: {error}".splitlines()[0]
        if self._failing.get(what) == cause:
            self._log.debug("%s failed again: %s", what, cause)
            return
        self._failing[what] = cause
        self._log.error("%s failed, and will be retried: %s", what, cause)

    def recovered(self, what: str) -> None:
        if self._failing.pop(what, None) is not None:
            self._log.warning("%s works again", what)
