"""`!scripts`, typed in a chat with faq.<library>, for clients without ad-hoc commands (Dino,
Conversations): the library's scripted messages with their text, to staff of its co-ops.
Other lines are left to the faq component's other text commands."""

from __future__ import annotations

from slixmpp import ComponentXMPP, Message

from components.errors import xmpp_errors
from components.faq.scriptaccess import Scripts
from components.faq.scriptcommand import listing
from components.queue.textcommands import command, parse
from refdesk.errors import RefdeskError

WORD = "scripts"


class ScriptText:
    def __init__(self, xmpp: ComponentXMPP, scripts: Scripts) -> None:
        self.xmpp, self.scripts = xmpp, scripts

    def register(self) -> None:
        self.xmpp.add_event_handler("message", self.on_message)

    @xmpp_errors
    async def on_message(self, message: Message) -> None:
        if (message["type"] not in ("chat", "normal") or message["to"].user
                or not message["body"]):
            return
        typed = parse(message["body"])
        if typed is None or typed.word != WORD:
            return
        self.xmpp.make_message(mto=message["from"], mbody=await self.answer(message["from"].bare),
                               mtype="chat", mfrom=self.xmpp.boundjid.bare).send()

    async def answer(self, asker: str) -> str:
        """The reply; a refusal is said in the chat, readable in any client."""
        try:
            reader = await self.scripts.reader(asker)
            known = await self.scripts.store.list(reader.directory.institution_id)
        except RefdeskError as refused:
            return str(refused)
        return (f"{listing(known)}\nIn a chat with a patron of the library, send one with "
                f"{command('script')} <name>.")
