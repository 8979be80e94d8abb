"""The one place refdesk's domain errors become XMPP errors with a human-readable text."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from slixmpp import Iq, Message, Presence
from slixmpp.exceptions import XMPPError
from sqlalchemy.exc import SQLAlchemyError

from components.failures import Failures
from refdesk.errors import RefdeskError

log = logging.getLogger(__name__)
_database = Failures(log)

Stanza = TypeVar("Stanza", Iq, Message, Presence)
MAX_TEXT = 1000
Handler = Callable[[Any, Stanza], Awaitable[None]]


@contextmanager
def xmpp_errors_for(what: str) -> Iterator[None]:
    """Refused requests become the matching XMPP error; a database that is away becomes a
    "try again" (logged once per cause); a bug becomes a logged internal-server-error.
    slixmpp answers the stanza being handled with it."""
    try:
        yield
    except XMPPError:
        raise
    except RefdeskError as error:
        raise XMPPError(error.condition, _bounded(str(error)), etype=error.etype) from error
    except SQLAlchemyError as error:
        _database.failed("the database", error)
        raise XMPPError("service-unavailable", "The library's chat service is briefly "
                        "unavailable; please try again in a moment.", etype="wait") from error
    except Exception as error:
        log.exception("%s failed", what)
        raise XMPPError("internal-server-error",
                        "Something went wrong on our side; please try again.") from error
    else:
        _database.recovered("the database")


def _bounded(text: str) -> str:
    """A refusal's sentence at most MAX_TEXT characters: one that quotes what was sent
    must not grow with it."""
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 1] + "…"


@contextmanager
def command_errors(what: str) -> Iterator[None]:
    """xmpp_errors_for, for a step of an ad-hoc command (XEP-0050): the error keeps the
    <command/> it answers, whose sessionid lets a client (poezio, for one) show the refusal
    in the command it has open; without it the error is dropped unseen."""
    try:
        with xmpp_errors_for(what):
            yield
    except XMPPError as error:
        error.clear = False
        raise


@contextmanager
def logged_only(what: str) -> Iterator[None]:
    """For stanzas that must never be answered with an error (errors themselves: errors
    about errors could loop): refusals and failures are logged, nothing is sent."""
    try:
        with xmpp_errors_for(what):
            yield
    except XMPPError as error:
        log.debug("%s: %s (not answered)", what, error.text or error.condition)


STANZAS_NS = "urn:ietf:params:xml:ns:xmpp-stanzas"


def error_condition(stanza: Iq | Message | Presence) -> str:
    """The condition of the error the sender put in a stanza. Read from the first <error/>:
    slixmpp appends an error of its own (feature-not-implemented) to an error reply that no
    handler claimed, and stanza["error"] would read that one."""
    for error in stanza.xml:
        if error.tag.endswith("}error"):
            for condition in error:
                if condition.tag.startswith(f"{{{STANZAS_NS}}}") and not condition.tag.endswith(
                        "}text"):
                    return str(condition.tag.split("}", 1)[1])
            break
    return ""


def xmpp_errors(handler: Handler[Stanza]) -> Handler[Stanza]:
    """Wraps a stanza handler in xmpp_errors_for, or logged_only for error stanzas."""

    @functools.wraps(handler)
    async def wrapper(self: Any, stanza: Stanza) -> None:
        what = f"{handler.__name__} on a stanza from {stanza['from']}"
        guard = logged_only if stanza["type"] == "error" else xmpp_errors_for
        with guard(what):
            await handler(self, stanza)

    return wrapper
