"""Everything the queue says: offers, claim and end notices, queue status, relayed lines.

Each message has a body a person can read in any client, and the urn:refdesk:queue:0
payload a widget or a refdesk-aware client acts on.
"""

from __future__ import annotations

from dataclasses import dataclass

from slixmpp import ComponentXMPP, Message

from components.queue.textcommands import command

CHAT_STATES = "http://jabber.org/protocol/chatstates"
STANZA_IDS = "urn:xmpp:sid:0"


@dataclass(frozen=True)
class Preview:
    """What an operator may see of a chat before claiming it."""

    chat_jid: str
    library: str
    """The patron's library's domain."""
    library_name: str
    widget_id: str
    widget_name: str
    question: str
    referrer: str | None
    patron_name: str | None = None
    patron_email: str | None = None
    via: str | None = None
    """The co-op the chat reached this operator through, if any."""
    transfer: str | None = None
    """For a transferred chat: who handed it on, and their note for staff."""

    def contact_name(self) -> str:
        """How the chat's JID names itself in a librarian's client."""
        return f"{self.patron_name or 'Patron'} ({self.library_name}, {self.widget_name})"

    def text(self) -> str:
        via = f", via {self.via}" if self.via else ""
        kind = "Chat passed on" if self.transfer else "New chat"
        lines = [f"{kind} from {self.library_name} ({self.widget_name}{via}):"]
        if self.transfer:
            lines.append(self.transfer)
        if self.patron_name or self.patron_email:
            lines.append("Patron: " + " ".join(filter(None, (
                self.patron_name, f"<{self.patron_email}>" if self.patron_email else None))))
        lines.append(f"“{self.question}”")
        if self.referrer:
            lines.append(f"Asked on {self.referrer}")
        lines.append(f"Open xmpp:{self.chat_jid}?message and send {command('claim')} "
                     "to take it.")
        return "\n".join(lines)


class Outbox:
    """Sends the queue's messages, always with an explicit `from` (Prosody insists)."""

    def __init__(self, xmpp: ComponentXMPP, room_jid: str) -> None:
        self._xmpp = xmpp
        self._room_jid = room_jid
        """The queue's occupant JID in rooms."""

    def offer_to_room(self, room: str, preview: Preview, home: bool) -> None:
        message = self._xmpp.make_message(room, preview.text(), mtype="groupchat",
                                          mfrom=self._room_jid)
        self._offer_payload(message, preview, home=None)
        message.send()

    def offer_to_operator(self, operator: str, preview: Preview, home: bool) -> None:
        body = ("[Your library] " if home else "") + preview.text()
        message = self._xmpp.make_message(operator, body, mtype="chat", mfrom=preview.chat_jid)
        self._offer_payload(message, preview, home=home)
        message.send()

    def taken(self, to: str, chat_jid: str, nick: str, institution: str, room: bool) -> None:
        body = f"Chat {chat_jid} was taken by {nick} ({institution})."
        message = self._xmpp.make_message(
            to, body, mtype="groupchat" if room else "chat",
            mfrom=self._room_jid if room else chat_jid,
        )
        taken = message["refdesk_taken"]
        taken["chat"], taken["nick"], taken["institution"] = chat_jid, nick, institution
        message.send()

    def withdrawn(self, to: str, chat_jid: str, room: bool, why: str) -> None:
        """Nobody needs to claim the chat any more (the patron left, or gave up)."""
        body = f"Chat {chat_jid} is no longer waiting: {why}."
        message = self._xmpp.make_message(
            to, body, mtype="groupchat" if room else "chat",
            mfrom=self._room_jid if room else chat_jid,
        )
        message["refdesk_withdrawn"]["chat"] = chat_jid
        message.send()

    def chat_message(self, chat_jid: str, to: str, body: str | None,
                     state: str | None = None, line: int | None = None) -> Message:
        """A line (or a bare chat state) from the chat's JID; the caller adds payloads.
        `line` stamps the transcript's seq as an XEP-0359 stanza-id, which the patron's
        widget names when it resumes the chat."""
        message = self._xmpp.make_message(to, body, mtype="chat", mfrom=chat_jid)
        if state:
            message.xml.append(message.xml.makeelement(f"{{{CHAT_STATES}}}{state}", {}))
        if line is not None:
            message.xml.append(message.xml.makeelement(
                f"{{{STANZA_IDS}}}stanza-id", {"id": str(line), "by": chat_jid}))
        return message

    def claimed(self, chat_jid: str, patron: str, nick: str, institution: str) -> None:
        message = self.chat_message(
            chat_jid, patron, f"{nick} from {institution} has joined the chat.")
        message["refdesk_claimed"]["nick"] = nick
        message["refdesk_claimed"]["institution"] = institution
        message.send()

    def queue_status(self, chat_jid: str, patron: str, position: int, wait_s: int) -> None:
        body = f"You are number {position} in the queue; estimated wait {wait_s} seconds."
        message = self.chat_message(chat_jid, patron, body)
        message["refdesk_queue_status"]["position"] = position
        message["refdesk_queue_status"]["time"] = wait_s
        message.send()

    def ended(self, chat_jid: str, to: str, by: str, body: str) -> None:
        message = self.chat_message(chat_jid, to, body)
        message["refdesk_ended"]["by"] = by
        message.send()

    def requeued(self, chat_jid: str, patron: str, reason: str, body: str) -> None:
        message = self.chat_message(chat_jid, patron, body)
        message["refdesk_requeued"]["reason"] = reason
        message.send()

    def transferred(self, chat_jid: str, patron: str, to_label: str, note: str | None) -> None:
        body = f"You are being transferred to {to_label}."
        if note:
            body += f" {note}"
        message = self.chat_message(chat_jid, patron, body)
        message["refdesk_transferred"]["to"] = to_label
        if note:
            message["refdesk_transferred"]["note"] = note
        message.send()

    @staticmethod
    def _offer_payload(message: Message, preview: Preview, home: bool | None) -> None:
        offer = message["refdesk_offer"]
        offer["chat"], offer["library"] = preview.chat_jid, preview.library
        offer["widget"] = preview.widget_id
        if home:
            offer["home"] = "true"
        if preview.transfer:
            offer["transfer"] = "true"
