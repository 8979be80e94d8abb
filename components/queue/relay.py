"""The conversation: lines between patron and operator, through the chat's own JID.

Every line is written to the transcript before it is relayed, so nothing reaches the other
side that the transcript lacks; the patron never sees the operator's JID.
"""

from __future__ import annotations

import logging
from collections import OrderedDict

from slixmpp import JID, Message

from components.errors import error_condition
from components.queue.departures import Departures
from components.queue.desk import Desk
from components.queue.patron_input import MAX_MESSAGE_ID_CHARS, checked_line
from components.queue.staffwire import is_note
from components.queue.supervision import Supervision
from components.queue.textcommands import command
from refdesk.db.models import ChatState, EndedBy, Sender
from refdesk.db.stores.chats import ChatRecord

log = logging.getLogger(__name__)

CHAT_STATES = "http://jabber.org/protocol/chatstates"
RECEIPTS = "urn:xmpp:receipts"
SUPERVISING = (f"You are supervising this chat: the patron does not see what you type here. "
               f"Leave a note for staff with {command('note')} <text>.")
MAX_PREVIEWED = 10_000
"""(chat, librarian) pairs remembered as shown a preview; the oldest are forgotten."""


def chat_state(message: Message) -> str | None:
    """The XEP-0085 state a message carries (composing, active, …), if any."""
    for child in message.xml:
        if child.tag.startswith(f"{{{CHAT_STATES}}}"):
            return str(child.tag.split("}", 1)[1])
    return None


