"""Operators on different libraries' servers reach each other over s2s, and share co-op rooms."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from slixmpp import JID

from tests.integration.xmpp import operator


def _operator_jid(lab: dict[str, Any], domain: str, index: int = 0) -> str:
    site = next(s for s in lab["libraries"] + lab["coop_hosts"] if s["domain"] == domain)
    return str(site["operators"][index]["jid"])


async def test_alpha_operator_message_reaches_beta_operator_over_s2s(
    lab: dict[str, Any],
) -> None:
    ann, bea = _operator_jid(lab, "alpha.test"), _operator_jid(lab, "beta.test")
    body = f"Can you take a question about interlibrary loans? {uuid.uuid4()}"
    async with operator(lab, ann) as alpha, operator(lab, bea) as beta:
        alpha.xmpp.send_message(mto=JID(bea), mbody=body, mtype="chat")
        received = await beta.messages.wait_for(lambda m: m["body"] == body, timeout=15)
    assert received["from"].bare == ann
    assert received["type"] == "chat"


async def test_beta_operator_joins_local_coop_room_hosted_at_alpha_and_both_see_messages(
    lab: dict[str, Any],
) -> None:
    coop = next(c for c in lab["coops"] if c["id"] == "coop-local")
    assert coop["host"] == "alpha.test"
    ann, bea = _operator_jid(lab, "alpha.test"), _operator_jid(lab, "beta.test")
    async with operator(lab, ann) as alpha, operator(lab, bea) as beta:
        await alpha.xmpp.plugin["xep_0045"].join_muc_wait(coop["room"], "Ann", timeout=15)
        await beta.xmpp.plugin["xep_0045"].join_muc_wait(coop["room"], "Bea", timeout=15)
        from_beta, from_alpha = f"Bea here from Beta {uuid.uuid4()}", f"Hi Bea {uuid.uuid4()}"
        beta.xmpp.send_message(mto=JID(coop["room"]), mbody=from_beta, mtype="groupchat")
        seen_at_alpha = await alpha.groupchat.wait_for(lambda m: m["body"] == from_beta, 15)
        alpha.xmpp.send_message(mto=JID(coop["room"]), mbody=from_alpha, mtype="groupchat")
        seen_at_beta = await beta.groupchat.wait_for(lambda m: m["body"] == from_alpha, 15)
    assert seen_at_alpha["from"].resource == "Bea"
    assert seen_at_beta["from"].resource == "Ann"


async def test_gamma_operator_sees_every_component_of_every_site_in_service_discovery(
    lab: dict[str, Any],
) -> None:
    gus = _operator_jid(lab, "gamma.test")
    components = [
        (site["name"], name, jid)
        for site in lab["libraries"] + lab["coop_hosts"]
        for name, jid in site["components"].items()
    ]
    # four per library, coop.alpha, and the co-op host's queue and coop
    assert len(components) == 3 * 4 + 1 + 2
    async with operator(lab, gus) as gamma:
        disco = gamma.xmpp.plugin["xep_0030"]
        answers = await asyncio.gather(
            *(disco.get_info(jid=jid, timeout=15) for _, _, jid in components)
        )
    for (site_name, name, jid), answer in zip(components, answers, strict=True):
        info = answer["disco_info"]
        assert answer["from"] == jid
        assert [(c, t) for c, t, _, _ in info["identities"]] == [("component", "generic")]
        assert next(iter(info["identities"]))[3].startswith(site_name)
        assert f"urn:refdesk:{name}:0" in info["features"]
        assert "http://jabber.org/protocol/commands" in info["features"]
