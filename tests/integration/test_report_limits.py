"""Nobody can take a co-op's registry off its server with one request: a refusal quotes at
most a few words of what was sent, and the registry keeps answering (Prosody closes a
component's stream on a stanza over 512 KiB, and every co-op request would go with it)."""

from __future__ import annotations

import asyncio
from typing import Any

from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath
from slixmpp.xmlstream.stanzabase import StanzaBase

from tests.integration.contribution import dashboard
from tests.integration.xmpp import operator, patron

STATS = "urn:refdesk:stats:0"
REGISTRY = "coop.alpha.test"
HUGE_ZONE = ">" * 200_000
"""200 KB as sent (a > may stand unescaped in an attribute); each written back as &gt;
would be 800 KB."""


async def test_a_patrons_huge_time_zone_gets_a_short_refusal_and_the_registry_stays(
        lab: dict[str, Any]) -> None:
    async with patron(lab, "alpha.test") as pat:
        answered: asyncio.Future[StanzaBase] = asyncio.get_running_loop().create_future()

        def keep(iq: StanzaBase) -> None:
            if iq["id"] == "huge" and not answered.done():
                answered.set_result(iq)
        pat.xmpp.register_handler(Callback("the answer", MatchXPath("{jabber:client}iq"), keep))
        pat.xmpp.send_raw(f"<iq type='get' id='huge' to='{REGISTRY}'><dashboard "
                          f"xmlns='{STATS}' zone='{HUGE_ZONE}'/></iq>")
        refused = await asyncio.wait_for(answered, 15)

    assert (refused["type"], refused["error"]["condition"]) == ("error", "bad-request")
    assert len(refused["error"]["text"]) < 200
    async with operator(lab, "ann@alpha.test") as ann:
        assert (await dashboard(ann, REGISTRY)).tag == f"{{{STATS}}}dashboard"
