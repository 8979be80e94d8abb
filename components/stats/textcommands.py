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
Check = Callable[[str], Awaitable[object]]
"""Refuses (NotPermitted) an asker who may see no report here, before anything is read."""


class ReportText:
    def __init__(self, xmpp: ComponentXMPP, answer: Answer, check: Check,
                 help_too: bool) -> None:
        """`help_too`: any other line is answered with the usage (where this is the
        component's only text command); otherwise left for the component's other ones."""
        self.xmpp, self.answer, self.check, self.help_too = xmpp, answer, check, help_too

    def register(self) -> None:
        self.xmpp.add_event_handler("message", self.on_message)

    @xmpp_errors
    async def on_message(self, message: Message) -> None:
        # People only: another component's message is never answered (no echo loops).
        if (message["type"] not in ("chat", "normal") or message["to"].user
                or not message["from"].user or not message["body"]):
            return
        typed = parse(message["body"])
        if (typed is None or typed.word != "report") and not self.help_too:
            return
        words = typed.rest if typed is not None and typed.word == "report" else None
        self._say(message, await self.reply(message["from"].bare, words))

    async def reply(self, asker: str, words: str | None) -> str:
        """The report, or why not, in words; None: the usage. Someone who may see no report
        here is told only that, whatever they typed."""
        try:
            await self.check(asker)
        except RefdeskError as refused:
            return str(refused)
        try:
            return USAGE if words is None else report_text(
                await self.answer(asker, read_words(words)))
        except RefdeskError as refused:
            return f"{refused}\n{USAGE}"

    def _say(self, message: Message, text: str) -> None:
        self.xmpp.make_message(mto=message["from"], mbody=text, mtype="chat",
                               mfrom=self.xmpp.boundjid.bare).send()
