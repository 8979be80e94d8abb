"""What staff ask of a chat's JID beyond the operator protocol (urn:refdesk:console:0):
its history, supervising it, blocking its patron; and internal notes sent to it.

Everyone not entitled gets the answer a chat that does not exist gets, and learns nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from slixmpp import ComponentXMPP, Iq, Message

from components.errors import xmpp_errors
from components.iqroutes import register_iq_routes
from components.queue import blocking, notes
from components.queue.commands import chat_id_of
from components.queue.console.stanzas import register_stanzas
from components.queue.staffwire import line_element
from components.queue.supervision import NO_SUCH_CHAT, Supervision
from refdesk.db.stores.blocks import BlockStore
from refdesk.errors import NotFound


class StaffRequests:
    def __init__(self, xmpp: ComponentXMPP, supervision: Supervision, blocks: BlockStore,
                 until_ready: Callable[[], Awaitable[None]]) -> None:
        self.xmpp, self.supervision, self.blocks = xmpp, supervision, blocks
        self._until_ready = until_ready

    def register(self) -> None:
        register_stanzas()
        routes = {
            ("get", "console_history"): self._handle_history,
            ("set", "console_supervise"): self._handle_supervise,
            ("set", "console_unsupervise"): self._handle_unsupervise,
            ("set", "console_block"): self._handle_block,
        }
        register_iq_routes(self.xmpp, routes)

    @xmpp_errors
    async def _handle_history(self, iq: Iq) -> None:
        await self._until_ready()
        chat_id = _chat_id(iq)
        await self.supervision.staff_chat(chat_id, iq["from"])
        reply = iq.reply()
        history = reply["console_history"]
        for line in await self.supervision.desk.store.transcript(chat_id):
            history.xml.append(line_element(line))
        reply.send()

    @xmpp_errors
    async def _handle_supervise(self, iq: Iq) -> None:
        await self._until_ready()
        await self.supervision.supervise(_chat_id(iq), iq["from"])
        iq.reply().send()

    @xmpp_errors
    async def _handle_unsupervise(self, iq: Iq) -> None:
        await self._until_ready()
        await self.supervision.unsupervise(_chat_id(iq), iq["from"])
        iq.reply().send()

    @xmpp_errors
    async def _handle_block(self, iq: Iq) -> None:
        await self._until_ready()
        chat_id = _chat_id(iq)
        await self.supervision.staff_chat(chat_id, iq["from"])  # strangers learn nothing
        asked = iq["console_block"]
        minutes, reason = blocking.checked_block(asked["minutes"], asked["reason"])
        await blocking.block(self.supervision, self.blocks, chat_id, iq["from"], minutes,
                             reason)
        iq.reply().send()

    @xmpp_errors
    async def handle_note(self, message: Message) -> None:
        """A message with <note/> to a chat's JID: never relayed, whoever sends it."""
        if message["type"] in ("groupchat", "error", "headline"):
            return
        await self._until_ready()
        await notes.note(self.supervision, _chat_id(message), message["from"],
                         message["body"])


def _chat_id(stanza: Iq | Message) -> str:
    chat_id = chat_id_of(stanza["to"])
    if chat_id is None:
        raise NotFound(NO_SUCH_CHAT)
    return chat_id
