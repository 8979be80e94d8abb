"""The one place refdesk's domain errors become XMPP errors with a human-readable text."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from slixmpp import Iq, Message
from slixmpp.exceptions import XMPPError

from refdesk.errors import RefdeskError

log = logging.getLogger(__name__)

Stanza = TypeVar("Stanza", Iq, Message)
Handler = Callable[[Any, Stanza], Awaitable[None]]


@contextmanager
def xmpp_errors_for(what: str) -> Iterator[None]:
    """Refused requests become the matching XMPP error; a bug becomes a logged
    internal-server-error. slixmpp answers the stanza being handled with it."""
    try:
        yield
    except XMPPError:
        raise
    except RefdeskError as error:
        raise XMPPError(error.condition, str(error), etype=error.etype) from error
    except Exception as error:
        log.exception("%s failed", what)
        raise XMPPError("internal-server-error",
                        "Something went wrong on our side; please try again.") from error


def xmpp_errors(handler: Handler[Stanza]) -> Handler[Stanza]:
    """Wraps a stanza handler in xmpp_errors_for."""

    @functools.wraps(handler)
    async def wrapper(self: Any, stanza: Stanza) -> None:
        with xmpp_errors_for(f"{handler.__name__} on a stanza from {stanza['from']}"):
            await handler(self, stanza)

    return wrapper
