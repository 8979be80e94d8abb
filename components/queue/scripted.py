"""Sending one of the library's scripted messages into a chat: an operator's message carrying
<send-script name='…' xmlns='urn:refdesk:faq:0'/> (the console), or `!script <name>` typed in
the chat (any client). Only the operator who holds the chat may send one, as with any line of
theirs. The text is the patron's library's own, read from its database (never the message's
body); it reaches the patron as that operator's line and the transcript keeps the script's
name. A name that is not a script, or `!script` alone, is answered to the operator only
with the library's scripts: nothing reaches the patron.
"""

from __future__ import annotations

from dataclasses import dataclass

from slixmpp import Message

from components.queue.desk import Desk
from components.queue.relay import Relay
from components.queue.textcommands import command, parse
from refdesk.db.models import ChatState, EndedBy
from refdesk.db.stores.chats import ChatRecord
from refdesk.db.stores.scripts import ScriptRecord, ScriptStore
from refdesk.errors import NotFound, RefdeskError

FAQ_NS = "urn:refdesk:faq:0"
WORD = "script"
NOT_YOURS = "Only the librarian who holds this chat may send a script into it."


@dataclass(frozen=True)
class Wanted:
    name: str
    """Empty when the operator asked which scripts there are."""
    typed: bool
    """Typed as `!script` (a stock client, which shows the operator only what they typed)."""


def wanted(message: Message) -> Wanted | None:
    """The script a message asks to send, if it asks for one."""
    element = message.xml.find(f"{{{FAQ_NS}}}send-script")
    if element is not None:
        return Wanted(element.get("name", "").strip(), typed=False)
    typed = parse(message["body"]) if message["body"] else None
    if typed is None or typed.word != WORD:
        return None
    return Wanted(typed.rest.split(maxsplit=1)[0] if typed.rest else "", typed=True)


class ScriptSending:
    def __init__(self, desk: Desk, relay: Relay, scripts: ScriptStore) -> None:
        self.desk, self.relay, self.scripts = desk, relay, scripts

    async def handle(self, chat: ChatRecord, message: Message) -> bool:
        """Send the script a message asks for; False when it asks for none (or comes from
        the patron, whose lines are only ever text)."""
        asked = wanted(message)
        sender = message["from"].full
        if asked is None or self.desk.party(chat, sender) == EndedBy.PATRON:
            return False
        try:
            said = await self._send(chat, message, asked)
        except RefdeskError as refused:
            said = str(refused)
        if said:
            self.desk.outbox.chat_message(self.desk.chat_jid(chat.id), sender, said).send()
        return True

    async def _send(self, chat: ChatRecord, message: Message, asked: Wanted) -> str | None:
        """What to tell the operator, if anything."""
        if self.desk.party(chat, message["from"].full) != EndedBy.OPERATOR:
            return NOT_YOURS
        if chat.state != ChatState.ACTIVE:
            return "This chat has ended."
        library = self.desk.directory.institution_id
        if not asked.name:
            return await self._listing("")
        try:
            script = await self.scripts.get(library, asked.name)
        except NotFound:
            return await self._listing(f"There is no script {asked.name!r}. ")
        await self.relay.scripted(chat, message, script.name, script.text)
        return f"Sent {script.name}: {script.text}" if asked.typed else None

    async def _listing(self, before: str) -> str:
        known = await self.scripts.list(self.desk.directory.institution_id)
        if not known:
            return f"{before}{self.desk.directory.name} has no scripts."
        return (f"{before}Scripts of {self.desk.directory.name}: {_names(known)}. "
                f"Send one with {command(WORD)} <name>; the patron sees its text as your "
                "line.")


def _names(scripts: list[ScriptRecord]) -> str:
    return ", ".join(script.name for script in scripts)
