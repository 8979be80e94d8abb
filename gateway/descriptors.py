"""File descriptors: every connection takes one, and so does every session's stream to the
server. A process that runs out cannot accept, connect or open anything, for anyone."""

from __future__ import annotations

import logging
import resource
from typing import Final

from gateway.listener import BACKLOG, MAX_LINGERING
from refdesk.settings import GatewaySettings

log = logging.getLogger(__name__)

# The listening socket, the database, the widget status session, health probes, the log; a
# batch of connections accepted at once, and refused ones left open for their answer.
SPARE: Final = 64 + BACKLOG + MAX_LINGERING


def fit_open_files(settings: GatewaySettings) -> GatewaySettings:
    """Raise this process's soft limit on open files as far as it needs and may; if that is
    still short of max_connections + max_sessions + SPARE, lower both in proportion, and
    say so: better to refuse some patrons with a clear answer than to fail everyone."""
    wanted = settings.max_connections + settings.max_sessions + SPARE
    limit = _raise_open_files(wanted)
    if wanted <= limit:
        return settings
    share = max(limit - SPARE, 2) / (settings.max_connections + settings.max_sessions)
    connections = max(1, int(settings.max_connections * share))
    sessions = max(1, int(settings.max_sessions * share))
    log.warning("this process may open %d files, and max_connections %d with max_sessions %d "
                "need %d: serving at most %d connections and %d sessions (raise the limit: "
                "LimitNOFILE= in the systemd unit, ulimit -n)", limit, settings.max_connections,
                settings.max_sessions, wanted, connections, sessions)
    return settings.model_copy(update={"max_connections": connections, "max_sessions": sessions})


def _raise_open_files(wanted: int) -> int:
    """The soft limit after raising it towards `wanted`, within the hard limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= wanted:
        return wanted
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if target > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    return soft
