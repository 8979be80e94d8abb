"""The co-op registry is the authority, and every library's queue follows it within seconds:
a non-contributing member's staff are never offered another library's chat, access taken
away at the registry or chat access switched off at home takes the claim away, and nobody
but a member library's queue reads who belongs to a co-op.

Gamma is a non-contributing member of the 24/7 co-op (refdesk.lab.sample); Beta contributes.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from functools import partial
from typing import Any

import pytest
from slixmpp import JID
from slixmpp.exceptions import IqError
from slixmpp.xmlstream import ET

from components.coop.wire import PUBSUB
from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.models import CoopLevel
from refdesk.db.stores.registry import RegistryStore
from tests.integration.chataccess import chat_switched_off, registry_says_chat
from tests.integration.queue import (
    asking,
    carrying,
    claim_by_command,
    claim_by_text,
    coop_room,
    database_url,
    join,
)
from tests.integration.xmpp import Inbox, Session, eventually, operator, patron

REFUSED = "There is no such chat, or it is not yours."
"""What the queue answers anyone a chat was not offered to: nothing about the chat."""


async def refused_claim(op: Session, chat: str) -> str:
    """`!claim` typed by someone who may not: the error's text, as their client shows it."""
    since = op.messages.mark()
    op.xmpp.send_message(mto=JID(chat), mbody="!claim", mtype="chat")
    error = await op.messages.wait_for(
        lambda m: m["from"] == chat and m["type"] == "error", since=since)
    return str(error["error"]["text"])


def removed_from(room: str, nick: str) -> Callable[[Any], bool]:
    """The room's presence telling an occupant they were removed: affiliation change (321)."""
    return lambda p: p["from"] == JID(f"{room}/{nick}") and p["type"] == "unavailable" and \
        "code=\"321\"" in str(p)


async def test_gamma_operator_is_not_offered_and_cannot_claim_alpha_chat_a_beta_operator_can(
    lab: dict[str, Any],
) -> None:
    room = coop_room(lab, "coop-247")
    async with (operator(lab, "bea@beta.test") as bea, operator(lab, "gil@gamma.test") as gil,
                patron(lab, "alpha.test") as pat):
        await join(bea, room, "Bea")
        await join(gil, room, "Gil")
        async with asking(pat, "alpha.test", "alpha-main", "Is the map room open?") as chat:
            offer = await bea.messages.wait_for(carrying("offer", chat), timeout=15)
            assert offer["type"] == "chat"  # to her directly: Gamma's staff share the room
            assert await refused_claim(gil, chat) == REFUSED
            with pytest.raises(IqError) as refused:
                await claim_by_command(gil, chat)
            assert refused.value.condition in ("forbidden", "item-not-found")
            offered_to_gil = [s for s in (*gil.messages.items, *gil.groupchat.items)
                              if carrying("offer", chat)(s)]
            assert offered_to_gil == []
            assert (await claim_by_text(bea, chat)).startswith("You claimed")
            since = pat.messages.mark()
            bea.xmpp.send_message(mto=JID(chat), mbody="!end", mtype="chat")
            await pat.messages.wait_for(carrying("ended"), since=since)


async def _registry(lab: dict[str, Any], action: str, *args: Any) -> None:
    """Change coop.test's registry database directly, as `refdesk coop` does."""
    engine = create_engine(database_url(lab, "coop.test"))
    try:
        await getattr(RegistryStore(create_sessionmaker(engine)), action)(*args)
    finally:
        await engine.dispose()


@contextlib.asynccontextmanager
async def access_revoked(lab: dict[str, Any], jid: str, nick: str) -> AsyncIterator[None]:
    await _registry(lab, "revoke", "coop-247", jid)
    try:
        yield
    finally:
        await _registry(lab, "grant", "coop-247", jid, nick, CoopLevel.REGULAR)


async def test_user_whose_coop_access_is_revoked_leaves_the_room_and_cannot_claim(
    lab: dict[str, Any],
) -> None:
    room = coop_room(lab, "coop-247")
    async with (operator(lab, "bea@beta.test") as bea, operator(lab, "ben@beta.test") as ben,
                patron(lab, "alpha.test") as pat):
        presences = Inbox.of_presences(ben.xmpp)
        await join(bea, room, "Bea")
        await join(ben, room, "Ben")
        async with access_revoked(lab, "ben@beta.test", "Ben"):
            await presences.wait_for(removed_from(room, "Ben"), timeout=10)
            async with asking(pat, "alpha.test", "alpha-main", "Where is the atlas?") as chat:
                await bea.messages.wait_for(carrying("offer", chat), timeout=15)
                assert await refused_claim(ben, chat) == REFUSED





async def test_library_switching_chat_access_off_makes_other_queues_refuse_the_users_claims(
    lab: dict[str, Any],
) -> None:
    room = coop_room(lab, "coop-247")
    async with (operator(lab, "bea@beta.test") as bea, operator(lab, "bo@beta.test") as bo,
                patron(lab, "alpha.test") as pat):
        presences = Inbox.of_presences(bo.xmpp)
        await join(bea, room, "Bea")
        await join(bo, room, "Bo")
        async with asking(pat, "alpha.test", "alpha-main", "Can I print in colour?") as chat:
            await bo.messages.wait_for(carrying("offer", chat), timeout=15)
            async with chat_switched_off(lab, "bo@beta.test"):
                await presences.wait_for(removed_from(room, "Bo"), timeout=10)
                assert await refused_claim(bo, chat) == REFUSED
        # Back on: the registry hears it from Beta again, as the next stories expect.
        await eventually(partial(registry_says_chat, lab, "bo@beta.test"))


async def _items(session: Session, registry: str, node: str) -> str:
    iq = session.xmpp.make_iq_get(ito=JID(registry))
    pubsub = ET.SubElement(iq.xml, f"{{{PUBSUB}}}pubsub")
    ET.SubElement(pubsub, f"{{{PUBSUB}}}items", {"node": node})
    try:
        await iq.send(timeout=15)
    except IqError as error:
        return str(error.condition)
    return "result"


async def test_a_patron_and_an_outsider_are_forbidden_to_read_who_belongs_to_a_coop(
    lab: dict[str, Any],
) -> None:
    async with patron(lab, "alpha.test") as pat, operator(lab, "gus@gamma.test") as gus:
        assert await _items(pat, "coop.alpha.test", "coop-local") == "forbidden"
        assert await _items(gus, "coop.coop.test", "coop-247") == "forbidden"
        assert await _items(gus, "coop.alpha.test", "coop-local") == "forbidden"
