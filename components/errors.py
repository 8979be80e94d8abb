"""The one decorator that turns refdesk's domain errors into XMPP errors with a human text."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from slixmpp import Iq, Message
from slixmpp.exceptions import XMPPError

from refdesk.errors import RefdeskError

log = logging.getLogger(__name__)


Stanza = TypeVar("Stanza", Iq, Message)
Handler = Callable[[Any, Stanza], Awaitable[None]]


def xmpp_errors(handler: Handler[Stanza]) -> Handler[Stanza]:
    """Refused requests become the matching XMPP error; a bug becomes a logged
    internal-server-error. slixmpp sends the error back to the sender of the stanza."""

    @functools.wraps(handler)
    async def wrapper(self: Any, stanza: Stanza) -> None:
        try:
            await handler(self, stanza)
        except XMPPError:
            raise
        except RefdeskError as error:
            raise XMPPError(error.condition, str(error), etype=error.etype) from error
        except Exception as error:
            log.exception("%s failed on a stanza from %s", handler.__name__, stanza["from"])
            raise XMPPError("internal-server-error",
                            "Something went wrong on our side; please try again.") from error

    return wrapper
