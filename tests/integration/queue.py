"""What the queue stories share: asking as a patron, watching rooms, claiming, the transcript."""

from __future__ import annotations

import asyncio
import contextlib
import tomllib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Any

import xmlschema
from slixmpp import JID, Iq
from slixmpp.exceptions import IqError, IqTimeout
from slixmpp.xmlstream import ET, tostring

from components.queue.stanzas import NS, register_stanzas
from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.stores.chats import ChatRecord, ChatStore, Line
from tests.integration.xmpp import Session, eventually

register_stanzas()
SCHEMA = xmlschema.XMLSchema(str(Path(__file__).parents[2] / "schemas" / "queue.xsd"))


def payload(stanza: Any, name: str) -> Any:
    """The urn:refdesk:queue:0 element `name` in a stanza, validated against the XSD."""
    element = stanza.xml.find(f"{{{NS}}}{name}")
    if element is not None:
        SCHEMA.validate(tostring(element))
    return element


def carrying(name: str, chat: str | None = None) -> Callable[[Any], bool]:
    """Matches a stanza with the payload `name` (about `chat`, for offer and taken)."""
    def match(stanza: Any) -> bool:
        element = payload(stanza, name)
        return element is not None and (chat is None or element.get("chat") == chat)
    return match


def site(lab: dict[str, Any], domain: str) -> dict[str, Any]:
    return next(s for s in lab["libraries"] + lab["coop_hosts"] if s["domain"] == domain)


def room(lab: dict[str, Any], domain: str, department: str) -> str:
    return str(next(d["room"] for d in site(lab, domain)["departments"]
                    if d["name"] == department))


def coop_room(lab: dict[str, Any], coop_id: str) -> str:
    return str(next(c["room"] for c in lab["coops"] if c["id"] == coop_id))


async def join(session: Session, room_jid: str, nick: str) -> None:
    """Enter a room, then wait until every queue in it that may count this operator there
    does: each hears the presence over its own route, s2s or not."""
    muc = session.xmpp.plugin["xep_0045"]
    # No room history: earlier stories' offers would only muddle this one's inbox.
    await muc.join_muc_wait(JID(room_jid), nick, maxstanzas=0, timeout=15)
    occupants = [muc.get_jid_property(JID(room_jid), other, "jid")
                 for other in muc.get_roster(JID(room_jid))]
    queues = {JID(occupant).domain for occupant in occupants
              if occupant and not JID(occupant).user and JID(occupant).domain.startswith("queue.")}
    for queue in sorted(queues):
        await eventually(partial(seen_in, session, queue, room_jid))


async def seen_in(session: Session, queue: str, room_jid: str) -> bool:
    """Whether `queue` has the operator in the room, as its `monitoring` command shows; True
    as well where the room is not one this operator may monitor at that queue."""
    shown = await command(session, queue, "monitoring")
    fields = shown["command"]["form"].get_fields()
    if "rooms" not in fields:
        return True
    rooms = fields["rooms"]
    if room_jid not in {option["value"] for option in rooms["options"]}:
        return True
    return room_jid in (rooms["value"] or [])  # a list with nothing ticked has no value


async def command(session: Session, jid: str, node: str, **kwargs: Any) -> Iq:
    """Run the ad-hoc command `node` at `jid` (XEP-0050): its first answer, or the next one
    with `action`, `payload` and `sessionid` given."""
    reply: Iq = await session.xmpp.plugin["xep_0050"].send_command(
        JID(jid), node, timeout=15, **kwargs)
    return reply


async def entry_answer(session: Session, room_jid: str, nick: str) -> Any:
    """Try to enter a room; the presence it answered with, an error or the user's own.
    Watched on the way in: slixmpp raises a room's error presence, which Prosody sends
    without the MUC element, as no event at all."""
    answered: asyncio.Future[Any] = asyncio.get_running_loop().create_future()

    def on_stanza(stanza: Any) -> Any:
        if (stanza.name == "presence" and stanza["from"].bare == room_jid
                and stanza["from"].resource == nick and not answered.done()):
            answered.set_result(stanza)
        return stanza

    session.xmpp.add_filter("in", on_stanza)
    try:
        attempt = session.xmpp.make_presence(pto=JID(f"{room_jid}/{nick}"))
        attempt.xml.append(ET.Element("{http://jabber.org/protocol/muc}x"))
        attempt.send()
        return await asyncio.wait_for(answered, 10)
    finally:
        session.xmpp.del_filter("in", on_stanza)


async def refused_entry(session: Session, room_jid: str, nick: str) -> str:
    """Try to enter a room that should refuse; the error condition it answered with."""
    presence = await entry_answer(session, room_jid, nick)
    assert presence["type"] == "error", f"{nick} entered {room_jid}: {presence}"
    return str(presence["error"]["condition"])


async def request(patron: Session, domain: str, widget: str, question: str,
                  **fields: str) -> Iq:
    iq = patron.xmpp.make_iq_set(ito=f"queue.{domain}")
    iq["refdesk_request"]["widget"], iq["refdesk_request"]["question"] = widget, question
    for key, value in fields.items():
        iq["refdesk_request"][key.replace("_", "-")] = value
    reply: Iq = await iq.send(timeout=15)
    return reply


@asynccontextmanager
async def asking(patron: Session, domain: str, widget: str, question: str,
                 **fields: str) -> AsyncIterator[str]:
    """Ask for a chat; leave it (cancel) afterwards if it is still waiting, so the shared
    lab's queue is as empty for the next story as it was for this one."""
    reply = await request(patron, domain, widget, question, **fields)
    chat = str(reply["refdesk_chat"]["jid"])
    # As the widget does: the patron's server will tell the chat when the connection ends.
    patron.xmpp.make_presence(pto=JID(chat)).send()
    try:
        yield chat
    finally:
        cancel = patron.xmpp.make_iq_set(ito=chat)
        cancel.enable("refdesk_cancel")
        with contextlib.suppress(IqError, IqTimeout):  # claimed or ended: nothing to leave
            await cancel.send(timeout=5)


async def claim_by_text(operator: Session, chat: str) -> str:
    """Type `!claim` in the chat, as in any client; the queue's answer."""
    since = operator.messages.mark()
    operator.xmpp.send_message(mto=JID(chat), mbody="!claim", mtype="chat")
    reply = await operator.messages.wait_for(
        lambda m: m["from"] == chat and m["body"].startswith("You cl"), since=since)
    return str(reply["body"])


async def claim_by_command(operator: Session, chat: str) -> Iq:
    return await command(operator, chat, "claim")


def notes(result: Iq) -> str:
    return " ".join(note for _, note in result["command"]["notes"])


def database_url(lab: dict[str, Any], domain: str) -> str:
    """The URL of a library's own database, from its deployment's settings."""
    config = tomllib.loads(Path(site(lab, domain)["config"]).read_text())
    return str(config["database"]["url"])


def chat_id(chat: str) -> str:
    """The chat's id at its home library, from its JID chat-<id>@queue.<library>."""
    return chat.split("@")[0].removeprefix("chat-")


async def chat_record(lab: dict[str, Any], chat: str) -> tuple[ChatRecord, list[Line]]:
    """The chat as its home library's database has it."""
    engine = create_engine(database_url(lab, chat.split("@queue.")[1]))
    try:
        store = ChatStore(create_sessionmaker(engine))
        return await store.get(chat_id(chat)), await store.transcript(chat_id(chat))
    finally:
        await engine.dispose()
