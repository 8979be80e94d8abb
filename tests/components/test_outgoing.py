"""A stanza the server would close the component's stream on is never written: an iq answer
becomes a short error to whoever asked, anything else is dropped."""

from __future__ import annotations

from slixmpp.xmlstream import ET

from components.outgoing import MAX_STANZA_BYTES, TOO_LARGE_TEXT, held_back

STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas"


def test_a_stanza_within_the_limit_goes_as_it_is() -> None:
    assert held_back(b'<iq type="result" id="1" to="a@b.test"/>') is None
    assert held_back(b"<message>" + b"x" * (MAX_STANZA_BYTES - 30) + b"</message>") is None


def test_an_iq_answer_too_large_becomes_an_error_to_whoever_asked() -> None:
    answer = (b'<iq xmlns="jabber:component:accept" id="r&quot;1" type="result" '
              b'to="ann@alpha.test/desk" from="stats.alpha.test"><report>'
              + b"&gt;" * MAX_STANZA_BYTES + b"</report></iq>")
    instead = held_back(answer)

    assert instead is not None
    error = ET.fromstring(instead)
    assert (error.get("type"), error.get("id"), error.get("to"), error.get("from")) == (
        "error", 'r"1', "ann@alpha.test/desk", "stats.alpha.test")
    assert error.find(f"*/{{{STANZAS}}}resource-constraint") is not None
    assert error.findtext(f"*/{{{STANZAS}}}text") == TOO_LARGE_TEXT


def test_anything_else_too_large_is_dropped() -> None:
    relayed = b'<message type="chat" to="p@guest.alpha.test">' + b"&gt;" * MAX_STANZA_BYTES
    request = b'<iq type="get" id="2">' + b"x" * MAX_STANZA_BYTES + b"</iq>"

    assert held_back(relayed + b"</message>") == b""
    assert held_back(request) == b""  # a request of ours is never that large; nothing to say
