"""The queue component of a library's refdesk: routes patrons' chats and relays them."""

from __future__ import annotations

import asyncio
import itertools
import logging

from slixmpp import JID, Message, Presence
from sqlalchemy.exc import SQLAlchemyError

from components.base import RefdeskComponent
from components.errors import xmpp_errors
from components.failures import Failures
from components.queue.blocklist import BlockList
from components.queue.chatpresence import ChatPresence, waiting_status
from components.queue.commands import Commands, chat_id_of
from components.queue.console.blockrequests import BlockRequests
from components.queue.console.deskinfo import staff_room, staff_room_name
from components.queue.console.requests import ConsoleRequests
from components.queue.coops import CoopLinks
from components.queue.departures import Departures
from components.queue.desk import Desk
from components.queue.forgetting import Forgetting
from components.queue.monitoring import Monitoring
from components.queue.offers import Offers
from components.queue.outbox import Outbox
from components.queue.patron_requests import PatronRequests
from components.queue.relay import Relay
from components.queue.reload import DirectoryFollower
from components.queue.remote import Remote
from components.queue.rooms import Rooms
from components.queue.scripted import ScriptSending
from components.queue.staff_requests import StaffRequests
from components.queue.staffwire import is_note
from components.queue.stanzas import NS, register_stanzas
from components.queue.status import WidgetStatus, widget_of
from components.queue.summaries import Summaries
from components.queue.supervision import Supervision, WatchedChatStore
from components.queue.transcript_requests import PatronTranscripts
from components.staffrooms import keep_staff_room
from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.models import ChatState, TargetKind
from refdesk.db.stores.blocks import BlockStore
from refdesk.db.stores.chats import ChatRecord
from refdesk.db.stores.directory import DirectoryStore
from refdesk.db.stores.privacy import PrivacyStore
from refdesk.db.stores.registry import CoopRecord
from refdesk.db.stores.revisions import RevisionStore
from refdesk.db.stores.scripts import ScriptStore
from refdesk.errors import RefdeskError, Unavailable
from refdesk.mail import Mailer

log = logging.getLogger(__name__)

ROOMS_JOIN_TIMEOUT_S = 10.0
READY_WAIT_S = 15.0
"""A request arriving while the queue (re)joins its rooms waits this long at most."""
START_RETRY_S = 5.0
"""A start that failed (database down, library not set up) is tried again this often."""
NOT_STARTED = "The library's chat service is not available right now; please try again later."


