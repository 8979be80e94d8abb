"""The library's copy of each co-op it joined, following the co-op's registry live.

Both the queue (components.queue.coops) and the archive follow the co-ops this way.
For every co-op in the library's own `coop` table the component subscribes to the co-op's node
at its registry (components.coop.publication) and fetches the current item; each push that
follows replaces the copy. Nothing of it is stored: the registry is the one source of truth,
and every (re)start fetches again. A registry that cannot be reached is tried again with a
growing delay, logged once per cause; a followed co-op is fetched again every REFRESH_S as
well, which brings back a subscription a restarted registry no longer knows of.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Literal

from slixmpp import ComponentXMPP, Iq, Message
from slixmpp.exceptions import IqError, IqTimeout
from slixmpp.xmlstream import ET
from slixmpp.xmlstream.handler import CoroutineCallback
from slixmpp.xmlstream.matcher import MatchXPath
from sqlalchemy.exc import SQLAlchemyError

from components.coop.wire import ITEM_ID, NS, PUBSUB, PUBSUB_EVENT, BadSnapshot, read_coop
from components.errors import error_condition
from components.failures import Failures
from refdesk.db.stores.directory import CoopInfo
from refdesk.db.stores.registry import CoopRecord

log = logging.getLogger(__name__)

TIMEOUT_S = 10.0
FIRST_RETRY_S = 1.0
MAX_RETRY_S = 30.0
REFRESH_S = 600.0

Applied = Callable[[CoopRecord], None]
Report = Callable[[str], Awaitable[None]]
"""Registry JID -> tell it our users' chat access (components.queue.chataccess)."""


async def nothing_to_report(_registry: str) -> None:
    """For a follower that only reads (the archive): the queue reports chat access."""


class CoopFeed:
    def __init__(self, xmpp: ComponentXMPP, applied: Applied, report: Report) -> None:
        self._xmpp = xmpp
        self._applied = applied
        self._report = report
        self._registries: dict[str, str] = {}
        """Co-op id -> the registry that publishes it."""
        self._tasks: set[asyncio.Task[None]] = set()
        self._timers: list[asyncio.TimerHandle] = []
        self._failures = Failures(log)
        self._known: set[str] = set()
        """Co-ops whose registry's word has arrived since the queue (re)connected."""

    @property
    def registries(self) -> set[str]:
        return set(self._registries.values())

    def listen(self) -> None:
        """Take the registries' pushes to this component from now on."""
        xmpp = self._xmpp
        xmpp.register_handler(CoroutineCallback(
            "co-op registry push",
            MatchXPath(f"{{{xmpp.default_ns}}}message/{{{PUBSUB_EVENT}}}event"),
            self._handle_push,  # type: ignore[arg-type]  # the matcher: a Message
        ))

    async def _handle_push(self, message: Message) -> None:
        self.on_event(message)

    def follow(self, coops: Iterable[CoopInfo]) -> None:
        """Follow these co-ops (and only these) from now on."""
        self.stop()
        self._registries = {coop.id: coop.component for coop in coops}
        self._known &= set(self._registries)
        for coop_id, registry in sorted(self._registries.items()):
            self._spawn(coop_id, registry, FIRST_RETRY_S)

    def stop(self) -> None:
        for timer in self._timers:
            timer.cancel()
        for task in self._tasks:
            task.cancel()
        self._timers, self._tasks = [], set()

    def on_event(self, message: Message) -> None:
        """A push from a registry; items of co-ops it does not publish for us are ignored."""
        event = message.xml.find(f"{{{PUBSUB_EVENT}}}event")
        sender = message["from"].bare
        for items in [] if event is None else event.iterfind(f"{{{PUBSUB_EVENT}}}items"):
            if self._registries.get(items.get("node", "")) != sender:
                continue
            for coop in items.iterfind(f"{{{PUBSUB_EVENT}}}item/{{{NS}}}coop"):
                self._apply(coop, sender, items.get("node", ""))

    def forget(self) -> None:
        """A new stream: nothing heard before counts until it is heard again."""
        self._known.clear()

    async def until_known(self, timeout: float) -> bool:
        """Wait until every followed co-op's registry has spoken (True), or `timeout`: until
        then nobody counts as monitoring a co-op, and a routing step would pass it over."""
        deadline = asyncio.get_running_loop().time() + timeout
        while not set(self._registries) <= self._known:
            if asyncio.get_running_loop().time() > deadline:
                return False
            await asyncio.sleep(0.05)
        return True

    def _spawn(self, coop_id: str, registry: str, delay: float) -> None:
        task = asyncio.ensure_future(self._keep(coop_id, registry, delay))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _later(self, seconds: float, coop_id: str, registry: str, delay: float) -> None:
        # A timer, not a task asleep in a loop: each attempt is a task that ends.
        self._timers = [t for t in self._timers if not t.cancelled()]
        self._timers.append(asyncio.get_running_loop().call_later(
            seconds, self._spawn, coop_id, registry, delay))

    async def _keep(self, coop_id: str, registry: str, delay: float) -> None:
        """One attempt; the next one after `delay` (growing) if it failed, else REFRESH_S."""
        what = f"following {coop_id} at {registry}"
        try:
            await self._sync(coop_id, registry)
        except (IqError, IqTimeout, BadSnapshot, SQLAlchemyError, OSError) as error:
            self._failures.failed(what, RegistryError(error))
            self._later(delay, coop_id, registry, min(delay * 2, MAX_RETRY_S))
            return
        self._failures.recovered(what)
        self._later(REFRESH_S, coop_id, registry, FIRST_RETRY_S)

    async def _sync(self, coop_id: str, registry: str) -> None:
        subscribe = {"node": coop_id, "jid": self._xmpp.boundjid.bare}
        await self._pubsub(registry, "set", "subscribe", subscribe)
        result = await self._pubsub(registry, "get", "items", {"node": coop_id})
        coop = result.xml.find(f"{{{PUBSUB}}}pubsub/{{{PUBSUB}}}items/{{{PUBSUB}}}item"
                               f"[@id='{ITEM_ID}']/{{{NS}}}coop")
        if coop is None:
            raise BadSnapshot(f"{registry} published no {coop_id}")
        self._apply(coop, registry, coop_id)
        await self._report(registry)

    async def _pubsub(self, registry: str, kind: Literal["get", "set"], action: str,
                      attributes: dict[str, str]) -> Iq:
        iq = self._xmpp.make_iq(ito=registry, ifrom=self._xmpp.boundjid.bare, itype=kind)
        pubsub = ET.SubElement(iq.xml, f"{{{PUBSUB}}}pubsub")
        ET.SubElement(pubsub, f"{{{PUBSUB}}}{action}", attributes)
        result: Iq = await iq.send(timeout=TIMEOUT_S)
        return result

    def _apply(self, element: ET.Element, registry: str, coop_id: str) -> None:
        try:
            coop = read_coop(element, registry)
        except BadSnapshot as error:
            log.warning("%s sent an unreadable %s: %s", registry, coop_id, error)
            return
        if coop.id != coop_id:
            log.warning("%s published %s as node %s; ignored", registry, coop.id, coop_id)
            return
        self._known.add(coop.id)
        self._applied(coop)


class RegistryError(Exception):
    """An error as one short line: the condition a registry answered with, not the stanza."""

    def __init__(self, error: Exception) -> None:
        if isinstance(error, IqError):
            text = error.iq["error"]["text"]
            why = f"{error_condition(error.iq)}" + (f" ({text})" if text else "")
        elif isinstance(error, IqTimeout):
            why = "no answer"
        else:
            why = str(error)
        super().__init__(why)
