"""email-transcript at the archive (schemas/archive.xsd): a home admin mails a chat's
transcript to an address. Anyone else, or a chat of another library, is answered as for a
chat that does not exist."""

from __future__ import annotations

from slixmpp import ComponentXMPP, Iq

from components.archive.access import may_manage
from components.archive.ticketactions import Library
from components.archive.ticketwire import register_stanzas
from components.errors import xmpp_errors
from components.iqroutes import register_iq_routes
from components.transcriptmail import transcript_mail
from refdesk.db.stores.chats import ChatRecord, ChatStore
from refdesk.errors import NotFound
from refdesk.mail import Mailer, checked_address

NO_CHAT = "There is no such chat."


class EmailTranscriptRequests:
    def __init__(self, xmpp: ComponentXMPP, library: Library, chats: ChatStore,
                 mailer: Mailer) -> None:
        self.xmpp, self.library, self.chats, self.mailer = xmpp, library, chats, mailer

    def register(self) -> None:
        register_stanzas()
        register_iq_routes(self.xmpp, {
            ("set", "archive_email_transcript"): self._handle_email_transcript})

    @xmpp_errors
    async def _handle_email_transcript(self, iq: Iq) -> None:
        wanted = iq["archive_email_transcript"]
        chat = await self._chat_for_admin(iq, wanted["id"] or "")
        to = checked_address(wanted["to"] or "")
        directory = self.library.directory
        widget = directory.widgets[chat.widget_id].name
        lines = await self.chats.transcript(chat.id)
        await self.mailer.send(transcript_mail(directory.name, widget, chat, lines, to))
        iq.reply().send()

    async def _chat_for_admin(self, iq: Iq, chat_id: str) -> ChatRecord:
        directory = self.library.directory
        admin = may_manage(directory, iq["from"].bare)
        if not admin or iq["to"].bare != self.xmpp.boundjid.bare or not chat_id:
            raise NotFound(NO_CHAT)
        try:
            chat = await self.chats.get(chat_id)
        except NotFound:
            raise NotFound(NO_CHAT) from None
        if chat.widget_id not in directory.widgets:
            raise NotFound(NO_CHAT)
        return chat
