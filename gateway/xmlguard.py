"""Hardened XML for the gateway: a size cap and a markup scan before parsing, then libxml2.

RFC 6120 (section 11.1) forbids DTDs, entity declarations and references, comments and
processing instructions in XMPP. The gateway enforces that on the raw bytes, before any
parser sees them, so a billion-laughs or external-entity document is refused without a
single declaration being read, let alone expanded. The scan only works on UTF-8, so anything
else is refused first (gateway.utf8only). What passes is parsed by libxml2 (through lxml) told
the encoding is UTF-8 whatever the document says, with entity substitution, DTD loading and
network access off, and a resolver that refuses every external DTD or entity: should markup
ever slip past the scan, the parser still opens no file and no URL.

Why libxml2 and not the stdlib's expat: the gateway must not parse untrusted XML with an
expat older than 2.6 (DESIGN.md), and CPython builds carry their own expat (3.11.7 has
2.5.0); lxml's wheels carry a current libxml2, checked at start-up by `check_parser()`.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Final, TypedDict, TypeVar, cast

from lxml import etree

from gateway.framing import STREAM_TAG
from gateway.utf8only import NotUtf8, Utf8Stream, check_utf8

# CVE-2025-6021 (a buffer overflow reachable from element names) is fixed from 2.14.4 on.
MIN_LIBXML2: Final = (2, 14, 4)
_CDATA_OPEN: Final = b"<![CDATA["
_MARKUP: Final = re.compile(rb"<[!?]")
_UNDECLARED_ENTITY: Final = {26, 27}  # libxml2's ERR_ and WAR_UNDECLARED_ENTITY


class _ParserOptions(TypedDict):
    encoding: str
    resolve_entities: bool
    load_dtd: bool
    no_network: bool
    huge_tree: bool
    collect_ids: bool


# UTF-8 whatever the document declares, no entity substitution, no DTD loading, no network,
# libxml2's default size limits.
_PARSER_OPTIONS: Final[_ParserOptions] = {
    "encoding": "utf-8", "resolve_entities": False, "load_dtd": False,
    "no_network": True, "huge_tree": False, "collect_ids": False}
_Parser = TypeVar("_Parser", bound=etree.XMLParser)


class XmlRefused(Exception):
    """Input the gateway will not carry; `condition` is the RFC 6120 stream error to send."""

    def __init__(self, condition: str, text: str) -> None:
        super().__init__(f"{condition}: {text}")
        self.condition, self.text = condition, text


class _RefuseExternal(etree.Resolver):
    """Answers every request for an external DTD or entity with a refusal, so that libxml2
    never falls back to its own loader (which opens files, /dev/zero included)."""

    def resolve(self, url: str | None, pubid: str | None, context: object) -> None:
        raise XmlRefused("restricted-xml", "external DTDs and entities are not allowed in XMPP")


def _hardened(parser: _Parser) -> _Parser:
    parser.resolvers.add(_RefuseExternal())
    return parser


_FRAME_PARSER: Final = _hardened(etree.XMLParser(**_PARSER_OPTIONS))


class ParserTooOld(RuntimeError):
    """The linked libxml2 has known parsing flaws; the gateway refuses to start on it."""


def check_parser() -> None:
    """Refuse to run on a libxml2 older than MIN_LIBXML2."""
    if etree.LIBXML_VERSION < MIN_LIBXML2:
        found = ".".join(map(str, etree.LIBXML_VERSION))
        wanted = ".".join(map(str, MIN_LIBXML2))
        raise ParserTooOld(f"libxml2 {found} is older than {wanted}: install lxml from PyPI, "
                           "whose wheels carry a current libxml2")


class MarkupScanner:
    """Finds DTDs, comments and processing instructions in a byte stream, across chunks.

    Only a leading XML declaration and CDATA sections may start with `<!` or `<?`: `<` is
    not allowed in attribute values or text, so every other occurrence is forbidden markup.
    """

    def __init__(self) -> None:
        self._carry = b""
        self._offset = 0  # of _carry's first byte in the whole stream
        self._until: bytes | None = None  # the end of the CDATA section or declaration we are in

    def feed(self, data: bytes) -> None:
        buffer = self._carry + data if self._carry else data
        position = self._scan(buffer)
        self._carry = buffer[position:]
        self._offset += position

    def _scan(self, buffer: bytes) -> int:
        """Scan what can be decided; return where the undecided tail starts."""
        position = 0
        while True:
            if self._until is not None:
                end = buffer.find(self._until, position)
                if end < 0:
                    return max(position, len(buffer) - len(self._until) + 1)
                position, self._until = end + len(self._until), None
            match = _MARKUP.search(buffer, position)
            if match is None:
                return len(buffer) - 1 if buffer.endswith(b"<") else len(buffer)
            start = match.start()
            until = self._opening(buffer[start:start + len(_CDATA_OPEN)], self._offset + start)
            if until is None:
                return start
            self._until, position = until, start + 2

    @staticmethod
    def _opening(head: bytes, offset: int) -> bytes | None:
        """What ends the markup that starts with `head` at `offset`; None if `head` is too
        short to tell; XmlRefused if it is forbidden."""
        if head.startswith(_CDATA_OPEN):
            return b"]]>"
        if _CDATA_OPEN.startswith(head) or b"<!--".startswith(head):
            return None
        if head.startswith(b"<?") and offset == 0:
            if len(head) < len(b"<?xml "):
                return None
            if re.match(rb"<\?xml[ \t\r\n]", head):
                return b"?>"
        if head.startswith(b"<!--"):
            raise XmlRefused("restricted-xml", "XML comments are not allowed in XMPP")
        if head.startswith(b"<?"):
            raise XmlRefused("restricted-xml", "processing instructions are not allowed in XMPP")
        raise XmlRefused("restricted-xml", "DTDs and entity declarations are not allowed in XMPP")


def _syntax_error(error: etree.XMLSyntaxError) -> XmlRefused:
    if getattr(error, "code", None) in _UNDECLARED_ENTITY:
        return XmlRefused("restricted-xml", "entity references are not allowed in XMPP")
    return XmlRefused("not-well-formed", str(error.msg or error))


def parse_frame(data: bytes, max_bytes: int) -> etree._Element:
    """Parse one complete element (an RFC 7395 frame or a BOSH body), refusing what RFC 6120
    forbids and anything over max_bytes, before parsing."""
    if len(data) > max_bytes:
        raise XmlRefused("policy-violation", f"larger than the {max_bytes} bytes allowed")
    try:
        check_utf8(data)
    except NotUtf8 as error:
        raise XmlRefused("unsupported-encoding", error.text) from None
    MarkupScanner().feed(data)
    try:
        return etree.fromstring(data, _FRAME_PARSER)
    except etree.XMLSyntaxError as error:
        raise _syntax_error(error) from None


def serialize(element: etree._Element) -> bytes:
    """UTF-8, with the namespace declarations the element needs on its own."""
    return etree.tostring(element, encoding="utf-8")


@dataclass(frozen=True)
class StreamOpened:
    """The server's <stream:stream> header."""

    attributes: dict[str, str]


