"""Operator actions, twice over: XEP-0050 ad-hoc commands (Gajim, poezio) and text commands
in the chat (Dino and the common Conversations builds have no ad-hoc commands).

Chat-specific commands (claim, transfer, end, followup) live at each chat's own JID; they
are answered for any chat-<id>@ JID rather than registered per chat. `queue` lists the
waiting chats at the queue's own JID.
"""

from __future__ import annotations

import logging
from typing import Any

from slixmpp import JID, ComponentXMPP, Iq, Message
from slixmpp.plugins.xep_0030.stanza.info import DiscoInfo
from slixmpp.plugins.xep_0030.stanza.items import DiscoItems

from components.errors import xmpp_errors_for
from components.queue import monitor_toggle, transfer
from components.queue.desk import Desk
from refdesk.errors import InvalidInput, RefdeskError

log = logging.getLogger(__name__)

COMMANDS_NS = "http://jabber.org/protocol/commands"
CHAT_COMMANDS = {
    "claim": "Claim this chat",
    "transfer": "Transfer this chat",
    "end": "End this chat",
    "followup": "Mark this chat for follow-up",
}
HELP = """Commands in a chat with the queue:
/claim — take this chat
/transfer <operator JID | department | co-op> [note] — hand it on
/end — end the chat
/followup [note] — open a follow-up ticket at the patron's library
/help — this list"""

Session = dict[str, Any]


def chat_id_of(jid: JID | None) -> str | None:
    """The chat id of a chat-<id>@queue.<library> JID."""
    if jid is None or not jid.user.startswith("chat-"):
        return None
    return str(jid.user[5:])


