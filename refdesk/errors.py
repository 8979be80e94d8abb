"""Requests refdesk understood and refused; each maps to one XMPP error condition."""

from __future__ import annotations

from typing import ClassVar

from slixmpp.types import ErrorConditions, ErrorTypes


class RefdeskError(Exception):
    """A request refdesk understood and refused; the message is for the person who sent it."""

    condition: ClassVar[ErrorConditions] = "bad-request"
    etype: ClassVar[ErrorTypes] = "modify"


class NotFound(RefdeskError):
    condition: ClassVar[ErrorConditions] = "item-not-found"
    etype: ClassVar[ErrorTypes] = "cancel"


class Unavailable(RefdeskError):
    condition: ClassVar[ErrorConditions] = "service-unavailable"
    etype: ClassVar[ErrorTypes] = "cancel"


class NotPermitted(RefdeskError):
    condition: ClassVar[ErrorConditions] = "forbidden"
    etype: ClassVar[ErrorTypes] = "auth"


class Conflict(RefdeskError):
    condition: ClassVar[ErrorConditions] = "conflict"
    etype: ClassVar[ErrorTypes] = "cancel"


class InvalidInput(RefdeskError):
    condition: ClassVar[ErrorConditions] = "bad-request"
    etype: ClassVar[ErrorTypes] = "modify"
