"""The last check on what a component writes. Prosody closes a component's stream on a
stanza over its component_stanza_size_limit (512 KiB by default), and every chat, search and
report of that component goes down with it. Whatever grew too large on the way out (a
patron's text escaped, an answer too big to send), the stanza is held back instead: an iq
answer becomes a short error to whoever asked, anything else is dropped and logged."""

from __future__ import annotations

import logging
import re
from typing import Final

log = logging.getLogger(__name__)

MAX_STANZA_BYTES: Final = 448 * 1024
"""Under Prosody's default 512 KiB, with room for what it adds."""
_IQ_ANSWER = re.compile(rb'^<iq\b[^>]*\btype="(?:result|error)"')
_ATTRIBUTE = re.compile(rb'\b(id|to|from)="([^"]*)"')
TOO_LARGE_TEXT: Final = "The answer is too large to send; please ask for less."


def held_back(data: bytes) -> bytes | None:
    """What to write instead of `data` when it is too large: a short error for an iq
    answer, nothing for anything else. None when `data` may go as it is."""
    if len(data) <= MAX_STANZA_BYTES:
        return None
    head = data[:4096]
    log.warning("held back a stanza of %d bytes: %s…", len(data), head[:200])
    if not _IQ_ANSWER.match(head):
        return b""
    start = head[:head.index(b">") + 1] if b">" in head else head
    attributes = dict(_ATTRIBUTE.findall(start))
    return _error_iq({key.decode(): value.decode() for key, value in attributes.items()})


def _error_iq(attributes: dict[str, str]) -> bytes:
    """The error, addressed as the answer was; its values are copied as they were written
    (escaped already)."""
    addressing = "".join(f' {name}="{attributes[name]}"'
                         for name in ("id", "to", "from") if name in attributes)
    return (f'<iq type="error"{addressing}><error type="wait"><resource-constraint '
            'xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/><text xmlns="urn:ietf:params:xml:'
            f'ns:xmpp-stanzas">{TOO_LARGE_TEXT}</text></error></iq>').encode()
