"""What a librarian's client asks of the queue in urn:refdesk:console:0 (schemas/console.xsd):
the desk, the Patron Chats feed, transfer targets and transfer.

Privacy: the desk answers only the library's own operators; the feed only operators (of this
library, or users of a co-op it follows), and each sees only the chats the claim rules let
them see; a chat's transfer requests answer its claimant only, and anyone else exactly as
for a chat that does not exist.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from slixmpp import ComponentXMPP, Iq, Message, Presence
from slixmpp.xmlstream import ET

from components.errors import xmpp_errors
from components.iqroutes import register_iq_routes
from components.queue import transfer
from components.queue.commands import chat_id_of
from components.queue.console import chatview
from components.queue.console.deskinfo import desk_element
from components.queue.console.feed import Feeds
from components.queue.console.stanzas import element, register_stanzas
from components.queue.console.transfer_targets import targets_element
from components.queue.desk import Desk
from components.queue.transfer import TransferNotes
from refdesk.db.models import ChatState, EndedBy
from refdesk.db.stores.chats import ChatRecord
from refdesk.errors import Conflict, NotFound, NotPermitted

log = logging.getLogger(__name__)

NO_SUCH_CHAT = "There is no such chat."
NOT_STAFF = "The Patron Chats feed is for library staff."
REFRESH_DELAY_S = 0.5
"""After someone starts or stops monitoring, the feeds are brought up to date this long
later, once for a whole burst of presence."""


class ConsoleRequests:
    def __init__(self, xmpp: ComponentXMPP, desk: Desk,
                 until_ready: Callable[[], Awaitable[None]]) -> None:
        self.xmpp, self.desk, self._until_ready = xmpp, desk, until_ready
        self.feeds = Feeds(self._sees, self._render)
        self._refresh_due = False

    def register(self) -> None:
        register_stanzas()
        routes = {
            ("get", "console_desk"): self._handle_desk,
            ("set", "console_subscribe"): self._handle_subscribe,
            ("set", "console_unsubscribe"): self._handle_unsubscribe,
            ("get", "console_transfer_targets"): self._handle_transfer_targets,
            ("set", "console_transfer"): self._handle_transfer,
        }
        register_iq_routes(self.xmpp, routes)
        self.xmpp.add_event_handler("presence_unavailable", self.on_presence_unavailable)
        self.xmpp.add_event_handler("message_error", self.on_message_error)
        self.desk.observers.append(self._chat_changed)

    # --- the desk --------------------------------------------------------------------------

    @xmpp_errors
    async def _handle_desk(self, iq: Iq) -> None:
        self._to_queue(iq)
        await self._until_ready()
        reply = iq.reply()
        reply.append(desk_element(self.desk.directory, self.desk.coops, iq["from"].bare))
        reply.send()

    # --- the feed --------------------------------------------------------------------------

    @xmpp_errors
    async def _handle_subscribe(self, iq: Iq) -> None:
        self._to_queue(iq)
        await self._until_ready()
        subscriber = iq["from"].bare
        if not self._is_staff(subscriber):
            raise NotPermitted(NOT_STAFF)
        chats = [*await self.desk.store.waiting(), *await self.desk.store.active()]
        shown = self.feeds.subscribe(iq["from"].full, chats)
        reply = iq.reply()
        listed = element("chats", {"library": self.desk.directory.domain})
        listed.extend(shown)
        reply.append(listed)
        reply.send()

    @xmpp_errors
    async def _handle_unsubscribe(self, iq: Iq) -> None:
        self._to_queue(iq)
        self.feeds.unsubscribe(iq["from"].full)
        iq.reply().send()

    def on_presence_unavailable(self, presence: Presence) -> None:
        if not presence["to"].user and self.feeds.unsubscribe(presence["from"].full):
            log.debug("feed of %s ended: unavailable", presence["from"])

    def on_message_error(self, message: Message) -> None:
        """A push bounced: that console is gone."""
        if not message["to"].user and self.feeds.unsubscribe(message["from"].full):
            log.debug("feed of %s ended: a push bounced", message["from"])

    def _chat_changed(self, chat: ChatRecord) -> None:
        for subscriber, shown in self.feeds.changed(chat):
            push = self.xmpp.make_message(subscriber, mtype="headline",
                                          mfrom=self.xmpp.boundjid.bare)
            listed = element("chats", {"library": self.desk.directory.domain})
            listed.append(shown)
            push.append(listed)
            push.send()

    def monitoring_changed(self) -> None:
        """Someone entered, left or changed their availability in a room: which chats each
        feed may see can change with it (a console that joins a co-op room after a chat was
        offered there sees it; one that leaves no longer does)."""
        if self.feeds and not self._refresh_due:
            self._refresh_due = True
            asyncio.get_running_loop().call_later(
                REFRESH_DELAY_S, lambda: self.desk.spawn(self._refresh()))

    async def _refresh(self) -> None:
        self._refresh_due = False
        for chat in [*await self.desk.store.waiting(), *await self.desk.store.active()]:
            self._chat_changed(chat)

    def _is_staff(self, jid: str) -> bool:
        """An operator of this library, or a user of a co-op it follows."""
        return jid in self.desk.directory.operators or any(
            coop.user(jid) is not None for coop in self.desk.coops.values())

    def _sees(self, chat: ChatRecord, operator: str) -> bool:
        return chatview.sees(self.desk.entitlement, chat, operator)

    def _render(self, chat: ChatRecord, operator: str) -> ET.Element:
        return chatview.chat_element(self.desk.entitlement, chat, self.desk.chat_jid(chat.id),
                                     operator)

    # --- transfer --------------------------------------------------------------------------

    @xmpp_errors
    async def _handle_transfer_targets(self, iq: Iq) -> None:
        await self._claimed_by(iq)
        reply = iq.reply()
        reply.append(targets_element(self.desk, iq["from"].bare))
        reply.send()

    @xmpp_errors
    async def _handle_transfer(self, iq: Iq) -> None:
        chat = await self._claimed_by(iq)
        wanted = iq["console_transfer"]
        await transfer.transfer(self.desk, chat.id, iq["from"].bare, wanted["to"] or "",
                                TransferNotes(staff=wanted["note"] or None))
        iq.reply().send()

    async def _claimed_by(self, iq: Iq) -> ChatRecord:
        """The chat the iq is addressed to, for its claimant; to anyone else, no such chat."""
        chat_id = chat_id_of(iq["to"])
        if chat_id is None:
            raise NotFound(NO_SUCH_CHAT)
        await self._until_ready()
        chat = await self.desk.get(chat_id)
        if self.desk.party(chat, iq["from"].full) != EndedBy.OPERATOR:
            raise NotFound(NO_SUCH_CHAT)
        if chat.state != ChatState.ACTIVE:
            raise Conflict(f"This chat is {chat.state.value}: there is nothing to hand on.")
        return chat

    @staticmethod
    def _to_queue(iq: Iq) -> None:
        """Desk and feed requests go to the queue itself, never to a chat's JID."""
        if iq["to"].user:
            raise NotFound(NO_SUCH_CHAT)
