"""What the registry records of a co-op's activity: monitoring sessions, from presence in the
co-op's room, and the chat summaries its members' queues send. Both feed the co-op's reports
and its members' Contribution Percentage; neither holds a word of any chat."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from slixmpp import JID, ComponentXMPP, Iq, Presence
from slixmpp.xmlstream.handler import CoroutineCallback
from slixmpp.xmlstream.matcher import StanzaPath

from components.coop import summary
from components.errors import xmpp_errors
from components.failures import Failures
from refdesk.db.stores.activity import ActivityStore, Summary
from refdesk.db.stores.registry import CoopRecord
from refdesk.db.types import utcnow
from refdesk.errors import InvalidInput, NotFound, NotPermitted

log = logging.getLogger(__name__)

MUC_USER = "{http://jabber.org/protocol/muc#user}x"
MONITORING_SHOWS = frozenset({"", "chat"})
"""DESIGN.md: monitoring is being in the room, available or free for chat."""

Hosted = Callable[[], Awaitable[list[CoopRecord]]]


@dataclass(frozen=True)
class RoomPresence:
    room: str
    nick: str
    operator: str | None
    """The occupant's real bare JID when it is a person (services have no local part)."""
    monitoring: bool


def room_presence(presence: Presence) -> RoomPresence:
    """Who is in a room, as a member-visible presence from it tells."""
    item = presence.xml.find(f"{MUC_USER}/{{http://jabber.org/protocol/muc#user}}item")
    real = JID(item.get("jid", "")).bare if item is not None else ""
    available = presence["type"] not in ("unavailable", "error")
    show = "" if presence["type"] == "available" else presence["type"]
    return RoomPresence(presence["from"].bare, presence["from"].resource,
                        real if "@" in real else None,
                        available and show in MONITORING_SHOWS)


class Activity:
    """Records the co-ops' monitoring sessions and accepts chat summaries for them."""

    def __init__(self, store: ActivityStore, hosted: Hosted) -> None:
        self._store = store
        self._hosted = hosted
        self._rooms: dict[str, str] = {}
        """A hosted co-op's room JID -> the co-op's id."""
        self._occupants: dict[str, dict[str, RoomPresence]] = {}
        """Room -> nick -> the occupant's last presence."""
        self._failures = Failures(log)
        self._writes: asyncio.Queue[Callable[[], Awaitable[None]]] = asyncio.Queue()
        self._writer: asyncio.Task[None] | None = None

    def register(self, xmpp: ComponentXMPP) -> None:
        summary.register()
        xmpp.register_handler(CoroutineCallback(
            "refdesk summary", StanzaPath("iq@type=set/refdesk_summary"),
            self._handle_summary))  # type: ignore[arg-type]  # the matcher guarantees an Iq
        xmpp.add_event_handler("presence", self.on_presence)
        xmpp.add_event_handler("disconnected", self.on_disconnected)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.cancel()

    async def restart(self) -> None:
        """At each session start, before the registry enters its rooms: sessions left open
        are closed, and the rooms' presences, sent again as it enters, start the ones still
        going."""
        coops = await self._hosted()
        self._rooms = {coop.room: coop.id for coop in coops}
        self._occupants.clear()
        self._write(lambda: self._store.end_all(list(self._rooms.values()), utcnow()))

    def follow(self, coops: list[CoopRecord]) -> None:
        """The co-ops hosted now: one created since the start is recorded from its first
        presence on."""
        self._rooms = {coop.room: coop.id for coop in coops}

    def on_disconnected(self, _: object) -> None:
        at = utcnow()
        self._occupants.clear()
        if self._rooms:
            self._write(lambda: self._store.end_all(list(self._rooms.values()), at))

    def on_presence(self, presence: Presence) -> None:
        seen = room_presence(presence)
        coop = self._rooms.get(seen.room)
        if coop is None or seen.operator is None:
            return
        occupants = self._occupants.setdefault(seen.room, {})
        was = _monitoring(occupants, seen.operator)
        if presence["type"] not in ("unavailable", "error"):
            occupants[seen.nick] = seen
        else:
            occupants.pop(seen.nick, None)
        now, operator = _monitoring(occupants, seen.operator), seen.operator
        at = utcnow()
        if now and not was:
            institution = JID(operator).domain
            self._write(lambda: self._store.monitoring_started(coop, operator, institution, at))
        elif was and not now:
            self._write(lambda: self._store.monitoring_ended(coop, operator, at))

    @xmpp_errors
    async def _handle_summary(self, iq: Iq) -> None:
        sender = iq["from"]
        home = sender.domain.removeprefix("queue.")
        if sender.user or sender.domain == home:
            raise NotPermitted("Chat summaries come from a member library's queue.")
        report = summary.read(iq["refdesk_summary"], home)
        coop = next((c for c in await self._hosted() if c.id == report.coop), None)
        if coop is None:
            raise NotFound(f"There is no co-op {report.coop!r} here.")
        if home != coop.host and coop.member(home) is None:
            raise NotPermitted(f"{home} is not a member of {coop.name}.")
        _check_answerer(coop, report)
        await self._store.record_summary(report)
        iq.reply().send()

    def _write(self, write: Callable[[], Awaitable[None]]) -> None:
        """Presence comes in order and so must its records: one writer, in turn."""
        self._writes.put_nowait(write)
        if self._writer is None or self._writer.done():
            self._writer = asyncio.ensure_future(self._drain())

    async def _drain(self) -> None:
        while not self._writes.empty():
            write = self._writes.get_nowait()
            try:
                await write()
            except Exception as error:  # the database: logged once, the record is lost
                self._failures.failed("recording monitoring", error)
            else:
                self._failures.recovered("recording monitoring")


def _monitoring(occupants: dict[str, RoomPresence], operator: str) -> bool:
    return any(o.operator == operator and o.monitoring for o in occupants.values())


def _check_answerer(coop: CoopRecord, report: Summary) -> None:
    """Who answered must be of the library named, and that library of the co-op: the
    Quality team's comments and the members' statistics go by it."""
    if report.answered_by is None:
        return
    institution = report.answered_institution
    if JID(report.answered_by).domain != institution:
        raise InvalidInput("The answering librarian is not of the library named.")
    if institution != coop.host and coop.member(institution or "") is None:
        raise NotPermitted(f"{institution} is not a member of {coop.name}.")
