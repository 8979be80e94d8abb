"""The reference desk of one library: a patron's chat from request to claim.

Decisions live here and in the pure rule modules (routing, entitlement, positions); XMPP
framing in Outbox and the component. Every state change goes through the ChatStore first, so
a restarted queue carries on where it stopped.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace

from slixmpp import JID
from sqlalchemy.exc import SQLAlchemyError

from components.failures import Failures
from components.queue.entitlement import Entitlement
from components.queue.fairoffer import due_rest
from components.queue.monitoring import Monitoring
from components.queue.offers import Offers, Send, StaffUnknown, preview_of
from components.queue.outbox import Outbox, Preview
from components.queue.patron_input import PatronDetails
from components.queue.plan import Plan, widget_route
from components.queue.positions import QueuePositions
from components.queue.routing import Target
from components.queue.timers import RoutingTimers
from refdesk.db.models import ChatState, EndedBy, Sender
from refdesk.db.stores.chats import ChatAlreadyClaimed, ChatRecord, ChatStore, Line, NewChat
from refdesk.db.stores.directory import Directory
from refdesk.db.stores.registry import CoopRecord
from refdesk.errors import Conflict, NotFound, NotPermitted, Unavailable
from refdesk.useragent import origin

log = logging.getLogger(__name__)

QUEUE_UPDATE_DELAY_S = 0.25
"""Queue positions are recomputed this long after a change, once for a whole burst."""
POSITION_INTERVAL_S = 3.0
"""A waiting patron is told their place at most this often (their first place at once)."""
RETRY_S = 2.0
"""A routing step that failed for a passing cause (database, a registry) is tried again."""


class Desk:
    """One library's queue of chats."""

    def __init__(self, store: ChatStore, monitoring: Monitoring, outbox: Outbox,
                 offers: Offers, staff_delay_s: float, max_open_chats: int = 3) -> None:
        self.store = store
        self.monitoring = monitoring
        self.outbox = outbox
        self.offers = offers
        self.staff_delay_s = staff_delay_s
        self.max_open_chats = max_open_chats
        self.timers = RoutingTimers(lambda chat_id: self.spawn(self.advance(chat_id)))
        self.positions = QueuePositions(POSITION_INTERVAL_S)
        self.failures = Failures(log)
        self._directory: Directory | None = None
        self.coops: dict[str, CoopRecord] = {}
        """Co-op id -> the co-op as its registry last published it (components.queue.coopfeed
        keeps it): who may monitor, be offered and claim co-op chats."""
        self._entitlement: Entitlement | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._queue_update_due = False
        self.finished: Callable[[ChatRecord], None] = lambda chat: None
        self.left: Callable[[ChatRecord], None] = lambda chat: None
        """Told of each question left while nobody was online (the co-ops' summaries)."""
        """Told of every chat that ended, was cancelled or was rated."""
        self.observers: list[Callable[[ChatRecord], None]] = []
        """Told of a chat at each change of its state or of who it is offered to."""

    def load(self, directory: Directory) -> None:
        """The library's set-up, read from its database at start."""
        self._directory = directory
        self._entitlement = Entitlement(directory, self.monitoring, self.coops)

    @property
    def directory(self) -> Directory:
        if self._directory is None:
            raise Unavailable("The library's chat service is starting; please try again "
                              "in a moment.")
        return self._directory

    @property
    def entitlement(self) -> Entitlement:
        if self._entitlement is None:
            raise Unavailable("The library's chat service is starting.")
        return self._entitlement

    def chat_jid(self, chat_id: str) -> str:
        return f"chat-{chat_id}@queue.{self.directory.domain}"

    # --- monitoring ----------------------------------------------------------------------

    def monitored(self, target: Target) -> bool:
        if target.kind == "operator":
            return self.monitoring.operator_monitoring(target.ref)
        room = self.directory.coops[target.ref].room if target.is_coop else target.ref
        return self.monitoring.room_monitored(room)

    def online(self, widget_id: str) -> bool:
        widget = self.directory.widget(widget_id)
        return widget_route(widget, self.directory, self.staff_delay_s).online(self.monitored)

    # --- a patron asks ---------------------------------------------------------------------

    async def request(self, patron: str, widget_id: str, details: PatronDetails
                      ) -> tuple[str, str]:
        """Open a chat and start routing it; the chat's JID and its resume token."""
        widget = self.directory.widget(widget_id)
        route = widget_route(widget, self.directory, self.staff_delay_s)
        if not route.online(self.monitored):
            raise Unavailable(f"{widget.name} is offline right now; please leave your "
                              "question and the library will get back to you.")
        if await self.store.open_chats_of(JID(patron).bare) >= self.max_open_chats:
            raise Conflict("You already have chats open; please finish one first.")
        # The first step needs only the clock and who is monitoring: it is taken before the
        # chat is stored, so that a request is one transaction.
        plan, sends = await self._step(Plan(route, route.start(time.time())))
        # Parsing a browser no cache has seen yet takes a while: off the event loop.
        described = await asyncio.to_thread(origin, details.referrer, details.user_agent)
        chat = await self.store.create(
            NewChat(widget_id, self.directory.institution_id, patron, details.question,
                    details.name, details.email, details.referrer, details.user_agent,
                    **vars(described)),
            plan.to_json(),
        )
        self._send(chat, plan, sends)
        self.changed(chat)
        self.queue_changed()
        return self.chat_jid(chat.id), chat.resume_token or ""

    async def resume(self, chat_id: str, token: str, patron: str, after: int) -> None:
        """The patron's new connection takes the chat over: what it missed after transcript
        line `after` is sent again, then where the chat stands."""
        chat = await self.store.resume(chat_id, token, patron)
        jid = self.chat_jid(chat_id)
        for line in await self.store.transcript(chat_id):
            if line.seq > after and line.sender == Sender.OPERATOR:
                self.outbox.chat_message(jid, patron, line.body, line=line.seq).send()
        if chat.state == ChatState.ACTIVE:
            institution = self.directory.institution_name(chat.claimed_institution or "")
            self.outbox.claimed(jid, patron, chat.claimed_nick or "", institution)
        elif chat.state == ChatState.WAITING:
            self.waits_again(chat_id)
        elif chat.state == ChatState.ENDED:
            self.outbox.ended(jid, patron, (chat.ended_by or EndedBy.OPERATOR).value,
                              "The chat has ended.")

    async def leave_question(self, patron: str, widget_id: str, details: PatronDetails) -> int:
        """Keep a question for the library to answer later; the follow-up ticket's id."""
        widget = self.directory.widget(widget_id)
        email = details.email
        reply_to = f"reply to {email}" if email else "no email left: answer when they return"
        described = await asyncio.to_thread(origin, details.referrer, details.user_agent)
        ticket = await self.store.leave_question(
            NewChat(widget_id, self.directory.institution_id, patron, details.question,
                    details.name, email, **vars(described)),
            f"Left on {widget.name} while nobody was online; {reply_to}.",
        )
        self.left(await self.store.of_ticket(ticket))
        return ticket

    # --- routing ---------------------------------------------------------------------------

    async def advance(self, chat_id: str) -> None:
        """Send the offers that are due and set the timer for the next step. A passing
        failure (the database, a co-op's registry) tries the step again, never ends it."""
        try:
            await self._advance(chat_id)
        except (SQLAlchemyError, StaffUnknown) as failure:
            self.failures.failed("a routing step", failure)
            self.timers.schedule(chat_id, time.time() + RETRY_S)
        else:
            self.failures.recovered("a routing step")

    async def _advance(self, chat_id: str) -> None:
        chat = await self.store.get(chat_id)
        if chat.state != ChatState.WAITING or self.timers.paused:
            return
        plan, sends = await self._step(Plan.from_json(chat.routing))
        # Saved before sending, and only while the chat still waits: a claim committed in
        # between wins, nobody is offered a claimed chat, and the claim's "taken" notices
        # go to everyone the saved plan names.
        if not await self.store.save_routing(chat_id, plan.to_json()):
            return
        self._send(chat, plan, sends)
        self.changed(replace(chat, routing=plan.to_json()))

    async def _step(self, plan: Plan) -> tuple[Plan, list[Send]]:
        """The offers due now, and the plan that records them."""
        now = time.time()
        rest, progress = due_rest(plan, now)
        steps, progress = plan.route.advance(progress, now, self.monitored)
        sends: list[Send] = [*rest, *steps]
        recorded = self.offers.record(self.entitlement, sends,
                                      replace(plan, progress=progress), now)
        return recorded, sends

    def _send(self, chat: ChatRecord, plan: Plan, sends: list[Send],
              preview: Preview | None = None) -> None:
        """Send the offers (the plan that records them is stored) and wait for the next step."""
        preview = preview or replace(self.preview(chat), via=None, transfer=plan.transfer)
        self.offers.send(self.directory, sends, plan, preview)
        due = plan.progress.next_due(len(plan.route.targets))
        if due is not None:
            self.timers.schedule(chat.id, due)

    def preview(self, chat: ChatRecord) -> Preview:
        return preview_of(self.directory, chat, self.chat_jid(chat.id))

    def preview_for(self, chat: ChatRecord, operator: str) -> Preview:
        """The preview, for staff the chat could be offered to; NotPermitted otherwise."""
        self.entitlement.claimant(Plan.from_json(chat.routing), operator)
        return self.preview(chat)

    async def waiting_for(self, operator: str) -> list[ChatRecord]:
        """The waiting chats this operator may see, oldest first."""
        return [chat for chat in await self.store.waiting()
                if self.entitlement.may_see(Plan.from_json(chat.routing), operator)]

    # --- an operator claims ----------------------------------------------------------------

    async def claim(self, chat_id: str, operator: str) -> tuple[ChatRecord, list[Line]]:
        """Claim the chat; with what was said after the question (lines typed while
        waiting, and for a transfer the conversation before it), for the claimant."""
        chat = await self.store.get(chat_id)
        claimant = self.entitlement.claimant(Plan.from_json(chat.routing), operator)
        try:
            chat = await self.store.claim(chat_id, claimant.jid, claimant.nick,
                                          claimant.institution)
        except ChatAlreadyClaimed as taken:
            raise ChatAlreadyClaimed(
                taken.nick, self.directory.institution_name(taken.institution)) from None
        self.timers.cancel(chat_id)
        so_far = [line for line in await self.store.transcript(chat_id) if line.seq > 1]
        institution = self.directory.institution_name(claimant.institution)
        await self.store.append(chat_id, Sender.SYSTEM,
                                f"Claimed by {claimant.nick} ({institution})")
        self.outbox.claimed(self.chat_jid(chat_id), chat.patron_jid, claimant.nick, institution)
        self.offers.presence.hide(self.chat_jid(chat_id), keep=claimant.jid)
        for offer in Plan.from_json(chat.routing).offers:
            if offer.to != claimant.jid and offer.posted:
                self.outbox.taken(offer.to, self.chat_jid(chat_id), claimant.nick,
                                  institution, offer.room)
        self.changed(chat)
        self.queue_changed()
        return chat, so_far

    def changed(self, chat: ChatRecord) -> None:
        """Tell the observers; one failing must not stop the chat, nor the others."""
        for observer in self.observers:
            try:
                observer(chat)
            except Exception:
                log.exception("an observer of chat %s failed", chat.id)

    # --- the queue -------------------------------------------------------------------------

    def queue_changed(self) -> None:
        """Recompute the queue positions shortly: a burst of changes costs one pass."""
        if not self._queue_update_due:
            self._queue_update_due = True
            asyncio.get_running_loop().call_later(
                QUEUE_UPDATE_DELAY_S, lambda: self.spawn(self.update_queue()))

    def waits_again(self, chat_id: str) -> None:
        """The patron was just told they wait (again): tell them their place afresh. A pass
        that ran before that notice reached them was dropped as late by their widget."""
        self.positions.forget(chat_id)
        self.queue_changed()

    async def update_queue(self) -> None:
        """Tell each waiting patron their place and estimated wait, when either changed."""
        self._queue_update_due = False
        waiting = await self.store.queue_order()
        now = asyncio.get_running_loop().time()  # the clock call_later counts on
        for position in self.positions.changes(waiting, await self.store.mean_wait_s(), now):
            self.outbox.queue_status(self.chat_jid(position.chat_id), position.patron,
                                     position.place, position.wait_s)
        if self.positions.next_pass is not None and not self._queue_update_due:
            self._queue_update_due = True
            asyncio.get_running_loop().call_later(
                self.positions.next_pass - now, lambda: self.spawn(self.update_queue()))

    def pause(self) -> None:
        """The queue is (re)joining its rooms: take no routing step until restore()."""
        self.timers.pause()

    async def restore(self) -> None:
        """Once in the rooms: pick every waiting chat's routing up where it was."""
        self.timers.resume()
        for chat in await self.store.waiting():
            self.spawn(self.advance(chat.id))
        self.queue_changed()

    def close(self) -> None:
        self.timers.pause()
        for task in self._tasks:
            task.cancel()

    def spawn(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("queue task failed", exc_info=task.exception())

    # --- who is who ------------------------------------------------------------------------

    def party(self, chat: ChatRecord, jid: str) -> EndedBy | None:
        """Which side of the chat jid is on, if any."""
        bare = JID(jid).bare
        if bare == JID(chat.patron_jid).bare:
            return EndedBy.PATRON
        if chat.claimed_by is not None and bare == chat.claimed_by:
            return EndedBy.OPERATOR
        return None

    async def get(self, chat_id: str) -> ChatRecord:
        try:
            return await self.store.get(chat_id)
        except NotFound:
            raise NotFound("There is no such chat.") from None

    async def get_for(self, chat_id: str, jid: str) -> ChatRecord:
        """The chat, for its patron, its librarian or staff it could be offered to; the same
        "no such chat" to anyone else, so that a made-up or guessed JID learns nothing."""
        chat = await self.get(chat_id)
        if self.party(chat, jid) is None and not self.entitlement.may_see(
                Plan.from_json(chat.routing), JID(jid).bare):
            raise NotPermitted("There is no such chat, or it is not yours.")
        return chat