@dataclass(frozen=True)
class StreamElement:
    """A complete top-level element of the stream: a stanza, features, SASL, a stream error."""

    element: etree._Element
    xml: bytes


@dataclass(frozen=True)
class StreamClosed:
    """</stream:stream>, or the connection ended."""


StreamEvent = StreamOpened | StreamElement | StreamClosed


class StreamParser:
    """Incremental parser of one XML stream, cutting it into self-contained top-level elements.

    One parser per stream: a stream restart (RFC 6120 section 4.3.3) starts a new document.
    """

    def __init__(self, max_element_bytes: int) -> None:
        self._utf8 = Utf8Stream()
        self._scanner = MarkupScanner()
        self._parser = _hardened(etree.XMLPullParser(("start", "end"), **_PARSER_OPTIONS))
        self._max = max_element_bytes
        self._root: etree._Element | None = None
        self._depth = 0
        self._unfinished = 0  # bytes fed since the last top-level element was complete

    def feed(self, data: bytes) -> list[StreamEvent]:
        try:
            self._utf8.feed(data)
        except NotUtf8 as error:
            raise XmlRefused("unsupported-encoding", error.text) from None
        self._scanner.feed(data)
        try:
            self._parser.feed(data)
            events = [self._event(action, cast(etree._Element, element))
                      for action, element in self._parser.read_events()]
        except etree.XMLSyntaxError as error:
            raise _syntax_error(error) from None
        found = [event for event in events if event is not None]
        self._unfinished = len(data) if found else self._unfinished + len(data)
        if self._unfinished > self._max:
            raise XmlRefused("policy-violation",
                             f"an element larger than the {self._max} bytes allowed")
        return found

    def _event(self, action: str, element: etree._Element) -> StreamEvent | None:
        if action == "start":
            self._depth += 1
            return self._opened(element) if self._depth == 1 else None
        self._depth -= 1
        if self._depth == 0:
            return StreamClosed()
        if self._depth > 1 or self._root is None:
            return None
        # A copy takes the stream's namespace declarations along; of those, only the ones
        # it uses are kept, so that frames look as the server would have written them.
        alone = copy.deepcopy(element)
        etree.cleanup_namespaces(alone)
        self._root.remove(element)
        self._root.text = None  # whitespace keep-alives would pile up here
        return StreamElement(alone, serialize(alone))

    def _opened(self, root: etree._Element) -> StreamOpened:
        if root.tag != STREAM_TAG:
            raise XmlRefused("invalid-namespace", f"expected a stream header, got {root.tag!s}")
        self._root = root
        return StreamOpened({str(key): str(value) for key, value in root.attrib.items()})
