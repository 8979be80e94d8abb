"""XMPP is UTF-8 only (RFC 6120 section 11.6): anything else is refused before a parser runs.

This is what keeps the markup scan honest. The scan looks for `<!` and `<?` as bytes; a
document re-encoded as UTF-16 (with a byte-order mark, or none, or announced by an ASCII
`encoding="UTF-16"` declaration) hides its DOCTYPE from it, and libxml2 would then decode
and obey that DOCTYPE. So every byte must be strict UTF-8, with no byte-order mark, no NUL
(UTF-16 and UTF-32 text is full of them), and no declared encoding but UTF-8.
"""

from __future__ import annotations

import codecs
import re
from typing import Final

_BOM: Final = "\ufeff"
_XML: Final = "<?xml"
_DECLARATION_MAX: Final = 256  # an XML declaration is a few dozen bytes
_ENCODING: Final = re.compile(r"""\sencoding\s*=\s*(["'])(.*?)\1""")


class NotUtf8(Exception):
    """The bytes are not XMPP's UTF-8; `text` says how, for the stream error."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class Utf8Stream:
    """Checks a byte stream, fed in chunks of any size, as XMPP's UTF-8."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")("strict")
        # The stream's first characters, kept until its XML declaration has been judged.
        self._head: str | None = ""

    def feed(self, data: bytes, final: bool = False) -> None:
        try:
            text = self._decoder.decode(data, final)
        except UnicodeDecodeError:
            raise NotUtf8("XMPP is UTF-8 only, and this is not valid UTF-8") from None
        if "\x00" in text:
            raise NotUtf8("NUL is not allowed in XML; XMPP is UTF-8 only")
        if self._head is not None:
            self._judge_head(self._head + text)

    def close(self) -> None:
        """The stream has ended: a character cut short is an error too."""
        self.feed(b"", final=True)

    def _judge_head(self, head: str) -> None:
        if head.startswith(_BOM):
            raise NotUtf8("a byte-order mark is not allowed in XMPP")
        if len(head) < len(_XML) and _XML.startswith(head):
            self._head = head  # too short to tell whether a declaration starts
            return
        end = head.find("?>")
        if head.startswith(_XML) and end < 0 and len(head) < _DECLARATION_MAX:
            self._head = head
            return
        found = _ENCODING.search(head[:end] if end >= 0 else head)
        if head.startswith(_XML) and found and found.group(2).lower() not in ("utf-8", "utf8"):
            raise NotUtf8(f"the encoding {found.group(2)!r} is not allowed: XMPP is UTF-8 only")
        self._head = None


def check_utf8(data: bytes) -> None:
    """Check one complete document (a WebSocket frame, a BOSH body)."""
    stream = Utf8Stream()
    stream.feed(data)
    stream.close()
