"""The co-op registry component of a co-op's host: the authority on its co-ops.

It publishes each co-op it hosts (components.coop.publication), keeps the co-op rooms'
member lists in line with it, and takes member libraries' reports of their users' chat
access. Changes are made by anyone with the host's database (the command line writes it
directly): the registry notices them by its REGISTRY change counter and republishes.
"""

from __future__ import annotations

import asyncio
import logging

from slixmpp import Iq
from slixmpp.xmlstream import ET
from slixmpp.xmlstream.handler import CoroutineCallback
from slixmpp.xmlstream.matcher import MatchXPath
from sqlalchemy.exc import SQLAlchemyError

from components.base import RefdeskComponent
from components.coop import (
    commands,
    contribution,
    policycommand,
    quality,
    reports,
    schedule,
    summary,
)
from components.coop.activity import Activity
from components.coop.publication import Publication
from components.coop.wire import NS, PUBSUB, BadSnapshot, read_access
from components.errors import xmpp_errors
from components.failures import Failures
from components.staffrooms import keep_staff_room
from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.models import RevisionScope
from refdesk.db.stores.activity import ActivityStore
from refdesk.db.stores.registry import CoopRecord, RegistryStore
from refdesk.db.stores.revisions import RevisionStore
from refdesk.errors import InvalidInput, NotPermitted

log = logging.getLogger(__name__)

MUC = "http://jabber.org/protocol/muc"
POLL_S = 1.5
"""How often the REGISTRY change counter is read: a change reaches members within seconds."""