class QueueComponent(RefdeskComponent):
    """Routes patrons' chats to operators and relays the conversation once claimed."""

    name = "queue"
    description = "chat queue"
    features = (NS,)
    plugins = ("xep_0004", "xep_0085")

    def register_handlers(self) -> None:
        """Build the whole queue (the library's set-up is read at each session start), then
        attach every handler."""
        register_stanzas()
        self.engine = create_engine(self.settings.database.url)
        sessions = create_sessionmaker(self.engine)
        self.directory_store = DirectoryStore(sessions)
        self.follower = DirectoryFollower(RevisionStore(sessions), self._reload)
        self.monitoring = Monitoring()
        self.monitoring.entitled = self._may_monitor
        self.rooms = Rooms(self, self.boundjid.bare, self.settings.library.name,
                           self.monitoring, self._monitoring_changed)
        outbox = Outbox(self, str(self.rooms.occupant_jid))
        self.chat_presence = ChatPresence(self)
        self.remote = Remote(self)
        offers = Offers(outbox, self.monitoring, self.chat_presence)
        queue = self.settings.queue
        chats = WatchedChatStore(sessions)
        self.desk = Desk(chats, self.monitoring, outbox, offers,
                         queue.staff_delay_s, queue.max_open_chats_per_patron)
        self.supervision = Supervision(self.desk)
        chats.appended = self.supervision.line_added
        self.blocks = BlockStore(sessions)
        self.departures = Departures(self.desk, self.remote.client_answers, queue.patron_grace_s,
                                     queue.operator_check_s, queue.operator_silence_s)
        self.relay = Relay(self.desk, self.departures, self.supervision)
        self.scripted = ScriptSending(self.desk, self.relay, ScriptStore(sessions))
        self.summaries = Summaries(self, lambda: self.desk.directory)
        self.desk.finished = self.supervision.finishing(Forgetting(
            PrivacyStore(sessions), lambda: self.desk.directory, self.desk.spawn,
            self.summaries.chat_finished))
        self.desk.left = self.summaries.chat_finished
        self.status = WidgetStatus(self, self.settings.library.domain, self.desk.online)
        self.commands = Commands(self, self.desk, self.departures,
                                 lambda chat_id, jid: self.desk.spawn(self._opened(chat_id, jid)),
                                 self.supervision, self.blocks)
        self.commands.register()
        self.coop_links = CoopLinks(self, sessions, self.settings.library, self._coop_published)
        # Subscriptions and probes to a chat's JID are answered by the queue, for staff
        # entitled to the chat: not by slixmpp's roster, which knows nobody.
        self.auto_authorize = None
        self.del_event_handler("presence_probe", self._handle_probe)
        self._ready = asyncio.Event()
        self._failure: str | None = None
        self._failures = Failures(log)
        self._arrivals = itertools.count()
        self._register_routes()

    def _register_routes(self) -> None:
        PatronRequests(self, self.desk, self._until_ready, self.blocks).register()
        self.staff_requests = StaffRequests(self, self.supervision, self.blocks,
                                            self._until_ready)
        self.staff_requests.register()
        self.console_requests = ConsoleRequests(self, self.desk, self._until_ready)
        self.console_requests.register()
        BlockRequests(self, BlockList(self.desk, self.blocks), self._until_ready).register()
        mailer = Mailer(self.settings.mail)
        PatronTranscripts(self, self.desk, self._until_ready, mailer).register()
        self.add_event_handler("session_start", self.on_session_start)
        self.add_event_handler("disconnected", self.on_disconnected)
        self.add_event_handler("message", self.on_message)
        self.add_event_handler("message_error", self.on_message_error)
        # slixmpp raises "message" only for a <body/>; typing notifications come here.
        self.add_event_handler("chatstate", self.on_chatstate)
        self.add_event_handler("presence", self.on_presence)

    def close(self) -> None:
        self.coop_links.stop()
        self.follower.stop()
        self.desk.close()
        self.departures.close()
        self.rooms.leave_all()
        self.remote.close()
        self.summaries.close()

    # --- start ------------------------------------------------------------------------------

    async def on_session_start(self, _: object) -> None:
        self._ready.clear()
        self.follower.stop()
        self.desk.pause()
        if not await self._load_directory():
            asyncio.get_running_loop().call_later(
                START_RETRY_S, lambda: self.desk.spawn(self.on_session_start(None)))
            return
        self.monitoring.reset()
        self.remote.close()
        self.desk.coops.clear()
        self.coop_links.start(self.desk.directory.coops.values())
        self.rooms.watch(self._rooms_to_watch())
        await self._until_rooms_joined()
        await self._keep_department_rooms()
        if not await self.coop_links.until_known(ROOMS_JOIN_TIMEOUT_S):
            log.error("some co-ops' registries have not answered yet; routing passes those "
                      "co-ops over until they do")
        self._follow_operator_targets()
        self.remote.warm_federation_links(c.host for c in self.desk.directory.coops.values())
        await self.desk.restore()
        self._ready.set()
        self.follower.start()

    def on_disconnected(self, _: object) -> None:
        """Nothing is known of the rooms until they are joined again: no routing step."""
        self.coop_links.stop()
        self._ready.clear()
        self.follower.stop()
        self.desk.pause()
        self.rooms.cancel_retries()

    async def _load_directory(self) -> bool:
        """Read the library's set-up; False (with requests refused at once) if it cannot."""
        domain = self.settings.library.domain
        try:
            await self.follower.mark()
            self.desk.load(await self.directory_store.load(domain))
        except (RefdeskError, SQLAlchemyError, OSError) as error:
            self._failure = NOT_STARTED
            self._failures.failed(f"starting the queue of {domain}", error)
            return False
        self._failure = None
        self._failures.recovered(f"starting the queue of {domain}")
        return True

    async def _reload(self) -> None:
        """An administrator changed the set-up: apply it to what runs, no restart. Chats
        already waiting keep the route they started with; the next chat takes the new one."""
        followed = self._operator_targets()
        self.desk.load(await self.directory_store.load(self.settings.library.domain))
        # A user removed or without chat access no longer counts as monitoring, at once.
        self.monitoring.keep_only(self._may_monitor)
        self.rooms.follow(self._rooms_to_watch())
        await self._until_rooms_joined()
        await self._keep_department_rooms()
        self._follow_operator_targets(self._operator_targets() - followed)
        self.status.monitoring_changed()
        self.coop_links.directory_changed(self.desk.directory.coops.values())
        log.info("the library's set-up changed; reloaded it")

    async def until_set_up(self) -> None:
        await self._ready.wait()

    async def _until_ready(self) -> None:
        if self._failure is not None:
            raise Unavailable(self._failure)
        try:
            await asyncio.wait_for(self._ready.wait(), READY_WAIT_S)
        except TimeoutError:
            raise Unavailable(self._failure or "The library's chat service is starting; "
                              "please try again in a moment.") from None

    def _rooms_to_watch(self) -> list[str]:
        directory = self.desk.directory
        # A co-op's coordinating host has no patrons: nothing of its own is routed through
        # its co-ops' rooms, and the member libraries' queues watch those already.
        coops = [] if self.settings.library.kind == "coordinating" else [
            coop.room for coop in directory.coops.values()]
        return [*directory.departments, *coops, staff_room(directory.domain)]

    async def _until_rooms_joined(self) -> None:
        wanted = set(self._rooms_to_watch())
        deadline = asyncio.get_running_loop().time() + ROOMS_JOIN_TIMEOUT_S
        while not wanted <= self.rooms.joined:
            if asyncio.get_running_loop().time() > deadline:
                log.error("not in rooms %s yet; routing without them until they let us in",
                          wanted - self.rooms.joined)
                return
            await asyncio.sleep(0.05)

    async def _keep_department_rooms(self) -> None:
        """Department rooms hold the library's operators with chat access, nobody else."""
        directory = self.desk.directory
        members = [jid for jid, operator in directory.operators.items()
                   if operator.chat_enabled]
        for room, name in directory.departments.items():
            await keep_staff_room(self, room, f"{name} ({directory.name})", members)
        # The all-staff room: every operator of the library; presence there monitors nothing.
        await keep_staff_room(self, staff_room(directory.domain), staff_room_name(directory),
                              directory.operators)

    def _may_monitor(self, room: str, operator: str) -> bool:
        return self.desk.entitlement.may_monitor(room, operator)

    def _coop_published(self, coop: CoopRecord) -> None:
        """A co-op as its registry now says: who counts as monitoring, and so which widgets
        are online, may have changed."""
        self.desk.coops[coop.id] = coop
        self.remote.warm_federation_links(member.domain for member in coop.members)
        self._monitoring_changed(coop.room)

    def _operator_targets(self) -> set[str]:
        return {step.ref for widget in self.desk.directory.widgets.values()
                for step in widget.routing if step.kind == TargetKind.OPERATOR}

    def _follow_operator_targets(self, operators: set[str] | None = None) -> None:
        """An operator in a routing list is available while online: ask to see their
        presence (approved once in their client). No probe: Prosody answers a probe from a
        non-subscriber with "unsubscribed", which withdraws the pending request; a repeated
        subscribe to a subscribed contact brings their current presence anyway."""
        for jid in sorted(self._operator_targets() if operators is None else operators):
            self.make_presence(pto=jid, pfrom=self.boundjid.bare, ptype="subscribe").send()

    # --- patrons' requests --------------------------------------------------------------------

    # --- the conversation ---------------------------------------------------------------------

    async def _chat_for(self, message: Message) -> ChatRecord | None:
        """The chat a one-to-one message is about, for someone entitled to it."""
        chat_id = chat_id_of(message["to"])
        if chat_id is None or message["type"] in ("groupchat", "error", "headline"):
            return None
        await self._until_ready()
        return await self.desk.get_for(chat_id, message["from"].full)

    @xmpp_errors
    async def on_message(self, message: Message) -> None:
        if is_note(message):  # for staff only: never on the way to the patron
            await self.staff_requests.handle_note(message)
            return
        chat = await self._chat_for(message)
        if chat is None:
            return
        if await self.scripted.handle(chat, message):
            return
        if message["body"] and await self.commands.text(chat, message):
            return
        await self.relay.message(chat, message)

    @xmpp_errors
    async def on_chatstate(self, message: Message) -> None:
        if message["body"]:
            return  # lines with a body arrive through on_message
        chat = await self._chat_for(message)
        if chat is not None:
            await self.relay.message(chat, message)

    @xmpp_errors
    async def on_message_error(self, message: Message) -> None:
        """A relayed line bounced: its sender is told, nothing is dropped silently."""
        chat_id = chat_id_of(message["to"])
        if chat_id is not None:
            await self.relay.bounce(await self.desk.get(chat_id), message)

    def _monitoring_changed(self, _room: str) -> None:
        self.status.monitoring_changed()
        self.console_requests.monitoring_changed()

    @xmpp_errors
    async def on_presence(self, presence: Presence) -> None:
        widget = widget_of(presence["to"])
        chat_id = chat_id_of(presence["to"])
        if widget is not None:
            self._widget_presence(widget, presence)
        elif chat_id is not None:
            await self._chat_presence(chat_id, presence)
        elif self._operator_presence(presence):
            return
        elif presence["type"] == "error":
            self.rooms.handle_error(presence)
        else:
            self.rooms.handle_presence(presence)

    async def _chat_presence(self, chat_id: str, presence: Presence) -> None:
        """The patron's connection coming and going; a librarian adding the chat to their
        contacts (answered for staff entitled to it, refused to anyone else)."""
        kind, sender = presence["type"], presence["from"]
        if kind not in ("subscribe", "probe", "available", "unavailable"):
            return
        if kind == "unavailable":  # before any wait: a request right behind it finds it done
            self.supervision.gone(chat_id, sender)
        arrival = next(self._arrivals)  # numbered before any wait: handlers run concurrently
        await self._until_ready()
        chat = await self.desk.get(chat_id)
        if sender.full == chat.patron_jid and kind in ("available", "unavailable"):
            self.departures.patron_presence(chat_id, sender.full, kind == "available", arrival)
        elif kind in ("subscribe", "probe"):
            try:
                await self.desk.get_for(chat_id, sender.full)
            except RefdeskError:
                self.chat_presence.subscription(str(presence["to"].bare), sender.bare, False)
                return
            if kind == "subscribe":
                self.chat_presence.subscription(str(presence["to"].bare), sender.bare, True)
            if chat.state in (ChatState.WAITING, ChatState.ACTIVE):
                preview = self.desk.preview(chat)
                self.chat_presence.show(preview.chat_jid, sender.bare, preview.contact_name(),
                                        _status(chat))

    async def _opened(self, chat_id: str, librarian: JID) -> None:
        """A librarian's client opened the chat (Gajim asks what it is first): show them
        the preview, if the chat is theirs to see."""
        try:
            chat = await self.desk.get_for(chat_id, librarian.full)
        except RefdeskError:
            return
        if self.desk.party(chat, librarian.full) is None:
            self.relay.preview_once(chat, librarian.full)

    def _widget_presence(self, widget: str, presence: Presence) -> None:
        """Available presence to widget-<id>@ watches its status; unavailable stops."""
        watcher = presence["from"].full
        if presence["type"] in ("unavailable", "error"):
            self.status.unwatch(widget, watcher)
        elif presence["type"] in ("available", ""):
            self.status.watch(widget, watcher)  # an unknown widget is refused with an error

    def _operator_presence(self, presence: Presence) -> bool:
        """Presence of an operator the queue follows; False for anything else."""
        operator = presence["from"].bare
        if presence["to"].user or operator not in self._operator_targets():
            return False
        kind = presence["type"]
        if kind in ("available", "unavailable", "away", "chat", "dnd", "xa"):
            online = kind != "unavailable"
            show = (presence["show"] or "") if online else None
            self.desk.monitoring.operator_presence(operator, presence["from"].resource, show)
            self._monitoring_changed(operator)
        return True


def _status(chat: ChatRecord) -> str:
    if chat.state == ChatState.WAITING:
        return waiting_status(chat.question)
    return f"With {chat.claimed_nick}: {chat.question}"
