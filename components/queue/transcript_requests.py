"""A patron asks for their own transcript by email, at the chat's JID, once the chat has
ended (<email-transcript xmlns='urn:refdesk:queue:0' to='…'/>, schemas/queue.xsd).

Only the chat's patron may ask; anyone else is answered as for a chat that does not exist.
A chat's transcript goes out at most MAX_PER_CHAT times, and patrons' requests together at
most MAX_PER_HOUR an hour, so that the widget cannot be turned into a way to send mail.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Awaitable, Callable

from slixmpp import JID, ComponentXMPP, Iq
from slixmpp.xmlstream import ElementBase, register_stanza_plugin

from components.errors import xmpp_errors
from components.iqroutes import register_iq_routes
from components.queue.commands import chat_id_of
from components.queue.desk import Desk
from components.queue.stanzas import NS
from components.transcriptmail import transcript_mail
from refdesk.db.models import ChatState
from refdesk.db.stores.chats import ChatRecord
from refdesk.errors import Conflict, NotFound, Unavailable
from refdesk.mail import Mailer, checked_address

MAX_PER_CHAT = 2
MAX_PER_HOUR = 60
NO_CHAT = "There is no such chat."


class EmailTranscript(ElementBase):
    name = "email-transcript"
    namespace = NS
    plugin_attrib = "refdesk_email_transcript"
    interfaces = {"to"}  # noqa: RUF012 (slixmpp's stanza API)


def register_stanzas() -> None:
    register_stanza_plugin(Iq, EmailTranscript)


class MailQuota:
    """How many transcripts each chat has had mailed, and the library's last hour of them."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._per_chat: dict[str, int] = {}
        self._recent: deque[float] = deque()

    def take(self, chat_id: str) -> None:
        """Count one more; Conflict or Unavailable (nothing counted) past a limit."""
        now = self._clock()
        while self._recent and self._recent[0] <= now - 3600:
            self._recent.popleft()
        if self._per_chat.get(chat_id, 0) >= MAX_PER_CHAT:
            raise Conflict("This transcript has been emailed already.")
        if len(self._recent) >= MAX_PER_HOUR:
            raise Unavailable("Too many transcripts have been emailed in the last hour; "
                              "please try again later.")
        self._per_chat[chat_id] = self._per_chat.get(chat_id, 0) + 1
        self._recent.append(now)

    def give_back(self, chat_id: str) -> None:
        """The mail could not be sent: it does not count."""
        self._per_chat[chat_id] -= 1
        self._recent.pop()


class PatronTranscripts:
    def __init__(self, xmpp: ComponentXMPP, desk: Desk,
                 until_ready: Callable[[], Awaitable[None]], mailer: Mailer) -> None:
        self.xmpp, self.desk, self._until_ready, self.mailer = xmpp, desk, until_ready, mailer
        self.quota = MailQuota()

    def register(self) -> None:
        register_stanzas()
        register_iq_routes(self.xmpp, {
            ("set", "refdesk_email_transcript"): self._handle_email_transcript})

    @xmpp_errors
    async def _handle_email_transcript(self, iq: Iq) -> None:
        await self._until_ready()
        chat = await self._patrons_chat(iq)
        to = checked_address(iq["refdesk_email_transcript"]["to"] or "")
        if chat.state != ChatState.ENDED:
            raise Conflict("The transcript can be emailed once the chat has ended.")
        await self._send_counted(chat, to)
        iq.reply().send()

    async def _send_counted(self, chat: ChatRecord, to: str) -> None:
        """Send it within the quota; a mail that could not go out does not count."""
        self.quota.take(chat.id)
        directory = self.desk.directory
        lines = await self.desk.store.transcript(chat.id)
        mail = transcript_mail(directory.name, directory.widget(chat.widget_id).name, chat,
                               lines, to, for_patron=True)
        try:
            await self.mailer.send(mail)
        except Exception:
            self.quota.give_back(chat.id)
            raise

    async def _patrons_chat(self, iq: Iq) -> ChatRecord:
        chat_id = chat_id_of(iq["to"])
        if chat_id is None:
            raise NotFound(NO_CHAT)
        try:
            chat = await self.desk.get(chat_id)
        except NotFound:
            raise NotFound(NO_CHAT) from None
        if JID(chat.patron_jid).bare != iq["from"].bare:
            raise NotFound(NO_CHAT)
        return chat
