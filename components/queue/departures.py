"""Departures: a patron gone for good, a librarian whose client disappeared or fell silent.

A patron's widget sends presence to the chat's JID, so their server says when the connection
ends; a dropped connection may come back (the widget resumes the chat), so the patron counts
as gone only after a grace period. A claiming librarian's client is pinged (XEP-0199); one
that stays unreachable for the same grace period (a reloaded console or a reconnecting client
is back well within it), or has sent nothing for too long, sends the chat back to the queue,
and the patron is told rather than left waiting on nobody.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

from components.queue import ending
from components.queue.desk import Desk
from components.queue.plan import Plan, widget_route
from refdesk.db.models import ChatState, Sender
from refdesk.errors import RefdeskError

log = logging.getLogger(__name__)

Reason = Literal["disconnected", "silent"]
MAX_TRACKED = 10_000
"""Chats whose patrons' presence order is remembered; the oldest are forgotten."""
Ping = Callable[[str, str], Awaitable[bool]]
"""(chat JID, librarian's full JID) -> whether their client answered."""


@dataclass
class _Claimant:
    jid: str
    """The full JID the librarian last spoke from."""
    last_heard: float
    unreachable_since: float | None = None
    """When a ping first went unanswered: a reloaded page or a client reconnecting comes
    back within the grace period, so only a client gone for that long loses the chat."""


