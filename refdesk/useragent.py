"""What a chat's page and browser tell the reports: the page asked from without what could
identify the patron (query string, fragment, credentials), and the browser, OS and device
families as ua-parser names them, so that counts group the same way everywhere."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

from ua_parser import parse

MAX_SOURCE_CHARS: Final = 256
"""A page's address as reports count it; a patron chooses the referrer, and a longer one is
no more telling."""
MAX_LABEL_CHARS: Final = 64
UNKNOWN: Final = "Other"
"""ua-parser's own word for a family it does not recognise."""
SCHEMES: Final = frozenset({"http", "https"})


@dataclass(frozen=True)
class Origin:
    """Where a chat came from, as the reports count it; None where nothing was told."""

    source: str | None = None
    browser: str | None = None
    os: str | None = None
    device: str | None = None


UNTOLD: Final = Origin()


def origin(referrer: str | None, user_agent: str | None) -> Origin:
    """The chat's page and browser families from its referrer and user agent."""
    return Origin(page(referrer), *families(user_agent or ""))


def page(referrer: str | None) -> str | None:
    """Scheme, host and path of a web page's address; None for anything that is not one."""
    if not referrer:
        return None
    try:
        parts = urlsplit(referrer.strip())
        host, port = parts.hostname, parts.port
    except ValueError:  # a malformed port or IPv6 literal
        return None
    if parts.scheme.lower() not in SCHEMES or not host:
        return None
    host = f"[{host}]" if ":" in host else host
    netloc = f"{host}:{port}" if port is not None else host
    source = f"{parts.scheme.lower()}://{netloc}{parts.path or '/'}"
    return source if len(source) <= MAX_SOURCE_CHARS else source[:MAX_SOURCE_CHARS - 1] + "…"


@functools.lru_cache(maxsize=1024)
def families(user_agent: str) -> tuple[str | None, str | None, str | None]:
    """Browser, OS and device families; all None when there was no user agent. Cached: a
    library's patrons use a few hundred browsers, and parsing one takes milliseconds."""
    user_agent = user_agent.strip()
    if not user_agent:
        return None, None, None
    result = parse(user_agent).with_defaults()
    return (_label(result.user_agent.family), _label(result.os.family),
            _label(result.device.family))


def _label(family: str | None) -> str:
    return (family or UNKNOWN)[:MAX_LABEL_CHARS]
