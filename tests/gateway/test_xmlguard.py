"""The hardened parser: what RFC 6120 forbids is refused before parsing, streams are cut right."""

from __future__ import annotations

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
from tests.gateway.attacks import BILLION_LAUGHS, EXTERNAL_ENTITY

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
