"""How much one answer of faq.<library> may carry. Prosody closes a component's stream when
it sends a stanza over component_stanza_size_limit (512 KiB by default): one request for a
large group must never take the faq component offline for everyone. Sizes are counted as
the XML is sent: UTF-8, escaped."""

from __future__ import annotations

from collections.abc import Iterable
from xml.sax.saxutils import escape

from slixmpp.xmlstream import ET, tostring

REPLY_BYTES = 256 * 1024
"""Half the server's limit, leaving room for the envelope. One FAQ at faq.xsd's limits is
at most about 110 KiB, so an answer always holds at least one."""


def size(element: ET.Element) -> int:
    return len(tostring(element).encode())


def fitting(elements: Iterable[ET.Element], budget: int = REPLY_BYTES) -> list[ET.Element]:
    """The leading elements that fit in the budget together; the first always does."""
    kept: list[ET.Element] = []
    for element in elements:
        budget -= size(element)
        if kept and budget < 0:
            break
        kept.append(element)
    return kept


def fitting_texts(texts: Iterable[str], budget: int = REPLY_BYTES) -> list[str]:
    """The leading texts that fit in the budget together (as a message body, escaped)."""
    kept: list[str] = []
    for text in texts:
        budget -= len(escape(text).encode())
        if kept and budget < 0:
            break
        kept.append(text)
    return kept
