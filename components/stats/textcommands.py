"""`!report <kind> [from] [to] [co-op]` typed in a chat with stats.<library> or
coop.<host>, for clients without ad-hoc commands (Dino, Conversations): the same report as
the request's, as text."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from slixmpp import ComponentXMPP, Message
from slixmpp.xmlstream import ET

from components.errors import xmpp_errors
from components.queue.textcommands import parse
from components.stats.reporttext import USAGE, read_words, report_text
from components.stats.wire import ReportRequest
from refdesk.errors import RefdeskError

Answer = Callable[[str, ReportRequest], Awaitable[ET.Element]]
"""(asker's bare JID, request) -> the <report/>."""


class ReportText:
    def __init__(self, xmpp: ComponentXMPP, answer: Answer, help_too: bool) -> None:
        """`help_too`: any other line is answered with the usage (where this is the
        component's only text command); otherwise left for the component's other ones."""
        self.xmpp, self.answer, self.help_too = xmpp, answer, help_too

    def register(self) -> None:
        self.xmpp.add_event_handler("message", self.on_message)

    @xmpp_errors
    async def on_message(self, message: Message) -> None:
        # People only: another component's message is never answered (no echo loops).
        if (message["type"] not in ("chat", "normal") or message["to"].user
                or not message["from"].user or not message["body"]):
            return
        typed = parse(message["body"])
        if typed is None or typed.word != "report":
            if self.help_too:
                self._say(message, USAGE)
            return
        self._say(message, await self.reply(message["from"].bare, typed.rest))

    async def reply(self, asker: str, words: str) -> str:
        """The report, or why not, in words."""
        try:
            return report_text(await self.answer(asker, read_words(words)))
        except RefdeskError as refused:
            return f"{refused}\n{USAGE}"

    def _say(self, message: Message, text: str) -> None:
        self.xmpp.make_message(mto=message["from"], mbody=text, mtype="chat",
                               mfrom=self.xmpp.boundjid.bare).send()
