"""The text commands typed in a chat with a component, for clients without ad-hoc commands
(Dino, Conversations): one handler for every line, so that each gets exactly one answer —
the command's, or the list of commands for anything else. A word another handler of the
same component answers (`answered_elsewhere`) is left to it, and listed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from slixmpp import ComponentXMPP, Message

from components.errors import xmpp_errors
from components.queue.textcommands import parse

Answer = Callable[[str, str], Awaitable[str]]
"""(the asker's bare JID, what followed the word) -> the reply."""


class TextCommands:
    def __init__(self, xmpp: ComponentXMPP,
                 answered_elsewhere: Mapping[str, str] | None = None) -> None:
        """`answered_elsewhere`: word -> its usage line, for words left to another handler."""
        self.xmpp = xmpp
        self._elsewhere = dict(answered_elsewhere or {})
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
        if typed is not None and typed.word in self._elsewhere:
            return
        answer = self._answers.get(typed.word) if typed is not None else None
        reply = "\n".join(self._usage + list(self._elsewhere.values())) \
            if answer is None or typed is None else await answer(message["from"].bare, typed.rest)
        self.xmpp.make_message(mto=message["from"], mbody=reply, mtype="chat",
                               mfrom=self.xmpp.boundjid.bare).send()
