"""Ad-hoc command sessions (XEP-0050) that expire and are bounded in number.

slixmpp keeps every session in a plain dict, finished ones included, for ever: thousands of
command executions by one patron grew a component by a hundred MiB for good. This store
forgets a finished session at once, an unfinished one after TTL_S, and the oldest ones when
there are more than MAX_SESSIONS.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from typing import Any

TTL_S = 600.0
MAX_SESSIONS = 1000

Session = dict[str, Any]


class BoundedSessions(MutableMapping[str, Session]):
    def __init__(self, ttl_s: float = TTL_S, max_sessions: int = MAX_SESSIONS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl_s, self._max, self._clock = ttl_s, max_sessions, clock
        self._sessions: OrderedDict[str, tuple[float, Session]] = OrderedDict()

    def __getitem__(self, sessionid: str) -> Session:
        self._expire()
        return self._sessions[sessionid][1]

    def __setitem__(self, sessionid: str, session: Session) -> None:
        self._expire()
        self._sessions.pop(sessionid, None)
        if session.get("next") is None:
            return  # finished: nothing will continue it
        self._sessions[sessionid] = (self._clock(), session)
        while len(self._sessions) > self._max:
            self._sessions.popitem(last=False)

    def __delitem__(self, sessionid: str) -> None:
        # Tolerant: slixmpp deletes finished sessions, which were never kept.
        self._sessions.pop(sessionid, None)

    def __iter__(self) -> Iterator[str]:
        self._expire()
        return iter(list(self._sessions))

    def __len__(self) -> int:
        self._expire()
        return len(self._sessions)

    def _expire(self) -> None:
        oldest_kept = self._clock() - self._ttl_s
        while self._sessions:
            sessionid, (started, _) = next(iter(self._sessions.items()))
            if started >= oldest_kept:
                return
            del self._sessions[sessionid]


Handler = Callable[[Any, Session], Awaitable[Session]]
"""An ad-hoc command's step: (the iq, the session) -> the session."""


def offer_command(xmpp: Any, node: str, name: str, handler: Handler) -> None:
    """Advertise an ad-hoc command, kept in bounded sessions, and again after every session
    bind: slixmpp's ad-hoc plugin empties its advertised list then."""
    adhoc = xmpp.plugin["xep_0050"]
    if not isinstance(adhoc.sessions, BoundedSessions):
        adhoc.set_backend(BoundedSessions())

    def advertise(_: object = None) -> None:
        adhoc.add_command(node=node, name=name, handler=handler)

    advertise()
    xmpp.add_event_handler("session_bind", advertise)
