"""What a patron's widget asks of the queue in iqs (urn:refdesk:queue:0): open a chat, take
it over after a reconnection, leave a question while offline, a widget's status, cancel,
rate, end. Each waits, briefly, for the queue to be ready."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from slixmpp import ComponentXMPP, Iq, Message

from components.errors import xmpp_errors
from components.iqroutes import register_iq_routes
from components.queue import ending
from components.queue.blocking import refuse_blocked
from components.queue.commands import chat_id_of
from components.queue.desk import Desk
from components.queue.patron_input import checked
from refdesk.db.stores.blocks import BlockStore
from refdesk.errors import NotPermitted


class PatronRequests:
    def __init__(self, xmpp: ComponentXMPP, desk: Desk,
                 until_ready: Callable[[], Awaitable[None]], blocks: BlockStore) -> None:
        self.xmpp, self.desk, self._until_ready = xmpp, desk, until_ready
        self.blocks = blocks

    def register(self) -> None:
        routes = {
            ("set", "refdesk_request"): self._handle_request,
            ("set", "refdesk_ticket"): self._handle_ticket,
            ("set", "refdesk_resume"): self._handle_resume,
            ("get", "refdesk_status"): self._handle_status,
            ("set", "refdesk_cancel"): self._handle_cancel,
            ("set", "refdesk_rating"): self._handle_rating,
            ("set", "refdesk_ended"): self._handle_ended,
        }
        register_iq_routes(self.xmpp, routes)

    @xmpp_errors
    async def _handle_request(self, iq: Iq) -> None:
        await self._until_ready()
        await refuse_blocked(self.blocks, iq["from"])
        request = iq["refdesk_request"]
        details = checked(request["question"], request["name"], request["email"],
                          request["referrer"], request["user-agent"])
        chat_jid, token = await self.desk.request(iq["from"].full, request["widget"], details)
        reply = iq.reply()
        reply["refdesk_chat"]["jid"], reply["refdesk_chat"]["token"] = chat_jid, token
        reply.send()

    @xmpp_errors
    async def _handle_resume(self, iq: Iq) -> None:
        await self._until_ready()
        resume = iq["refdesk_resume"]
        await self.desk.resume(_chat_id(iq), resume["token"], iq["from"].full, resume["after"])
        iq.reply().send()

    @xmpp_errors
    async def _handle_ticket(self, iq: Iq) -> None:
        await self._until_ready()
        await refuse_blocked(self.blocks, iq["from"])
        left = iq["refdesk_ticket"]
        details = checked(left["question"], left["name"], left["email"])
        ticket = await self.desk.leave_question(iq["from"].full, left["widget"], details)
        reply = iq.reply()
        reply["refdesk_ticket"]["id"] = str(ticket)
        reply.send()

    @xmpp_errors
    async def _handle_status(self, iq: Iq) -> None:
        await self._until_ready()
        online = self.desk.online(iq["refdesk_status"]["widget"])
        reply = iq.reply()
        reply["refdesk_status"]["widget"] = iq["refdesk_status"]["widget"]
        reply["refdesk_status"]["online"] = "true" if online else "false"
        reply.send()

    @xmpp_errors
    async def _handle_cancel(self, iq: Iq) -> None:
        await self._until_ready()
        await ending.cancel(self.desk, _chat_id(iq), iq["from"].full, "the patron cancelled")
        iq.reply().send()

    @xmpp_errors
    async def _handle_rating(self, iq: Iq) -> None:
        await self._until_ready()
        rating = iq["refdesk_rating"]
        await ending.rate(self.desk, _chat_id(iq), iq["from"].full, rating["score"],
                          rating["comment"])
        iq.reply().send()

    @xmpp_errors
    async def _handle_ended(self, iq: Iq) -> None:
        await self._until_ready()
        await ending.end(self.desk, _chat_id(iq), iq["from"].full)
        iq.reply().send()


def _chat_id(stanza: Iq | Message) -> str:
    chat_id = chat_id_of(stanza["to"])
    if chat_id is None:
        raise NotPermitted("Send this to the chat's own JID, chat-<id>@queue.<library>.")
    return chat_id
