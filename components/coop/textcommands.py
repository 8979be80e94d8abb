"""The text commands typed in a chat with coop.<host>, for clients without ad-hoc commands
(Dino, Conversations). Every line gets exactly one answer: the command's, or the list of
commands for anything else. `!report` has a handler of its own (components/stats/
textcommands.py, shared with stats.<library>); it is left to it here, and listed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from slixmpp import ComponentXMPP, Message

from components.errors import xmpp_errors
from components.queue.textcommands import parse
from components.stats.reporttext import USAGE as REPORT_USAGE

Answer = Callable[[str, str], Awaitable[str]]
"""(the asker's bare JID, what followed the word) -> the reply."""

ANSWERED_ELSEWHERE = {"report": REPORT_USAGE}


class CoopTextCommands:
    def __init__(self, xmpp: ComponentXMPP) -> None:
        self.xmpp = xmpp
        self._answers: dict[str, Answer] = {}
        self._usage: list[str] = []

    def add(self, word: str, usage: str, answer: Answer) -> None:
        self._answers[word] = answer
        self._usage.append(usage)

    def register(self) -> None:
        self.xmpp.add_event_handler("message", self.on_message)

    @xmpp_errors
    async def on_message(self, message: Message) -> None:
        # People only: another component's message is never answered (no echo loops).
        if (message["type"] not in ("chat", "normal") or message["to"].user
                or not message["from"].user or not message["body"]):
            return
        typed = parse(message["body"])
        if typed is not None and typed.word in ANSWERED_ELSEWHERE:
            return
        answer = self._answers.get(typed.word) if typed is not None else None
        reply = "\n".join(self._usage + list(ANSWERED_ELSEWHERE.values())) \
            if answer is None or typed is None else await answer(message["from"].bare, typed.rest)
        self.xmpp.make_message(mto=message["from"], mbody=reply, mtype="chat",
                               mfrom=self.xmpp.boundjid.bare).send()
