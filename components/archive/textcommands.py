"""The archive's text commands, for clients without ad-hoc commands (Dino, Conversations):
a librarian opens a chat with archive.<library> and types `!transcripts [words]` to list the
newest chats they may read, `!transcript <id>` to read one. The same rules as everywhere:
a chat they may not read is answered as one that does not exist."""

from __future__ import annotations

from slixmpp import ComponentXMPP, Message

from components.archive.readers import Readers
from components.archive.transcripts_text import chat_label, transcript_text
from components.errors import xmpp_errors
from components.queue.textcommands import command, parse
from refdesk.db.stores.transcripts import Paging, Search
from refdesk.errors import InvalidInput, RefdeskError

LISTED = 10
HELP = "\n".join((
    f"{command('transcripts')} [words]: the newest chats you may read (with those words)",
    f"{command('transcript')} <id>: one chat in full",
))


class ArchiveText:
    def __init__(self, xmpp: ComponentXMPP, readers: Readers) -> None:
        self.xmpp, self.readers = xmpp, readers

    def register(self) -> None:
        self.xmpp.add_event_handler("message", self.on_message)

    @xmpp_errors
    async def on_message(self, message: Message) -> None:
        if (message["type"] not in ("chat", "normal") or message["to"].user
                or not message["body"]):
            return
        self._say(message, await self.answer(message["from"].bare, message["body"]))

    async def answer(self, asker: str, body: str) -> str:
        """The reply to one line; a refusal is said in the chat, readable in any client."""
        typed = parse(body)
        try:
            if typed is not None and typed.word == "transcripts":
                return await self._listing(asker, typed.rest)
            if typed is not None and typed.word == "transcript":
                return await self._one(asker, typed.rest)
        except RefdeskError as refused:
            return str(refused)
        return HELP

    async def _listing(self, asker: str, words: str) -> str:
        reader = await self.readers.reader(asker)
        page = await self.readers.store.search(reader.visible, Search(text=words or None),
                                               Paging(max=LISTED))
        if not page.items:
            return "No chat you may read matches."
        lines = [f"{chat.id}  {chat_label(chat)}" for chat in page.items]
        more = f" (the newest {len(lines)} shown)" if page.count > len(lines) else ""
        plural = "" if page.count == 1 else "s"
        return "\n".join([f"{page.count} chat{plural}{more}:", *lines,
                          f"Read one with {command('transcript')} <id>."])

    async def _one(self, asker: str, chat_id: str) -> str:
        if not chat_id:
            raise InvalidInput(f"Which chat? {command('transcript')} <id>")
        reader = await self.readers.reader(asker)
        chat = await self.readers.visible_chat(reader, chat_id.split()[0])
        return transcript_text(await self.readers.store.get(chat.id), reader.may(chat))

    def _say(self, message: Message, text: str) -> None:
        self.xmpp.make_message(mto=message["from"], mbody=text, mtype="chat",
                               mfrom=self.xmpp.boundjid.bare).send()
