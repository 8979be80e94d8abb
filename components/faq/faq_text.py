"""`!faq <words>` typed to faq.<library>, for clients without ad-hoc commands (Dino,
Conversations): the same search as the ad-hoc `search`, answered in the chat. Lines that
are not `!faq` are left to the other text commands of this component."""

from __future__ import annotations

from slixmpp import ComponentXMPP, Message

from components.errors import xmpp_errors
from components.faq.searches import Searches, results_text
from components.queue.textcommands import command, parse
from refdesk.errors import RefdeskError

LISTED = 5
WORD = "faq"
USAGE = f"{command(WORD)} <words>: the library's FAQs you may read that match, best first"


class FaqText:
    def __init__(self, xmpp: ComponentXMPP, searches: Searches) -> None:
        self.xmpp, self.searches = xmpp, searches

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
        self._say(message, await self.answer(message["from"].bare, typed.rest))

    async def answer(self, asker: str, words: str) -> str:
        """The reply; a refusal is said in the chat, readable in any client."""
        if not words.strip():
            return USAGE
        try:
            return results_text(await self.searches.find(asker, words, LISTED))
        except RefdeskError as refused:
            return str(refused)

    def _say(self, message: Message, text: str) -> None:
        self.xmpp.make_message(mto=message["from"], mbody=text, mtype="chat",
                               mfrom=self.xmpp.boundjid.bare).send()
