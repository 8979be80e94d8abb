"""The XML the gateway writes itself: RFC 7395 frames, stream headers and stream errors."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final
from xml.sax.saxutils import escape

FRAMING_NS: Final = "urn:ietf:params:xml:ns:xmpp-framing"
STREAM_NS: Final = "http://etherx.jabber.org/streams"
STREAM_ERRORS_NS: Final = "urn:ietf:params:xml:ns:xmpp-streams"
CLIENT_NS: Final = "jabber:client"
XML_LANG: Final = "{http://www.w3.org/XML/1998/namespace}lang"

OPEN_TAG: Final = f"{{{FRAMING_NS}}}open"
CLOSE_TAG: Final = f"{{{FRAMING_NS}}}close"
STREAM_TAG: Final = f"{{{STREAM_NS}}}stream"
STREAM_ERROR_TAG: Final = f"{{{STREAM_NS}}}error"
SASL_SUCCESS_TAG: Final = "{urn:ietf:params:xml:ns:xmpp-sasl}success"

CLOSE_FRAME: Final = f'<close xmlns="{FRAMING_NS}"/>'
STREAM_END: Final = b"</stream:stream>"

# Attributes of the server's stream header that the client needs to see in its <open/>.
_HEADER_ATTRIBUTES: Final = (("from", "from"), ("id", "id"), ("version", "version"),
                             (XML_LANG, "xml:lang"))
_QUOTE: Final = {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


def attributes(pairs: Mapping[str, str | None]) -> str:
    """` name="value"` for every pair whose value is set, escaped for a double-quoted value."""
    return "".join(
        f' {name}="{escape(value, _QUOTE)}"' for name, value in pairs.items() if value is not None
    )


def open_frame(header: Mapping[str, str]) -> str:
    """The RFC 7395 <open/> that stands for the server's <stream:stream> header."""
    shown = {name: header.get(key) for key, name in _HEADER_ATTRIBUTES}
    return f'<open xmlns="{FRAMING_NS}"{attributes(shown)}/>'


def stream_error(condition: str, text: str | None = None) -> str:
    """A self-contained <stream:error/> (RFC 6120 section 4.9), as a frame or in a BOSH body."""
    explanation = f'<text xmlns="{STREAM_ERRORS_NS}">{escape(text)}</text>' if text else ""
    return (
        f'<stream:error xmlns:stream="{STREAM_NS}">'
        f'<{condition} xmlns="{STREAM_ERRORS_NS}"/>{explanation}</stream:error>'
    )


def stream_header(to: str, lang: str | None = None) -> bytes:
    """The client's <stream:stream> header towards the server, for a new or restarted stream."""
    pairs = {"to": to, "version": "1.0", "xml:lang": lang}
    return (
        f"<?xml version='1.0'?><stream:stream{attributes(pairs)}"
        f' xmlns="{CLIENT_NS}" xmlns:stream="{STREAM_NS}">'
    ).encode()