class Relay:
    def __init__(self, desk: Desk, departures: Departures, supervision: Supervision) -> None:
        self.desk = desk
        self.departures = departures
        self.supervision = supervision
        self._previewed: OrderedDict[tuple[str, str], None] = OrderedDict()

    async def message(self, chat: ChatRecord, message: Message) -> None:
        """A line or a chat state sent to the chat's JID by someone entitled to the chat."""
        if is_note(message):
            return  # a note is for staff (components.queue.notes); never relayed
        party = self.desk.party(chat, message["from"].full)
        if party == EndedBy.PATRON:
            await self._from_patron(chat, message)
        elif party == EndedBy.OPERATOR:
            self.departures.heard_from(chat.id, message["from"].full)
            await self._from_operator(chat, message)
        elif message["body"] and self.supervision.is_supervisor(chat.id,
                                                               message["from"].bare):
            self._reply(chat, message, SUPERVISING)
        elif message["body"]:
            self._reply(chat, message, self._not_yours(chat))
        else:
            self.preview_once(chat, message["from"].full)

    def preview_once(self, chat: ChatRecord, librarian: str) -> None:
        """A librarian opened the chat (their client sent a chat state or asked what it is):
        show the preview without their having to type first, once."""
        key = (chat.id, librarian)
        if chat.state != ChatState.WAITING or key in self._previewed:
            return
        self._previewed[key] = None
        while len(self._previewed) > MAX_PREVIEWED:
            self._previewed.popitem(last=False)
        self.desk.outbox.chat_message(self.desk.chat_jid(chat.id), librarian,
                                      self.desk.preview(chat).text()).send()

    async def bounce(self, chat: ChatRecord, message: Message) -> None:
        """A relayed line could not be delivered: tell the side that sent it. Only the
        recipient's own side may say so; an error from anyone else is ignored. A copy to a
        supervisor that bounced ends their supervision."""
        if self.supervision.bounced(chat.id, message["from"]):
            log.info("a copy of chat %s to its supervisor bounced; supervision ended", chat.id)
            return
        if chat.state != ChatState.ACTIVE or chat.claimed_by is None:
            return
        bounced_by = message["from"]
        if _from_side_of(bounced_by, chat.patron_jid):
            other, who = chat.claimed_by, "the patron"
        elif _from_side_of(bounced_by, chat.claimed_by):
            other, who = chat.patron_jid, "your librarian"
        else:
            log.info("ignoring an error about chat %s from %s", chat.id, bounced_by)
            return
        self.desk.outbox.chat_message(
            self.desk.chat_jid(chat.id), other,
            f"Your last message could not be delivered to {who}: "
            f"{error_condition(message)}.").send()

    async def _from_patron(self, chat: ChatRecord, message: Message) -> None:
        body, state = message["body"], chat_state(message)
        if chat.state not in (ChatState.WAITING, ChatState.ACTIVE):
            if body:
                self._reply(chat, message, "This chat has ended.")
            return
        seq = None
        if body:
            checked_line(body)
            line = await self.desk.store.append(chat.id, Sender.PATRON, body, chat.patron_jid,
                                                chat.patron_name, _message_id(message))
            self._receipt(chat, message)
            if line is None:
                return  # resent after a lost receipt: kept and relayed once already
            seq = line.seq
        if chat.state == ChatState.ACTIVE and chat.claimed_by:
            # Stamped with its transcript seq like the librarian's lines to the patron: a
            # client tells the patron's words from the queue's notices, and a line it also
            # got in the chat's history, by it.
            self._forward(chat, chat.claimed_by, body, state, seq)

    async def _from_operator(self, chat: ChatRecord, message: Message) -> None:
        body, state = message["body"], chat_state(message)
        if chat.state != ChatState.ACTIVE:
            if body:
                self._reply(chat, message, "This chat has ended.")
            return
        seq = None
        if body:
            checked_line(body)
            line = await self.desk.store.append(chat.id, Sender.OPERATOR, body, chat.claimed_by,
                                                chat.claimed_nick, _message_id(message))
            self._receipt(chat, message)
            if line is None:
                return
            seq = line.seq
        self._forward(chat, chat.patron_jid, body, state, seq)

    async def scripted(self, chat: ChatRecord, message: Message, name: str, text: str) -> None:
        """The library's script `name` sent by the operator holding the chat: their own line
        to the patron, kept in the transcript with the script's name."""
        self.departures.heard_from(chat.id, message["from"].full)
        line = await self.desk.store.append(chat.id, Sender.OPERATOR, text, chat.claimed_by,
                                            chat.claimed_nick, _message_id(message), script=name)
        self._receipt(chat, message)
        if line is not None:
            self._forward(chat, chat.patron_jid, text, None, line.seq)

    def _forward(self, chat: ChatRecord, to: str, body: str, state: str | None,
                 seq: int | None = None) -> None:
        if body or state:
            self.desk.outbox.chat_message(self.desk.chat_jid(chat.id), to, body or None,
                                          state, line=seq).send()

    def _receipt(self, chat: ChatRecord, message: Message) -> None:
        """XEP-0184: the line is safely in the transcript."""
        if message.xml.find(f"{{{RECEIPTS}}}request") is None or not message["id"]:
            return
        ack = self.desk.outbox.chat_message(self.desk.chat_jid(chat.id),
                                            message["from"].full, None)
        ack.xml.append(ack.xml.makeelement(f"{{{RECEIPTS}}}received", {"id": message["id"]}))
        ack.send()

    def _reply(self, chat: ChatRecord, message: Message, text: str) -> None:
        self.desk.outbox.chat_message(self.desk.chat_jid(chat.id), message["from"].full,
                                      text).send()

    def _not_yours(self, chat: ChatRecord) -> str:
        if chat.state == ChatState.WAITING:
            return self.desk.preview(chat).text()
        if chat.state == ChatState.ACTIVE:
            institution = self.desk.directory.institution_name(chat.claimed_institution or "")
            return f"This chat was taken by {chat.claimed_nick} ({institution})."
        return "This chat has ended."


def _from_side_of(sender: JID, party: str) -> bool:
    """Whether an error came from this party's client or from their own server."""
    party_jid = JID(party)
    return sender.bare == party_jid.bare or (not sender.user and sender.domain == party_jid.domain)


def _message_id(message: Message) -> str | None:
    """The sender's id, for de-duplicating a resent line; over-long ids are not kept."""
    message_id = message["id"] or None
    return message_id if message_id and len(message_id) <= MAX_MESSAGE_ID_CHARS else None
