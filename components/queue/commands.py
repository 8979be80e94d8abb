"""Operator actions, twice over: XEP-0050 ad-hoc commands (Gajim, poezio) and text commands
in the chat (Dino and the common Conversations builds have no ad-hoc commands).

Chat-specific commands (claim, transfer, end, followup; supervise and block for a library's
admins and a chat's claimant) live at each chat's own JID, and are offered only for chats that
exist, to staff entitled to them. `queue` (waiting chats) and
`monitoring` live at the queue's own JID.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slixmpp import JID, ComponentXMPP, Iq, Message
from slixmpp.plugins.xep_0030.stanza.info import DiscoInfo
from slixmpp.plugins.xep_0030.stanza.items import DiscoItems

from components.adhoc_sessions import BoundedSessions
from components.errors import command_errors
from components.forms import add_text
from components.queue import blocking, ending, monitor_toggle, transfer
from components.queue.departures import Departures
from components.queue.desk import Desk
from components.queue.notes import note as keep_note
from components.queue.staffwire import line_text
from components.queue.supervision import Supervision
from components.queue.textcommands import TextCommand, command, parse
from components.queue.transfer import TransferNotes
from refdesk.db.models import ChatState, EndedBy
from refdesk.db.stores.blocks import BlockStore
from refdesk.db.stores.chats import ChatRecord
from refdesk.errors import InvalidInput, RefdeskError

log = logging.getLogger(__name__)

COMMANDS_NS = "http://jabber.org/protocol/commands"
CHAT_COMMANDS = {
    "claim": "Claim this chat",
    "transfer": "Transfer this chat",
    "end": "End this chat",
    "followup": "Mark this chat for follow-up",
    "supervise": "Supervise this chat silently",
    "block": "Block this patron",
}
PATRON_NOTE = "patron:"
"""In `!transfer <where> [note]`, what follows this is for the patron, not for staff."""
KNOWLEDGE_WORDS = frozenset({"faq", "policy", "scripts"})
"""The faq component's text commands, typed into a patron's chat by a slip of the window."""
HELP = f"""Commands in a chat with the queue (type them as shown):
{command('claim')} — take this chat
{command('transfer')} <department | co-op | operator JID> [note for staff] [{PATRON_NOTE} note \
for the patron] — hand it on
{command('end')} — end the chat
{command('followup')} [note] — open a follow-up ticket at the patron's library
{command('note')} <text> — an internal note for staff, never shown to the patron
{command('script')} <name> — send the patron's library's scripted message as your line \
({command('script')} alone lists them)
{command('supervise')}, {command('unsupervise')} — (the library's admins) watch the chat \
silently, with a copy of every line; notes with {command('note')}
{command('block')} <minutes> <reason> — end the chat and refuse this patron for that long
{command('help')} — this list"""
SUPERVISING = (f"You are supervising this chat silently: every line comes to you as a copy, "
               f"the patron is not told. {command('note')} <text> leaves a note for staff; "
               f"{command('unsupervise')} stops.")

Session = dict[str, Any]


def chat_id_of(jid: JID | None) -> str | None:
    """The chat id of a chat-<id>@queue.<library> JID."""
    if jid is None or not jid.user.startswith("chat-"):
        return None
    return str(jid.user[5:])


class Commands:
    def __init__(self, xmpp: ComponentXMPP, desk: Desk, departures: Departures,
                 opened: Callable[[str, JID], None], supervision: Supervision,
                 blocks: BlockStore) -> None:
        self.xmpp, self.desk, self.departures = xmpp, desk, departures
        self.supervision, self.blocks = supervision, blocks
        self._opened = opened
        """Called when someone's client asks what a chat's JID is: it is being opened."""
        self._disco = xmpp.plugin["xep_0030"]
        self._adhoc = xmpp.plugin["xep_0050"]

    def register(self) -> None:
        self._adhoc.set_backend(BoundedSessions())
        self._adhoc.api.register(self._get_command, "get_command")
        self._disco.api.register(self._get_info, "get_info")
        self._disco.api.register(self._get_items, "get_items")
        self._advertise()
        # slixmpp's ad-hoc plugin empties the advertised list at every session bind.
        self.xmpp.add_event_handler("session_bind", lambda _: self._advertise())

    def _advertise(self) -> None:
        self._adhoc.add_command(node="queue", name="Waiting chats", handler=self.command_queue)
        self._adhoc.add_command(node="monitoring", name="Monitoring",
                                handler=self.command_monitoring)

    # --- text commands ---------------------------------------------------------------------

    async def text(self, chat: ChatRecord, message: Message) -> bool:
        """Run a text command sent in the chat; False when the message is not one.

        A patron's line is only ever text, except an explicit end; a refused command is
        answered in the chat, readable in any client."""
        typed = parse(message["body"])
        if typed is None:
            return False
        if self.desk.party(chat, message["from"].full) == EndedBy.PATRON and typed.word != "end":
            return False
        try:
            reply = await self._run(typed, chat.id, message["from"])
        except RefdeskError as refused:
            reply = str(refused)
        self._say(chat.id, message["from"].full, reply)
        return True

    async def _run(self, typed: TextCommand, chat_id: str, sender_jid: JID) -> str:
        sender = sender_jid.bare
        if typed.word == "help":
            return HELP
        if typed.word == "claim":
            return await self.claim(chat_id, sender_jid)
        if typed.word == "end":
            chat = await self.desk.get(chat_id)
            if chat.state == ChatState.WAITING and self.desk.party(chat, sender) is not None:
                await ending.cancel(self.desk, chat_id, sender, "the patron cancelled")
                return "You left the queue."
            await ending.end(self.desk, chat_id, sender)
            return "You ended the chat."
        if typed.word == "followup":
            ticket = await ending.follow_up(self.desk, chat_id, sender, typed.rest or None)
            return f"Follow-up ticket #{ticket} opened at {self.desk.directory.name}."
        if typed.word == "note":
            await keep_note(self.supervision, chat_id, sender_jid, typed.rest)
            return "Note kept for staff; the patron does not see it."
        if typed.word in ("supervise", "unsupervise", "block"):
            return await self._staff(typed, chat_id, sender_jid)
        if typed.word == "transfer":
            wanted, notes = self._transfer_arguments(typed.rest, sender)
            label = await transfer.transfer(self.desk, chat_id, sender, wanted, notes)
            return f"Transferred to {label}."
        if typed.word in KNOWLEDGE_WORDS:
            faq = f"faq.{self.desk.directory.domain}"
            raise InvalidInput(f"{command(typed.word)} is asked of {faq}, not of a chat: open "
                               f"a chat with {faq} and type it there.")
        raise InvalidInput(f"There is no {command(typed.word)} command.\n{HELP}")

    async def _staff(self, typed: TextCommand, chat_id: str, who: JID) -> str:
        """Supervision and blocking, as their console requests do them."""
        if typed.word == "supervise":
            await self.supervision.supervise(chat_id, who)
            return SUPERVISING
        if typed.word == "unsupervise":
            await self.supervision.unsupervise(chat_id, who)
            return "You stopped supervising this chat."
        minutes, _, reason = typed.rest.partition(" ")
        return await self.block(chat_id, who, minutes, reason)

    async def block(self, chat_id: str, who: JID, minutes: str, reason: str) -> str:
        record = await blocking.block(self.supervision, self.blocks, chat_id, who,
                                      *blocking.checked_block(minutes, reason))
        return (f"You blocked the patron until {blocking.shown(record.until)}: "
                f"{record.reason}")

    def _transfer_arguments(self, rest: str, sender: str) -> tuple[str, TransferNotes]:
        if not rest:
            raise InvalidInput(f"Say where to: {command('transfer')} <department | co-op | "
                               "operator JID> [note]. "
                               + transfer.online_summary(self.desk, sender))
        wanted, notes = transfer.split_destination(self.desk, rest)
        staff, _, patron = notes.partition(PATRON_NOTE)
        return wanted, TransferNotes(staff.strip() or None, patron.strip() or None)

    async def claim(self, chat_id: str, operator: JID) -> str:
        """Claim; the reply gives the question and whatever was said since."""
        chat, earlier = await self.desk.claim(chat_id, operator.bare)
        self.departures.heard_from(chat_id, operator.full)
        lines = [f"You claimed the chat. The patron asked: “{chat.question}”"]
        if earlier:
            lines.append("So far:")
            lines.extend(line_text(line) for line in earlier)
        return "\n".join(lines)

    def _say(self, chat_id: str, to: str, text: str) -> None:
        self.desk.outbox.chat_message(self.desk.chat_jid(chat_id), to, text).send()

    # --- ad-hoc commands -------------------------------------------------------------------

    async def _get_command(self, jid: JID | None, node: str | None, ifrom: JID | None,
                           args: Any) -> Any:
        chat_id = chat_id_of(jid)
        if jid is None or chat_id is None:
            return self._adhoc.commands.get(((jid or self.xmpp.boundjid).full, node))
        if node not in CHAT_COMMANDS or ifrom is None or not await self._entitled(chat_id, ifrom):
            return None  # item-not-found: no such chat, or not one of yours
        return (CHAT_COMMANDS[node], getattr(self, f"command_{node}"), None, 0)

    async def _entitled(self, chat_id: str, who: JID) -> bool:
        try:
            await self.desk.get_for(chat_id, who.full)
        except RefdeskError:
            return False
        return True

    async def command_claim(self, iq: Iq, session: Session) -> Session:
        with command_errors("claim command"):
            text = await self.claim(chat_id_of(iq["to"]) or "", iq["from"])
        return _done(session, text)

    async def command_end(self, iq: Iq, session: Session) -> Session:
        with command_errors("end command"):
            await ending.end(self.desk, chat_id_of(iq["to"]) or "", iq["from"].bare)
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
        with command_errors("followup command"):
            ticket = await ending.follow_up(self.desk, session["chat_id"], session["by"], note)
        return _done(session, f"Follow-up ticket #{ticket} opened.")

    async def command_transfer(self, iq: Iq, session: Session) -> Session:
        form = self.xmpp.plugin["xep_0004"].make_form("form", "Transfer")
        with command_errors("transfer command"):
            options = [{"label": d.staff_label, "value": d.target.ref}
                       for d in transfer.online_destinations(self.desk, iq["from"].bare)]
        form.add_field(var="to", ftype="list-single", required=True, options=options,
                       label="Transfer to (online now)")
        form.add_field(var="staff_note", ftype="text-single", label="Note for staff")
        form.add_field(var="patron_note", ftype="text-single", label="Note for the patron")
        session.update(payload=form, next=self._transfer_submitted, has_next=False,
                       allow_complete=True, chat_id=chat_id_of(iq["to"]), by=iq["from"].bare)
        return session

    async def _transfer_submitted(self, form: Any, session: Session) -> Session:
        values = form.get_values()
        notes = TransferNotes(values.get("staff_note") or None,
                              values.get("patron_note") or None)
        with command_errors("transfer command"):
            label = await transfer.transfer(self.desk, session["chat_id"], session["by"],
                                            values.get("to") or "",
                                            notes)
        return _done(session, f"Transferred to {label}.")

    async def command_supervise(self, iq: Iq, session: Session) -> Session:
        with command_errors("supervise command"):
            await self.supervision.supervise(chat_id_of(iq["to"]) or "", iq["from"])
        return _done(session, SUPERVISING)

    async def command_block(self, iq: Iq, session: Session) -> Session:
        form = self.xmpp.plugin["xep_0004"].make_form("form", "Block this patron")
        form.add_field(var="minutes", ftype="text-single", required=True, value="60",
                       label=f"For how many minutes (1 to {blocking.MAX_MINUTES})")
        form.add_field(var="reason", ftype="text-single", required=True,
                       label="Reason (kept with the block)")
        session.update(payload=form, next=self._block_submitted, has_next=False,
                       allow_complete=True, chat_id=chat_id_of(iq["to"]), by=iq["from"])
        return session

    async def _block_submitted(self, form: Any, session: Session) -> Session:
        values = form.get_values()
        with command_errors("block command"):
            text = await self.block(session["chat_id"], session["by"],
                                    str(values.get("minutes") or ""),
                                    str(values.get("reason") or ""))
        return _done(session, text)

    async def command_queue(self, iq: Iq, session: Session) -> Session:
        with command_errors("queue command"):
            waiting = await self.desk.waiting_for(iq["from"].bare)
        lines = [f"{i}. {self.desk.chat_jid(c.id)}: “{c.question}”"
                 for i, c in enumerate(waiting, start=1)]
        return _done(session, "\n".join(lines) or "Nobody is waiting for you.")

    async def command_monitoring(self, iq: Iq, session: Session) -> Session:
        """Which departments and co-ops you monitor; tick to start, untick to stop."""
        operator = iq["from"].bare
        rooms = monitor_toggle.monitorable(self.desk, operator)
        if not rooms:
            return _done(session, "There is no department or co-op here you may monitor.")
        form = self.xmpp.plugin["xep_0004"].make_form("form", "Monitoring")
        add_text(form, "\n".join(
            f"{label}: {monitor_toggle.state(self.desk, room, operator)}"
            for room, label in rooms.items()))
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
        chat_id = chat_id_of(jid)
        if chat_id is None:
            return self._disco.static.get_info(jid, node, ifrom, data) or DiscoInfo()
        if ifrom is not None and not node:  # slixmpp hands an absent node over as ""
            self._opened(chat_id, ifrom)
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
            for name, label in CHAT_COMMANDS.items():
                items.add_item(jid, name, label)
        return items


def _done(session: Session, text: str) -> Session:
    session.update(payload=None, next=None, has_next=False, notes=[("info", text)])
    return session