class CoopComponent(RefdeskComponent):
    """The registry of the co-ops this domain hosts: members, users, rooms and staff."""

    name = "coop"
    description = "co-op registry"
    features = (NS, PUBSUB, summary.NS, quality.NS, schedule.NS)

    def register_handlers(self) -> None:
        self.engine = create_engine(self.settings.database.url)
        sessions = create_sessionmaker(self.engine)
        self.registry = RegistryStore(sessions)
        self.revisions = RevisionStore(sessions)
        self.publication = Publication(self)
        self._revision: int | None = None
        self._next: asyncio.TimerHandle | None = None
        self._polling: asyncio.Task[None] | None = None
        self._failures = Failures(log)
        self._set_up = asyncio.Event()
        routes = {"pubsub": (PUBSUB, self._handle_pubsub),
                  "access": (NS, self._handle_access)}
        for name, (namespace, handler) in routes.items():
            self.register_handler(CoroutineCallback(
                f"coop {name}", MatchXPath(f"{{{self.default_ns}}}iq/{{{namespace}}}{name}"),
                handler))  # type: ignore[arg-type]  # the matcher guarantees an Iq
        self.add_event_handler("session_start", self.on_session_start)
        self.add_event_handler("disconnected", self.on_disconnected)
        domain = self.settings.library.domain
        self.activity = Activity(ActivityStore(sessions), lambda: self.registry.hosted(domain))
        self.activity.register(self)
        commands.attach(self, self.registry, domain)
        self.quality = quality.attach(self, self.registry, sessions, domain)
        self.policy_alerts = policycommand.attach(self, sessions, domain)
        reports.attach(self, self.registry, sessions, domain)
        schedule.attach(self, self.registry, sessions, domain)
        self.standings = contribution.attach(self, self.publication, sessions)

    def close(self) -> None:
        self._stop_polling()
        self.activity.close()
        self.quality.close()
        self.policy_alerts.close()
        self.standings.close()

    def _stop_polling(self) -> None:
        if self._next is not None:
            self._next.cancel()
        if self._polling is not None:
            self._polling.cancel()
        self._next = self._polling = None

    async def on_session_start(self, _: object) -> None:
        """Enter and set up every co-op's room again, then follow the registry."""
        self._stop_polling()
        self._set_up.clear()
        await self.activity.restart()  # before the rooms' presences come in again
        self._revision = None
        self.publication.coops.clear()
        self._poll_soon(0)
        self.quality.follow_rotations()

    def on_disconnected(self, _: object) -> None:
        self._stop_polling()
        self._set_up.clear()

    async def until_set_up(self) -> None:
        """Its co-ops published and their rooms entered with their members set."""
        await self._set_up.wait()

    # --- following the database ------------------------------------------------------------

    def _poll_soon(self, seconds: float) -> None:
        # A timer, not a task asleep in a loop: each poll is a task that ends.
        if self._next is not None:
            self._next.cancel()
        self._next = asyncio.get_running_loop().call_later(seconds, self._start_poll)

    def _start_poll(self) -> None:
        if self._polling is None or self._polling.done():
            self._polling = asyncio.ensure_future(self._poll())
        else:  # a poll is under way: look again as soon as it is done
            self._poll_soon(POLL_S / 10)

    async def _poll(self) -> None:
        domain = self.settings.library.domain
        try:
            await self._refresh(domain)
        except (SQLAlchemyError, OSError) as error:
            self._failures.failed(f"reading the co-ops of {domain}", error)
        else:
            self._failures.recovered(f"reading the co-ops of {domain}")
            self._set_up.set()
        self._poll_soon(POLL_S)

    async def _refresh(self, domain: str) -> None:
        """Republish the co-ops that changed since the counter last moved."""
        revision = await self.revisions.current(RevisionScope.REGISTRY)
        if revision == self._revision:
            return
        coops = await self.registry.hosted(domain)
        if self._revision is None:
            log.info("hosting %s", ", ".join(coop.id for coop in coops) or "no co-op")
        self._revision = revision
        self.activity.follow(coops)  # before any new room's presences come in
        for coop in coops:
            new = coop.id not in self.publication.coops
            if self.publication.publish(coop):
                await self._keep_room(coop, new)

    async def _keep_room(self, coop: CoopRecord, new: bool) -> None:
        if new:
            self._open_room(coop.room, coop.name)
        members = room_members(coop) - {f"queue.{self.settings.library.domain}"}
        await keep_staff_room(self, coop.room, coop.name, members)

    def _open_room(self, room: str, name: str) -> None:
        """Enter the co-op's room, creating it (members-only from the start) if need be."""
        presence = self.make_presence(pto=f"{room}/{name}", pfrom=f"{self.boundjid.bare}/registry")
        ET.SubElement(presence.xml, f"{{{MUC}}}x")
        presence.send()

    # --- requests --------------------------------------------------------------------------

    @xmpp_errors
    async def _handle_pubsub(self, iq: Iq) -> None:
        if iq["type"] in ("get", "set"):
            self.publication.answer(iq).send()

    @xmpp_errors
    async def _handle_access(self, iq: Iq) -> None:
        """A member library's word on which of its users may chat; its own users only. The
        host's own queue speaks for the co-ops' staff, its users."""
        if iq["type"] != "set":
            return
        sender = iq["from"]
        domain = sender.domain.removeprefix("queue.")
        if sender.user or domain == sender.domain or (
                domain != self.settings.library.domain and not any(
                    coop.member(domain) for coop in self.publication.coops.values())):
            raise NotPermitted("Only a member library's queue reports its users' chat access.")
        try:
            enabled = read_access(iq.xml.find(f"{{{NS}}}access") or ET.Element("access"))
        except BadSnapshot as error:
            raise InvalidInput(str(error)) from None
        if await self.registry.report_chat_access(domain, enabled):
            self._poll_soon(0)
        iq.reply().send()


def room_members(coop: CoopRecord) -> set[str]:
    """Who may be in a co-op's room: the users given access to it whose library lets them
    chat, and each member library's queue, which posts the offers there and watches who is
    monitoring. (The host's own components own every room of its MUC service already.)
    Taking someone off this list takes them out of the room: Prosody removes an occupant
    of a members-only room whose affiliation becomes none."""
    users = {user.jid for user in coop.users if user.chat_enabled}
    return users | {f"queue.{member.domain}" for member in coop.members}
