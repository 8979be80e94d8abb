"""The reference desk of one library: a patron's chat from request to rating.

Decisions live here, XMPP framing in Outbox and the component; every state change goes
through the ChatStore first, so a restarted queue carries on where it stopped.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from slixmpp import JID

from components.queue.monitoring import Monitoring
from components.queue.outbox import Outbox, Preview
from components.queue.plan import Offer, Plan, widget_route
from components.queue.routing import Notify, NotifyStaff, Target
from refdesk.db.models import ChatState, EndedBy, Sender
from refdesk.db.stores.chats import ChatRecord, ChatStore, NewChat
from refdesk.db.stores.directory import Directory
from refdesk.errors import Conflict, InvalidInput, NotFound, NotPermitted, Unavailable

log = logging.getLogger(__name__)

DEFAULT_WAIT_S = 60.0
"""Estimated wait per place in the queue until there is a history of claims."""
QUEUE_UPDATE_DELAY_S = 0.05
"""Queue positions are recomputed this long after a change, once for a whole burst."""
STAFF_CACHE_S = 300.0
"""How long a co-op's staff list is trusted before its registry is asked again."""
MIN_WAIT_S = 10.0
"""Never promise less per place: a librarian still has to read the question."""


@dataclass(frozen=True)
class Claimant:
    jid: str
    nick: str
    institution: str
    """Domain of the operator's library."""


StaffLookup = Callable[[str], Awaitable[list[str]]]
"""Co-op id -> its dedicated staff's JIDs (asked of the co-op's registry)."""


