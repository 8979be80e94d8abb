"""The queue component of a library's refdesk: routes patrons' chats and relays them."""

from __future__ import annotations

import asyncio
import logging

from slixmpp import JID, Iq, Message, Presence
from slixmpp.exceptions import IqError, IqTimeout
from slixmpp.xmlstream.handler import CoroutineCallback
from slixmpp.xmlstream.matcher import StanzaPath

from components.base import RefdeskComponent
from components.errors import xmpp_errors
from components.queue.commands import Commands, chat_id_of
from components.queue.desk import Desk
from components.queue.monitoring import Monitoring
from components.queue.outbox import Outbox
from components.queue.relay import Relay
from components.queue.rooms import Rooms
from components.queue.stanzas import NS, register_stanzas
from components.queue.status import WidgetStatus, widget_of
from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.models import EndedBy, TargetKind
from refdesk.db.stores.chats import ChatStore
from refdesk.db.stores.directory import DirectoryStore
from refdesk.errors import NotPermitted, RefdeskError

log = logging.getLogger(__name__)

ROOMS_JOIN_TIMEOUT_S = 10.0
STAFF_LOOKUP_TIMEOUT_S = 5.0


class QueueComponent(RefdeskComponent):
    """Routes patrons' chats to operators and relays the conversation once claimed."""

    name = "queue"
    description = "chat queue"
    features = (NS,)
    plugins = ("xep_0004", "xep_0085")

    desk: Desk
    rooms: Rooms
    relay: Relay
    commands: Commands

    def register_handlers(self) -> None:
        register_stanzas()
        self._ready = asyncio.Event()
        self._warming: set[asyncio.Future[None]] = set()
        iq_routes = {
            ("set", "request"): self._handle_request,
            ("set", "ticket"): self._handle_ticket,
            ("set", "resume"): self._handle_resume,
            ("get", "status"): self._handle_status,
            ("set", "cancel"): self._handle_cancel,
            ("set", "rating"): self._handle_rating,
            ("set", "ended"): self._handle_ended,
        }
        for (kind, payload), handler in iq_routes.items():
            self.register_handler(CoroutineCallback(
                f"refdesk {payload}",
                StanzaPath(f"iq@type={kind}/refdesk_{payload}"),
                handler,  # type: ignore[arg-type]  # the matcher guarantees an Iq
            ))
        self.add_event_handler("session_start", self.on_session_start)
        self.add_event_handler("message", self.on_message)
        self.add_event_handler("message_error", self.on_message_error)
        # slixmpp raises "message" only for a <body/>; typing notifications come here.
        self.add_event_handler("chatstate", self.on_chatstate)
        self.add_event_handler("presence", self.on_presence)

    def close(self) -> None:
        if hasattr(self, "desk"):
            self.desk.close()
            self.rooms.leave_all()

    # --- start ------------------------------------------------------------------------------

    async def on_session_start(self, _: object) -> None:
        if not hasattr(self, "desk"):
            await self._build()
        self._ready.clear()
        self.desk.monitoring.reset()
        self.rooms.joined.clear()
        for room in self._rooms_to_watch():
            self.rooms.join(room)
        await self._until_rooms_joined()
        self._follow_operator_targets()
        self._warm_federation_links()
        await self.desk.restore()
        self._ready.set()

    async def _build(self) -> None:
        engine = create_engine(self.settings.database.url)
        sessions = create_sessionmaker(engine)
        directory = await DirectoryStore(sessions).load(self.settings.library.domain)
        monitoring = Monitoring()
        self.rooms = Rooms(self, self.boundjid.bare, directory.name, monitoring,
                           on_change=self._monitoring_changed)
        outbox = Outbox(self, str(self.rooms.occupant_jid))
        self.desk = Desk(directory, ChatStore(sessions), monitoring, outbox, self._staff_of,
                         self.settings.queue.staff_delay_s)
        self.relay = Relay(self.desk)
        self.status = WidgetStatus(self, directory.domain, self.desk.online)
        self.commands = Commands(self, self.desk)
        self.commands.register()

    def _operator_targets(self) -> set[str]:
        return {step.ref for widget in self.desk.directory.widgets.values()
                for step in widget.routing if step.kind == TargetKind.OPERATOR}

    def _follow_operator_targets(self) -> None:
        """An operator in a routing list is available while online: ask to see their
        presence (approved once in their client). No probe: Prosody answers a probe from a
        non-subscriber with "unsubscribed", which withdraws the pending request; a repeated
        subscribe to a subscribed contact brings their current presence anyway."""
        for jid in sorted(self._operator_targets()):
            self.make_presence(pto=jid, pfrom=self.boundjid.bare, ptype="subscribe").send()

    def _operator_presence(self, presence: Presence) -> bool:
        """Presence of an operator the queue follows; False for anything else."""
        operator = presence["from"].bare
        if operator not in self._operator_targets() or presence["to"].user:
            return False
        kind = presence["type"]
        if kind in ("available", "unavailable") or kind in ("away", "chat", "dnd", "xa"):
            online = kind != "unavailable"
            show = (presence["show"] or "") if online else None
            self.desk.monitoring.operator_presence(operator, presence["from"].resource, show)
            self._monitoring_changed(operator)
        return True

    def _warm_federation_links(self) -> None:
        """Open s2s to every partner domain now (a ping each), so that a timed offer to an
        operator or a co-op's staff never waits on a first TLS and dialback exchange."""
        directory = self.desk.directory
        domains = {d for coop in directory.coops.values() for d in (*coop.members, coop.host)}
        for domain in sorted(domains - {directory.domain}):
            ping = asyncio.ensure_future(self._ping(domain))
            self._warming.add(ping)
            ping.add_done_callback(self._warming.discard)

    async def _ping(self, domain: str) -> None:
        try:
            await self.plugin["xep_0199"].send_ping(JID(domain), ifrom=self.boundjid, timeout=10)
        except (IqError, IqTimeout) as error:
            log.info("%s did not answer a ping yet: %s", domain, error)

    def _widget_presence(self, widget: str, presence: Presence) -> None:
        """Available presence to widget-<id>@ watches its status; unavailable stops."""
        watcher = presence["from"].full
        if presence["type"] in ("unavailable", "error"):
            self.status.unwatch(widget, watcher)
            return
        if presence["type"] not in ("available", ""):
            return  # subscription requests and probes: nothing to keep
        try:
            self.status.watch(widget, watcher)
        except RefdeskError as refused:
            error = presence.reply()
            error["type"] = "error"
            error["error"]["condition"], error["error"]["text"] = refused.condition, str(refused)
            error["error"]["type"] = refused.etype
            error.send()

    def _rooms_to_watch(self) -> list[str]:
        directory = self.desk.directory
        return [*directory.departments, *(coop.room for coop in directory.coops.values())]

    async def _until_rooms_joined(self) -> None:
        wanted = set(self._rooms_to_watch())
        deadline = asyncio.get_running_loop().time() + ROOMS_JOIN_TIMEOUT_S
        while not wanted <= self.rooms.joined:
            if asyncio.get_running_loop().time() > deadline:
                log.error("not in rooms %s; routing without them", wanted - self.rooms.joined)
                return
            await asyncio.sleep(0.05)

    async def _staff_of(self, coop_id: str) -> list[str]:
        """A 24/7 co-op's dedicated staff, as its registry publishes them (disco items)."""
        coop = self.desk.directory.coops[coop_id]
        items = await self.plugin["xep_0030"].get_items(
            jid=JID(f"coop.{coop.host}"), node=f"staff/{coop_id}", ifrom=self.boundjid,
            timeout=STAFF_LOOKUP_TIMEOUT_S,
        )
        return [JID(jid).bare for jid, _, _ in items["disco_items"]["items"]]

    # --- patrons' requests --------------------------------------------------------------------

    @xmpp_errors
    async def _handle_request(self, iq: Iq) -> None:
        await self._ready.wait()
        request = iq["refdesk_request"]
        chat_jid, token = await self.desk.request(
            iq["from"].full, request["widget"], request["question"], request["name"],
            request["email"], request["referrer"], request["user-agent"],
        )
        reply = iq.reply()
        reply["refdesk_chat"]["jid"], reply["refdesk_chat"]["token"] = chat_jid, token
        reply.send()

    @xmpp_errors
    async def _handle_resume(self, iq: Iq) -> None:
        await self._ready.wait()
        resume = iq["refdesk_resume"]
        await self.desk.resume(self._chat_id(iq), resume["token"], iq["from"].full,
                               resume["after"])
        iq.reply().send()

    @xmpp_errors
    async def _handle_ticket(self, iq: Iq) -> None:
        await self._ready.wait()
        left = iq["refdesk_ticket"]
        ticket = await self.desk.leave_question(iq["from"].full, left["widget"], left["question"],
                                                left["name"], left["email"])
        reply = iq.reply()
        reply["refdesk_ticket"]["id"] = str(ticket)
        reply.send()

    @xmpp_errors
    async def _handle_status(self, iq: Iq) -> None:
        online = self.desk.online(iq["refdesk_status"]["widget"])
        reply = iq.reply()
        reply["refdesk_status"]["widget"] = iq["refdesk_status"]["widget"]
        reply["refdesk_status"]["online"] = "true" if online else "false"
        reply.send()

    @xmpp_errors
    async def _handle_cancel(self, iq: Iq) -> None:
        await self.desk.cancel(self._chat_id(iq), iq["from"].full)
        iq.reply().send()

    @xmpp_errors
    async def _handle_rating(self, iq: Iq) -> None:
        rating = iq["refdesk_rating"]
        await self.desk.rate(self._chat_id(iq), iq["from"].full, rating["score"],
                             rating["comment"])
        iq.reply().send()

    @xmpp_errors
    async def _handle_ended(self, iq: Iq) -> None:
        await self.desk.end(self._chat_id(iq), iq["from"].full)
        iq.reply().send()

    @staticmethod
    def _chat_id(stanza: Iq | Message) -> str:
        chat_id = chat_id_of(stanza["to"])
        if chat_id is None:
            raise NotPermitted("Send this to the chat's own JID, chat-<id>@queue.<library>.")
        return chat_id

    # --- the conversation ---------------------------------------------------------------------

    @xmpp_errors
    async def on_message(self, message: Message) -> None:
        chat_id = chat_id_of(message["to"])
        if chat_id is None or message["type"] == "groupchat":
            return
        await self._ready.wait()
        chat = await self.desk.get(chat_id)
        patron = self.desk.party(chat, message["from"].full) == EndedBy.PATRON
        if message["body"] and await self.commands.text(chat_id, message, patron):
            return
        await self.relay.message(chat_id, message)

    @xmpp_errors
    async def on_chatstate(self, message: Message) -> None:
        chat_id = chat_id_of(message["to"])
        if chat_id is None or message["body"] or message["type"] == "groupchat":
            return  # lines with a body arrive through on_message
        await self._ready.wait()
        await self.relay.message(chat_id, message)

    async def on_message_error(self, message: Message) -> None:
        """A relayed line bounced: its sender is told, nothing is dropped silently.
        (Never answered with an error: errors about errors could loop.)"""
        chat_id = chat_id_of(message["to"])
        if chat_id is None or not hasattr(self, "desk"):
            return
        try:
            await self.relay.bounce(chat_id, message)
        except RefdeskError as refused:
            log.info("bounce for chat %s not relayed: %s", chat_id, refused)

    def _monitoring_changed(self, _room: str) -> None:
        if hasattr(self, "status"):
            self.status.monitoring_changed()

    async def on_presence(self, presence: Presence) -> None:
        if not hasattr(self, "rooms"):
            return
        widget = widget_of(presence["to"])
        if widget is not None:
            self._widget_presence(widget, presence)
            return
        if self._operator_presence(presence):
            return
        if presence["type"] == "error" and presence["from"].bare in self._rooms_to_watch():
            self.rooms.handle_error(presence)
            return
        self.rooms.handle_presence(presence)
