"""Which JID a session bound, as the gateway learns it from the server's side of the stream:
the answer to the session's own resource binding, and nothing a stranger sends afterwards."""

from __future__ import annotations

import asyncio
from typing import Any

from gateway.upstream import Upstream

STREAM = (b"<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
          b" from='alpha.test' id='s1' version='1.0'>")
BIND = "urn:ietf:params:xml:ns:xmpp-bind"


def bind_result(jid: str, stanza_id: str) -> bytes:
    return (f"<iq type='result' id='{stanza_id}'><bind xmlns='{BIND}'><jid>{jid}</jid></bind>"
            "</iq>").encode()


async def bound_jids(*chunks: bytes) -> list[str]:
    reader = asyncio.StreamReader()
    for chunk in chunks:
        reader.feed_data(chunk)
    reader.feed_eof()
    writer: Any = None  # never written to here
    upstream = Upstream(reader, writer)
    bound: list[str] = []
    upstream.on_bound = bound.append
    async for _ in upstream.events():
        pass
    return bound


async def test_the_servers_answer_to_the_sessions_own_binding_is_believed() -> None:
    assert await bound_jids(STREAM, bind_result("x1@guest.alpha.test/web", "b1")) == [
        "x1@guest.alpha.test/web"]


async def test_a_bind_result_someone_sends_later_is_not_believed() -> None:
    # Another patron, knowing this session's JID, sends it an iq dressed as a bind result,
    # to have a block on themselves fall on this session instead.
    forged = bind_result("x2@guest.alpha.test/web", "b1")
    assert await bound_jids(STREAM, bind_result("x1@guest.alpha.test/web", "b1"),
                            forged, forged) == ["x1@guest.alpha.test/web"]
