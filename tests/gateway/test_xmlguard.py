"""The hardened parser: what RFC 6120 forbids is refused before parsing, streams are cut right."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from lxml import etree

from gateway.xmlguard import (
    MarkupScanner,
    StreamClosed,
    StreamElement,
    StreamOpened,
    StreamParser,
    XmlRefused,
    check_parser,
    parse_frame,
)
from tests.gateway.attacks import (
    BILLION_LAUGHS,
    EXTERNAL_ENTITY,
    FileCanary,
    external_parameter_entity,
    utf16_declared,
    utf16_with_bom,
)

HEADER = (b"<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
          b"xmlns:stream='http://etherx.jabber.org/streams' from='alpha.test' id='s1' "
          b"version='1.0' xml:lang='en'>")


def refusal(data: bytes, max_bytes: int = 65536) -> XmlRefused:
    with pytest.raises(XmlRefused) as caught:
        parse_frame(data, max_bytes)
    return caught.value


def test_billion_laughs_is_refused_as_restricted_xml_before_parsing() -> None:
    refused = refusal(BILLION_LAUGHS)

    assert refused.condition == "restricted-xml"
    assert "DTD" in refused.text


def test_external_entity_declaration_is_refused_as_restricted_xml() -> None:
    assert refusal(EXTERNAL_ENTITY).condition == "restricted-xml"


def test_undeclared_entity_reference_is_refused_as_restricted_xml() -> None:
    refused = refusal(b'<message xmlns="jabber:client"><body>&xxe;</body></message>')

    assert (refused.condition, refused.text) == (
        "restricted-xml", "entity references are not allowed in XMPP")


@pytest.mark.parametrize(("data", "why"), [
    (b"<message><!-- hidden --></message>", "comments"),
    (b"<message><?php evil() ?></message>", "processing instructions"),
    (b"<?xml-stylesheet href='x'?><message/>", "processing instructions"),
])
def test_comments_and_processing_instructions_are_refused(data: bytes, why: str) -> None:
    refused = refusal(data)

    assert refused.condition == "restricted-xml"
    assert why in refused.text


def test_oversized_frame_is_refused_as_policy_violation_without_parsing() -> None:
    # Not even well-formed: the size alone decides, before any parser runs.
    refused = refusal(b"<message>" + b"x" * 2000, max_bytes=1024)

    assert refused.condition == "policy-violation"


def test_malformed_frame_is_not_well_formed() -> None:
    assert refusal(b"<message><body></message>").condition == "not-well-formed"


def test_cdata_and_predefined_entities_pass_even_when_they_look_like_markup() -> None:
    element = parse_frame(b"<?xml version='1.0'?><message xmlns='jabber:client'><body>"
                          b"<![CDATA[<!DOCTYPE x> <!-- <?pi?>]]> &amp;&lt;&#65;</body></message>",
                          65536)

    assert element.findtext("{jabber:client}body") == "<!DOCTYPE x> <!-- <?pi?> &<A"


def test_scanner_finds_a_doctype_split_across_chunks() -> None:
    scanner = MarkupScanner()
    scanner.feed(b"<stream><message><")

    with pytest.raises(XmlRefused):
        scanner.feed(b"!DOCTYPE x>")


def test_scanner_follows_a_cdata_section_split_across_chunks() -> None:
    scanner = MarkupScanner()
    for chunk in (b"<m><![CD", b"ATA[ <!-- not a comment ]", b"]> <!-- ", b"]]>"):
        try:
            scanner.feed(chunk)
        except XmlRefused:
            assert chunk == b"]> <!-- "  # the comment after the section's end
            return
    pytest.fail("the comment after the CDATA section was not refused")


def test_stream_is_cut_into_self_contained_top_level_elements() -> None:
    parser = StreamParser(65536)

    events = parser.feed(HEADER + b"<stream:features><mechanisms xmlns='urn:ietf:params:xml:"
                         b"ns:xmpp-sasl'><mechanism>ANONYMOUS</mechanism></mechanisms>"
                         b"</stream:features><message to='a@b'><body>hi</body></message>")

    opened, features, message = events
    assert isinstance(opened, StreamOpened)
    assert opened.attributes["id"] == "s1"
    assert isinstance(features, StreamElement) and isinstance(message, StreamElement)
    # Each element parses alone: the stream's namespace declarations travel with it.
    alone = etree.fromstring(features.xml)
    assert alone.tag == "{http://etherx.jabber.org/streams}features"
    assert etree.fromstring(message.xml).tag == "{jabber:client}message"


def test_stream_elements_arrive_whole_whatever_the_chunking() -> None:
    parser = StreamParser(65536)
    data = HEADER + b"<message to='a@b'><body>one</body></message><presence/></stream:stream>"

    events = [event for byte in range(len(data)) for event in parser.feed(data[byte:byte + 1])]

    assert [type(event) for event in events] == [
        StreamOpened, StreamElement, StreamElement, StreamClosed]


def test_stream_element_over_the_limit_is_a_policy_violation() -> None:
    parser = StreamParser(4096)
    parser.feed(HEADER)

    with pytest.raises(XmlRefused) as caught:
        for _ in range(100):
            parser.feed(b"<message><body>" + b"x" * 100)
    assert caught.value.condition == "policy-violation"


def test_stream_without_a_stream_header_is_refused() -> None:
    with pytest.raises(XmlRefused) as caught:
        StreamParser(65536).feed(b"<html><body>")
    assert caught.value.condition == "invalid-namespace"


def test_installed_libxml2_is_accepted() -> None:
    check_parser()


ENCODING_ATTACKS = {
    "utf-16-bom": utf16_with_bom(BILLION_LAUGHS),
    "utf-16-declared": utf16_declared(BILLION_LAUGHS),
    "utf-16-be-bom": BILLION_LAUGHS.decode().encode("utf-16-be").join([b"\xfe\xff", b""]),
    "utf-32": BILLION_LAUGHS.decode().encode("utf-32"),
    "utf-8-bom": b"\xef\xbb\xbf" + BILLION_LAUGHS,
    "latin-1-declared": b"<?xml version='1.0' encoding='ISO-8859-1'?><message/>",
    "invalid-utf-8": HEADER + b"<message><body>\xc3\x28</body></message>",
    "nul": HEADER + b"<message><body>\x00</body></message>",
}


@pytest.mark.parametrize("data", ENCODING_ATTACKS.values(), ids=ENCODING_ATTACKS.keys())
def test_frames_that_are_not_utf8_are_refused_as_unsupported_encoding(data: bytes) -> None:
    assert refusal(data).condition == "unsupported-encoding"


@pytest.mark.parametrize("data", ENCODING_ATTACKS.values(), ids=ENCODING_ATTACKS.keys())
def test_streams_that_are_not_utf8_are_refused_whatever_the_chunking(data: bytes) -> None:
    parser = StreamParser(65536)

    with pytest.raises(XmlRefused) as caught:
        for byte in range(len(data)):
            parser.feed(data[byte:byte + 1])
    assert caught.value.condition == "unsupported-encoding"


def test_a_character_cut_at_the_end_of_a_frame_is_refused() -> None:
    assert refusal("<m>é</m>".encode()[:-5]).condition == "unsupported-encoding"


def test_utf8_declared_in_any_spelling_and_multibyte_text_split_across_chunks_pass() -> None:
    parser = StreamParser(65536)
    data = HEADER.replace(b"version='1.0'?>", b"version='1.0' encoding=\"utf8\"?>", 1) + (
        "<message><body>déjà vu ☕</body></message>".encode())

    events = [event for byte in range(len(data)) for event in parser.feed(data[byte:byte + 1])]

    assert isinstance(events[-1], StreamElement)
    assert events[-1].element.findtext("{jabber:client}body") == "déjà vu ☕"


@pytest.mark.parametrize("encode", [lambda d: d, utf16_with_bom, utf16_declared],
                         ids=["utf-8", "utf-16-bom", "utf-16-declared"])
def test_even_past_the_scan_the_parser_opens_no_file(
        monkeypatch: pytest.MonkeyPatch, file_canary: FileCanary,
        encode: Callable[[bytes], bytes]) -> None:
    # As if the byte checks had a hole: the parser itself must still refuse to load anything.
    monkeypatch.setattr(MarkupScanner, "feed", lambda self, data: None)
    monkeypatch.setattr("gateway.xmlguard.check_utf8", lambda data: None)
    monkeypatch.setattr("gateway.xmlguard.Utf8Stream.feed", lambda self, data: None)
    document = encode(external_parameter_entity(str(file_canary.path)))

    with pytest.raises(XmlRefused):
        parse_frame(document, 65536)
    with pytest.raises(XmlRefused):
        StreamParser(65536).feed(document)

    assert not file_canary.opened.wait(0.2)


def test_even_past_the_scan_the_parser_never_reads_dev_zero(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(MarkupScanner, "feed", lambda self, data: None)

    refused = refusal(external_parameter_entity("/dev/zero"))

    assert refused.condition == "restricted-xml"