class Desk:
    """One library's queue of chats."""

    def __init__(self, directory: Directory, store: ChatStore, monitoring: Monitoring,
                 outbox: Outbox, staff: StaffLookup, staff_delay_s: float) -> None:
        self.directory = directory
        self.store = store
        self.monitoring = monitoring
        self.outbox = outbox
        self._staff = staff
        self.staff_delay_s = staff_delay_s
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._staff_cache: dict[str, tuple[float, asyncio.Future[list[str]]]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._queue_status: dict[str, tuple[int, int]] = {}
        self._queue_update_due = False

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

    async def request(self, patron: str, widget_id: str, question: str,
                      name: str | None = None, email: str | None = None,
                      referrer: str | None = None, user_agent: str | None = None
                      ) -> tuple[str, str]:
        """Open a chat and start routing it; the chat's JID and its resume token."""
        widget = self.directory.widget(widget_id)
        if not question.strip():
            raise Conflict("Please type your question first.")
        route = widget_route(widget, self.directory, self.staff_delay_s)
        if not route.online(self.monitored):
            raise Unavailable(f"{widget.name} is offline right now; please leave your "
                              "question and the library will get back to you.")
        # The first step needs only the clock and who is monitoring: it is taken before the
        # chat is stored, so that a request is one transaction.
        plan, sends = await self._step(Plan(route, route.start(time.time())))
        chat = await self.store.create(
            NewChat(widget_id, self.directory.institution_id, patron, question.strip(),
                    name or None, email or None, referrer or None, user_agent or None),
            plan.to_json(),
        )
        self._send(chat, plan, sends)
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
            self._queue_status.pop(chat_id, None)
            self.queue_changed()
        elif chat.state == ChatState.ENDED:
            self.outbox.ended(jid, patron, (chat.ended_by or EndedBy.OPERATOR).value,
                              "The chat has ended.")

    async def leave_question(self, patron: str, widget_id: str, question: str,
                             name: str | None, email: str | None) -> int:
        """Keep a question for the library to answer later; the follow-up ticket's id."""
        widget = self.directory.widget(widget_id)
        if not question.strip():
            raise InvalidInput("Please type your question first.")
        reply_to = f"reply to {email}" if email else "no email left: answer when they return"
        return await self.store.leave_question(
            NewChat(widget_id, self.directory.institution_id, patron, question.strip(),
                    name or None, email or None),
            f"Left on {widget.name} while nobody was online; {reply_to}.",
        )

    async def advance(self, chat_id: str) -> None:
        """Send the offers that are due and set the timer for the next step."""
        self._timers.pop(chat_id, None)
        chat = await self.store.get(chat_id)
        if chat.state != ChatState.WAITING:
            return
        plan, sends = await self._step(Plan.from_json(chat.routing))
        # Saved before sending: a crash in between loses an offer rather than repeating
        # it, and the window is one socket write, not a database commit.
        await self.store.save_routing(chat_id, plan.to_json())
        self._send(chat, plan, sends)

    async def _step(self, plan: Plan) -> tuple[Plan, list[Notify | NotifyStaff]]:
        """The offers due now, and the plan that records them."""
        sends, progress = plan.route.advance(plan.progress, time.time(), self.monitored)
        return await self._record_offers(sends, Plan(plan.route, progress, plan.offers)), sends

    def _send(self, chat: ChatRecord, plan: Plan, sends: list[Notify | NotifyStaff]) -> None:
        """Send the offers (the plan that records them is stored) and wait for the next step."""
        preview = replace(self.preview(chat), via=None)
        for send in sends:
            self._offer(send, plan, preview)
        due = plan.progress.next_due(len(plan.route.targets))
        if due is not None:
            self._timers[chat.id] = asyncio.get_running_loop().call_later(
                max(0.0, due - time.time()), lambda: self._spawn(self.advance(chat.id)))

    def staff_of(self, coop_id: str) -> asyncio.Future[list[str]]:
        """A 24/7 co-op's staff, asked of its registry at most every STAFF_CACHE_S; fetched
        as soon as the co-op is notified, so the timed staff step never waits on it."""
        now = time.monotonic()
        cached = self._staff_cache.get(coop_id)
        fresh = cached and now - cached[0] < STAFF_CACHE_S and not (
            cached[1].done() and cached[1].exception())
        if not fresh:
            self._staff_cache[coop_id] = (now, asyncio.ensure_future(self._staff(coop_id)))
        return self._staff_cache[coop_id][1]

    async def _record_offers(self, sends: list[Notify | NotifyStaff], plan: Plan) -> Plan:
        """The plan with the offers these sends make, staff looked up where due."""
        for send in sends:
            if isinstance(send, NotifyStaff):
                for jid in await self.staff_of(send.coop):
                    plan = plan.offered(Offer(jid, room=False, coop=send.coop))
                continue
            target = send.target
            if target.global_coop:
                self.staff_of(target.ref)  # warm: needed staff_delay_s from now
            if target.kind == "operator":
                plan = plan.offered(Offer(target.ref, room=False))
            elif target.is_coop:
                coop = self.directory.coops[target.ref]
                plan = plan.offered(Offer(coop.room, room=True, coop=coop.id))
            else:
                plan = plan.offered(Offer(target.ref, room=True))
        return plan

    def _offer(self, send: Notify | NotifyStaff, plan: Plan, preview: Preview) -> None:
        if isinstance(send, NotifyStaff):
            coop = self.directory.coops[send.coop]
            for offer in plan.offers:
                if offer.coop == coop.id and not offer.room:
                    self.outbox.offer_to_operator(offer.to, _via(preview, coop.name), False)
            return
        target = send.target
        if target.kind == "operator":
            home = JID(target.ref).domain == self.directory.domain
            self.outbox.offer_to_operator(target.ref, preview, home)
        elif target.is_coop:
            coop = self.directory.coops[target.ref]
            self.outbox.offer_to_room(coop.room, _via(preview, coop.name), home=False)
        else:
            self.outbox.offer_to_room(target.ref, preview, home=True)

    def preview(self, chat: ChatRecord) -> Preview:
        """What an operator sees before claiming; names the co-ops it was offered through."""
        widget = self.directory.widget(chat.widget_id)
        coops = [] if not chat.routing else [
            self.directory.coops[offer.coop].name
            for offer in Plan.from_json(chat.routing).offers if offer.coop
        ]
        return Preview(self.chat_jid(chat.id), self.directory.domain, self.directory.name,
                       widget.id, widget.name, chat.question, chat.referrer,
                       via=", ".join(dict.fromkeys(coops)) or None)

    # --- an operator claims ----------------------------------------------------------------

    async def claim(self, chat_id: str, operator: str) -> ChatRecord:
        chat = await self.store.get(chat_id)
        claimant = self._claimant(chat, operator)
        chat = await self.store.claim(chat_id, claimant.jid, claimant.nick,
                                      claimant.institution)
        self._cancel_timer(chat_id)
        institution = self.directory.institution_name(claimant.institution)
        await self.store.append(chat_id, Sender.SYSTEM,
                                f"Claimed by {claimant.nick} ({institution})")
        self.outbox.claimed(self.chat_jid(chat_id), chat.patron_jid, claimant.nick, institution)
        for offer in Plan.from_json(chat.routing).offers:
            if offer.to != claimant.jid:
                self.outbox.taken(offer.to, self.chat_jid(chat_id), claimant.nick,
                                  institution, offer.room)
        self._queue_status.pop(chat_id, None)
        self.queue_changed()
        return chat

    def _claimant(self, chat: ChatRecord, operator: str) -> Claimant:
        """Who may claim: the patron's own library's operators, anyone in a room the chat
        was offered to (for a co-op, from a member library), and operators offered it."""
        domain = JID(operator).domain
        local = self.directory.operators.get(operator)
        if local is not None:
            if not local.chat_enabled:
                raise NotPermitted("Your chat access is switched off at your library.")
            return Claimant(operator, local.nick, domain)
        for offer in Plan.from_json(chat.routing).offers:
            if not offer.room and offer.to == operator:
                return Claimant(operator, _nick_of(operator), domain)
            occupant = self.monitoring.occupant(offer.to, operator) if offer.room else None
            if occupant is not None and self._member(offer.coop, domain):
                return Claimant(operator, occupant.nick, domain)
        raise NotPermitted("This chat was not offered to you: monitor a department or "
                           "co-op it was routed to.")

    def _member(self, coop_id: str | None, domain: str) -> bool:
        if coop_id is None:
            return domain == self.directory.domain
        coop = self.directory.coops[coop_id]
        return domain in coop.members or domain == coop.host

    # --- the queue -------------------------------------------------------------------------

    def queue_changed(self) -> None:
        """Recompute the queue positions shortly: a burst of changes costs one pass."""
        if not self._queue_update_due:
            self._queue_update_due = True
            asyncio.get_running_loop().call_later(
                QUEUE_UPDATE_DELAY_S, lambda: self._spawn(self.update_queue()))

    async def update_queue(self) -> None:
        """Tell each waiting patron their place and estimated wait, when either changed."""
        self._queue_update_due = False
        waiting = await self.store.queue_order()
        mean = await self.store.mean_wait_s()
        per_place = DEFAULT_WAIT_S if mean is None else max(mean, MIN_WAIT_S)
        for place, (chat_id, patron) in enumerate(waiting, start=1):
            status = (place, math.ceil(per_place * place))
            if self._queue_status.get(chat_id) != status:
                self._queue_status[chat_id] = status
                self.outbox.queue_status(self.chat_jid(chat_id), patron, *status)

    async def restore(self) -> None:
        """After a restart: pick every waiting chat's routing up where it was."""
        for chat in await self.store.waiting():
            self._spawn(self.advance(chat.id))
        self.queue_changed()

    def close(self) -> None:
        for chat_id in list(self._timers):
            self._cancel_timer(chat_id)

    def _cancel_timer(self, chat_id: str) -> None:
        timer = self._timers.pop(chat_id, None)
        if timer is not None:
            timer.cancel()

    def _spawn(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("queue task failed", exc_info=task.exception())

    # --- ending ----------------------------------------------------------------------------

    async def end(self, chat_id: str, by_jid: str) -> None:
        chat = await self.store.get(chat_id)
        by = self.party(chat, by_jid)
        if by is None:
            raise NotPermitted("Only the patron or the librarian in this chat can end it.")
        chat = await self.store.end(chat_id, by)
        await self.store.append(chat_id, Sender.SYSTEM, f"Ended by the {by.value}")
        jid = self.chat_jid(chat_id)
        self.outbox.ended(jid, chat.patron_jid, by.value,
                          "The chat has ended. Thank you! How would you rate it, from 1 to 5?")
        self.outbox.ended(jid, chat.claimed_by or "", by.value, "The chat has ended.")

    async def cancel(self, chat_id: str, patron: str) -> None:
        chat = await self.store.get(chat_id)
        if JID(patron).bare != JID(chat.patron_jid).bare:
            raise NotPermitted("Only the patron who asked can cancel this chat.")
        await self.store.cancel(chat_id)
        self._cancel_timer(chat_id)
        for offer in Plan.from_json(chat.routing).offers:
            self.outbox.withdrawn(offer.to, self.chat_jid(chat_id), offer.room)
        self._queue_status.pop(chat_id, None)
        self.queue_changed()

    async def rate(self, chat_id: str, patron: str, score: int | None, comment: str) -> None:
        chat = await self.store.get(chat_id)
        if JID(patron).bare != JID(chat.patron_jid).bare:
            raise NotPermitted("Only the patron can rate this chat.")
        if score is None:
            raise Conflict("A rating is a whole number from 1 to 5.")
        await self.store.rate(chat_id, score, comment)

    async def follow_up(self, chat_id: str, operator: str, note: str | None) -> int:
        chat = await self.store.get(chat_id)
        if self.party(chat, operator) != EndedBy.OPERATOR:
            raise NotPermitted("Only the librarian who claimed this chat can ask for follow-up.")
        ticket = await self.store.follow_up(chat_id, operator, note)
        await self.store.append(chat_id, Sender.SYSTEM, f"Follow-up ticket #{ticket} opened")
        return ticket

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


def _via(preview: Preview, coop_name: str) -> Preview:
    return replace(preview, via=coop_name)


def _nick_of(jid: str) -> str:
    return JID(jid).user.capitalize()