class Departures:
    def __init__(self, desk: Desk, ping: Ping, patron_grace_s: float, check_s: float,
                 silence_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.desk = desk
        self._ping = ping
        self._grace_s, self._check_s, self._silence_s = patron_grace_s, check_s, silence_s
        self._clock = clock
        self._leaving: dict[str, asyncio.TimerHandle] = {}
        self._latest: OrderedDict[str, int] = OrderedDict()
        """Chat id -> the arrival number of the patron presence last acted on: presence is
        handled concurrently, and an older one finishing later must not undo a newer one."""
        self._patron_left: set[str] = set()
        """Claimed chats whose patron left: if their librarian goes too, they simply end."""
        self._claimants: dict[str, _Claimant] = {}
        self._checking = False

    # --- patrons ---------------------------------------------------------------------------

    def patron_presence(self, chat_id: str, patron: str, available: bool,
                        arrival: int) -> None:
        """Presence from the patron's connection, numbered in the order it arrived:
        unavailable starts the grace period, available (a resumed chat) ends it."""
        if arrival < self._latest.get(chat_id, -1):
            return  # a newer presence was acted on already
        self._latest[chat_id] = arrival
        self._latest.move_to_end(chat_id)
        while len(self._latest) > MAX_TRACKED:
            self._latest.popitem(last=False)
        pending = self._leaving.pop(chat_id, None)
        if pending is not None:
            pending.cancel()
        if not available:
            self._leaving[chat_id] = asyncio.get_running_loop().call_later(
                self._grace_s, lambda: self.desk.spawn(self._patron_gone(chat_id, patron)))

    async def _patron_gone(self, chat_id: str, patron: str) -> None:
        self._leaving.pop(chat_id, None)
        chat = await self.desk.get(chat_id)
        if chat.patron_jid != patron:
            return  # the chat was resumed from another connection
        if chat.state == ChatState.WAITING:
            await ending.cancel(self.desk, chat_id, patron, "the patron left")
        elif chat.state == ChatState.ACTIVE and chat.claimed_by:
            self._patron_left.add(chat_id)
            await self.desk.store.append(chat_id, Sender.SYSTEM, "The patron left")
            self.desk.outbox.chat_message(
                self.desk.chat_jid(chat_id), chat.claimed_by,
                "The patron left the chat (closed the page or lost the connection). "
                "End it with !end when you are done.").send()

    # --- librarians ------------------------------------------------------------------------

    def heard_from(self, chat_id: str, librarian: str) -> None:
        """The claiming librarian claimed, wrote or typed, from this full JID."""
        self._claimants[chat_id] = _Claimant(librarian, self._clock())
        if not self._checking:
            self._checking = True
            self.desk.spawn(self._check_forever())

    def forget(self, chat_id: str) -> None:
        """The chat ended or moved on: its librarian is not watched any more. (A patron's
        grace period runs on: when it ends, the chat's state then decides.)"""
        self._claimants.pop(chat_id, None)
        self._patron_left.discard(chat_id)

    def close(self) -> None:
        for pending in self._leaving.values():
            pending.cancel()
        self._leaving.clear()
        self._claimants.clear()

    async def _check_forever(self) -> None:
        """Check every claimant each period, while there are any (the desk's task set
        cancels this at close, and logs it if it ever fails)."""
        try:
            while self._claimants:
                await asyncio.sleep(self._check_s)
                await asyncio.gather(*(self._check(chat_id, claimant)
                                       for chat_id, claimant in list(self._claimants.items())))
        finally:
            self._checking = False

    async def _check(self, chat_id: str, claimant: _Claimant) -> None:
        try:
            chat = await self.desk.get(chat_id)
            if chat.state != ChatState.ACTIVE or chat.claimed_by != claimant.jid.split("/")[0]:
                self.forget(chat_id)  # ended, or handed on: the next claim is watched anew
            elif self._clock() - claimant.last_heard > self._silence_s:
                await self.requeue(chat_id, claimant.jid, "silent")
            elif await self._ping(self.desk.chat_jid(chat_id), claimant.jid):
                claimant.unreachable_since = None
            elif self._gone_for_good(claimant):
                await self.requeue(chat_id, claimant.jid, "disconnected")
        except RefdeskError as gone:
            log.info("chat %s no longer watched: %s", chat_id, gone)
            self.forget(chat_id)

    def _gone_for_good(self, claimant: _Claimant) -> bool:
        """An unanswered ping: whether the librarian's client has now been unreachable for
        the grace period that a patron's dropped connection also gets (to the nearest check:
        checks come every check_s, never exactly on the limit)."""
        now = self._clock()
        if claimant.unreachable_since is None:
            claimant.unreachable_since = now
        return now - claimant.unreachable_since > self._grace_s - self._check_s / 2

    async def requeue(self, chat_id: str, librarian: str, reason: Reason) -> None:
        """Put a claimed chat back in the queue, routed as a new one from its widget; or,
        if its patron has left too, end it."""
        patron_gone = chat_id in self._patron_left
        self.forget(chat_id)
        chat = await self.desk.get(chat_id)
        if chat.state != ChatState.ACTIVE:
            return
        if patron_gone:
            await ending.end(self.desk, chat_id, chat.patron_jid)
            return
        desk = self.desk
        route = widget_route(desk.directory.widget(chat.widget_id), desk.directory,
                             desk.staff_delay_s)
        institution = desk.directory.institution_name(chat.claimed_institution or "")
        why = {"disconnected": "was disconnected", "silent": "did not answer"}[reason]
        why_you = {"disconnected": "you were disconnected", "silent": "you did not answer"}[reason]
        note = f"Back in the queue: {chat.claimed_nick} ({institution}) {why}"
        await desk.store.release(
            chat_id, Plan(route, route.start(time.time()), transfer=note).to_json())
        await desk.store.append(chat_id, Sender.SYSTEM, note)
        jid = desk.chat_jid(chat_id)
        desk.outbox.requeued(jid, chat.patron_jid, reason,
                             f"Your librarian {why}. You are back in the queue; the next "
                             "librarian will see the conversation so far.")
        desk.outbox.chat_message(jid, chat.claimed_by or librarian,
                                 f"This chat went back to the queue: {why_you}.").send()
        log.info("chat %s back in the queue: %s %s", chat_id, chat.claimed_by, why)
        await desk.advance(chat_id)
        desk.waits_again(chat_id)