class Commands:
    def __init__(self, xmpp: ComponentXMPP, desk: Desk) -> None:
        self.xmpp, self.desk = xmpp, desk
        self._disco = xmpp.plugin["xep_0030"]
        self._adhoc = xmpp.plugin["xep_0050"]

    def register(self) -> None:
        self._adhoc.api.register(self._get_command, "get_command")
        self._disco.api.register(self._get_info, "get_info")
        self._disco.api.register(self._get_items, "get_items")
        self._adhoc.add_command(node="queue", name="Waiting chats", handler=self.command_queue)
        self._adhoc.add_command(node="monitoring", name="Monitoring",
                                handler=self.command_monitoring)

    # --- text commands ---------------------------------------------------------------------

    async def text(self, chat_id: str, message: Message, patron: bool) -> bool:
        """Run a /command sent in the chat; False when the message is not one.

        A patron's line starting with "/" is just text, except /end; a refused command is
        answered in the chat, readable in any client."""
        body = message["body"].strip()
        word, _, rest = body[1:].partition(" ")
        if not body.startswith("/") or (patron and word.lower() != "end"):
            return False
        try:
            reply = await self._run(word.lower(), chat_id, message["from"].bare, rest.strip())
        except RefdeskError as refused:
            reply = str(refused)
        self._say(chat_id, message["from"].full, reply)
        return True

    async def _run(self, word: str, chat_id: str, sender: str, rest: str) -> str:
        if word == "help":
            return HELP
        if word == "claim":
            chat = await self.desk.claim(chat_id, sender)
            return f"You claimed the chat. The patron asked: “{chat.question}”"
        if word == "end":
            await self.desk.end(chat_id, sender)
            return "You ended the chat."
        if word == "followup":
            ticket = await self.desk.follow_up(chat_id, sender, rest or None)
            return f"Follow-up ticket #{ticket} opened at {self.desk.directory.name}."
        if word == "transfer":
            wanted, _, note = rest.partition(" ")
            if not wanted:
                raise InvalidInput("Say where to: /transfer <operator JID | department | co-op>")
            label = await transfer.transfer(self.desk, chat_id, sender, wanted, note or None)
            return f"Transferred to {label}."
        raise InvalidInput(f"There is no /{word} command.\n{HELP}")

    def _say(self, chat_id: str, to: str, text: str) -> None:
        self.desk.outbox.chat_message(self.desk.chat_jid(chat_id), to, text).send()

    # --- ad-hoc commands -------------------------------------------------------------------

    async def _get_command(self, jid: JID | None, node: str | None, ifrom: JID | None,
                           args: Any) -> Any:
        if jid is None or chat_id_of(jid) is None:
            return self._adhoc.commands.get(((jid or self.xmpp.boundjid).full, node))
        if node not in CHAT_COMMANDS:
            return None
        handler = getattr(self, f"command_{node}")
        return (CHAT_COMMANDS[node], handler, None, 0)

    async def command_claim(self, iq: Iq, session: Session) -> Session:
        chat_id = chat_id_of(iq["to"]) or ""
        with xmpp_errors_for("claim command"):
            chat = await self.desk.claim(chat_id, iq["from"].bare)
        return _done(session, f"You claimed the chat. The patron asked: “{chat.question}”")

    async def command_end(self, iq: Iq, session: Session) -> Session:
        with xmpp_errors_for("end command"):
            await self.desk.end(chat_id_of(iq["to"]) or "", iq["from"].bare)
        return _done(session, "You ended the chat.")

    async def command_followup(self, iq: Iq, session: Session) -> Session:
        form = self.xmpp.plugin["xep_0004"].make_form("form", "Follow-up")
        form.add_field(var="note", ftype="text-multi", label="Note for the home library")
        session.update(payload=form, next=self._followup_submitted, has_next=False,
                       allow_complete=True, chat_id=chat_id_of(iq["to"]), by=iq["from"].bare)
        return session

    async def _followup_submitted(self, form: Any, session: Session) -> Session:
        note = form.get_values().get("note") or None
        if isinstance(note, list):
            note = "\n".join(note) or None
        with xmpp_errors_for("followup command"):
            ticket = await self.desk.follow_up(session["chat_id"], session["by"], note)
        return _done(session, f"Follow-up ticket #{ticket} opened.")

    async def command_transfer(self, iq: Iq, session: Session) -> Session:
        form = self.xmpp.plugin["xep_0004"].make_form("form", "Transfer")
        form.add_field(var="to", ftype="text-single", required=True,
                       label="Operator JID, department or co-op")
        form.add_field(var="note", ftype="text-single", label="Note for the patron")
        session.update(payload=form, next=self._transfer_submitted, has_next=False,
                       allow_complete=True, chat_id=chat_id_of(iq["to"]), by=iq["from"].bare)
        return session

    async def _transfer_submitted(self, form: Any, session: Session) -> Session:
        values = form.get_values()
        with xmpp_errors_for("transfer command"):
            label = await transfer.transfer(self.desk, session["chat_id"], session["by"],
                                            values.get("to") or "", values.get("note") or None)
        return _done(session, f"Transferred to {label}.")

    async def command_queue(self, iq: Iq, session: Session) -> Session:
        waiting = await self.desk.store.waiting()
        lines = [f"{i}. {self.desk.chat_jid(c.id)}: “{c.question}”"
                 for i, c in enumerate(waiting, start=1)]
        return _done(session, "\n".join(lines) or "Nobody is waiting.")

    async def command_monitoring(self, iq: Iq, session: Session) -> Session:
        """Which departments and co-ops you monitor; tick to start, untick to stop."""
        operator = iq["from"].bare
        rooms = monitor_toggle.monitorable(self.desk, operator)
        if not rooms:
            return _done(session, "There is no department or co-op here you may monitor.")
        form = self.xmpp.plugin["xep_0004"].make_form("form", "Monitoring")
        form["instructions"] = "\n".join(
            f"{label}: {monitor_toggle.state(self.desk, room, operator)}"
            for room, label in rooms.items())
        form.add_field(
            var="rooms", ftype="list-multi", label="Monitor",
            options=[{"label": label, "value": room} for room, label in rooms.items()],
            value=[room for room in rooms
                   if self.desk.monitoring.occupant(room, operator) is not None])
        session.update(payload=form, next=self._monitoring_submitted, has_next=False,
                       allow_complete=True, by=operator)
        return session

    async def _monitoring_submitted(self, form: Any, session: Session) -> Session:
        wanted = form.get_values().get("rooms") or []
        if isinstance(wanted, str):  # a submitted form carries no field types: one value
            wanted = [wanted]
        notes = await monitor_toggle.toggle(self.xmpp, self.desk, session["by"], set(wanted))
        return _done(session, "\n".join(notes) or "Nothing to change.")

    # --- service discovery of chat JIDs -----------------------------------------------------

    def _get_info(self, jid: JID | None, node: str | None, ifrom: JID | None,
                  data: Any) -> DiscoInfo:
        if chat_id_of(jid) is None:
            return self._disco.static.get_info(jid, node, ifrom, data) or DiscoInfo()
        info = DiscoInfo()
        info.add_identity("client", "bot", "refdesk chat")
        for feature in (COMMANDS_NS, "http://jabber.org/protocol/chatstates",
                        "urn:xmpp:receipts", "urn:refdesk:queue:0"):
            info.add_feature(feature)
        return info

    def _get_items(self, jid: JID | None, node: str | None, ifrom: JID | None,
                   data: Any) -> DiscoItems:
        if jid is None or chat_id_of(jid) is None:
            return self._disco.static.get_items(jid, node, ifrom, data) or DiscoItems()
        items = DiscoItems()
        if node == COMMANDS_NS:
            for command, name in CHAT_COMMANDS.items():
                items.add_item(jid, command, name)
        return items


def _done(session: Session, text: str) -> Session:
    session.update(payload=None, next=None, has_next=False, notes=[("info", text)])
    return session
