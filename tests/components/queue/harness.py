"""A component on slixmpp's test stream: stanzas in, stanzas out, on a clock the test moves.

slixmpp's `SlixTest` drives a component through a mock transport and compares stanzas with
its `check`; it runs each step with `run_until_complete` on the current event loop, which
pytest-asyncio owns. Here each component gets an event loop of its own whose clock stands
still until the test moves it, so nothing time-driven (a routing step, a queue update, an
iq's timeout) happens unless the test says `advance(seconds)`: every run is the same run.

- `recv(xml)` feeds a stanza as the server would and lets the component finish with it.
- `send(xml)` takes the next stanza the component wrote and compares it with `xml`
  (slixmpp's exact comparison: every attribute and child, nothing more or less);
  `send_in_any_order(xml, …)` the next few, for what the component sends over a set.
- `nothing_sent()` says the component wrote nothing that the test has not taken.
- `FakeServer` answers what the queue asks of the server and of other services at once
  (a room join, room configuration, member lists, pings, a co-op's registry, pings and disco#info
  to librarians' clients), the way Prosody, a co-op registry and a client do; the stanzas it
  answers are still taken and compared by the test.

Waiting is on conditions, never on sleeps: the loop runs until every task of the component
is done or asleep on the clock (a task that only waits for time to pass waits for the test to
move it), and a real-time watchdog fails a step that would wait for ever.
"""

from __future__ import annotations

import asyncio
import contextvars
import itertools
import selectors
import threading
import weakref
from collections import deque
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, TypeVar, TypeVarTuple

import pytest
from slixmpp import ComponentXMPP
from slixmpp.test import SlixTest, TestTransport
from slixmpp.xmlstream import ET, ElementBase, tostring

from components.coop.wire import coop_element, read_access
from components.queue import departures as departures_module
from components.queue import desk as desk_module
from components.queue import transfer as transfer_module
from components.queue.component import QueueComponent
from components.queue.desk import QUEUE_UPDATE_DELAY_S
from components.queue.timers import RoutingTimers
from refdesk.db.models import chat as chat_model
from refdesk.db.stores import chats as chat_store
from refdesk.db.stores.registry import CoopRecord
from refdesk.settings import Settings
from tests.components.queue.registry import published

T = TypeVar("T")
Ts = TypeVarTuple("Ts")

EPOCH = 1_750_000_000.0
"""The wall clock (time.time) at virtual time 0."""
WATCHDOG_S = 5.0
"""A step that has not finished after this many real seconds is stuck: the test fails."""
STREAM_ID = "stream-1"
SLEEP_DONE = getattr(asyncio.futures, "_set_result_unless_cancelled")  # noqa: B009
"""What an asyncio.sleep schedules to wake its future (mypy's stubs leave it out)."""

MUC = "http://jabber.org/protocol/muc"
MUC_USER = "http://jabber.org/protocol/muc#user"
MUC_OWNER = "http://jabber.org/protocol/muc#owner"
MUC_ADMIN = "http://jabber.org/protocol/muc#admin"
PING = "urn:xmpp:ping"
DISCO_INFO = "http://jabber.org/protocol/disco#info"
PUBSUB = "http://jabber.org/protocol/pubsub"
COOP = "urn:refdesk:coop:0"
ACTIVITY = "urn:refdesk:activity:0"


class Stuck(AssertionError):
    """The component kept working, or waiting, longer than WATCHDOG_S of real time."""


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    """An event loop whose clock moves only when told: timers fire when the test says."""

    def __init__(self) -> None:
        self._virtual_now = 0.0
        self._sleeps: weakref.WeakSet[asyncio.Future[Any]] = weakref.WeakSet()
        """What asyncio.sleep waits on: futures only the clock resolves."""
        super().__init__(selectors.DefaultSelector())

    def time(self) -> float:
        return self._virtual_now

    def move_clock(self, seconds: float) -> None:
        self._virtual_now += seconds

    def call_at(self, when: float, callback: Callable[[*Ts], object],
                *args: *Ts, context: contextvars.Context | None = None,
                ) -> asyncio.TimerHandle:
        # asyncio.sleep(delay) is call_later(delay, _set_result_unless_cancelled, future, …).
        if args and callback is SLEEP_DONE and isinstance(args[0], asyncio.Future):
            self._sleeps.add(args[0])
        return super().call_at(when, callback, *args, context=context)

    def asleep(self, task: asyncio.Future[Any]) -> bool:
        """Whether the task waits for nothing but the clock (an asyncio.sleep)."""
        waiter = getattr(task, "_fut_waiter", None)
        return waiter is not None and not waiter.done() and waiter in self._sleeps


@dataclass
class FakeServer:
    """What the queue's server and its partners answer at once, the way they would.

    A join is answered with the occupants already in the room, then the queue's own
    presence (status 110); room configuration and affiliation changes with a result; a
    member, admin or owner list query with `members`, `admins` or `owners`; a ping with a
    result; a co-op registry's node with the co-op in `coops`, a subscription and a chat access
    report with a result. A librarian's client (a full JID)
    answers a ping and a disco#info query, unless its connection is `gone` (its server then
    answers service-unavailable for it) or it is `pingless` (a client without XEP-0199,
    which answers a ping service-unavailable and disco#info with a result). Anything else is
    answered with service-unavailable and recorded in `unexpected`, which the test fixture
    checks is empty."""

    domain: str
    occupants: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    """Room JID -> (nick, real JID, show) of those in it before the queue joins."""
    members: dict[str, set[str]] = field(default_factory=dict)
    """Room JID -> bare JIDs with affiliation member; kept up to date by muc#admin sets."""
    coops: dict[str, CoopRecord] = field(default_factory=published)
    """Co-op id -> the co-op as its registry publishes it (node `<id>` at `coop.<host>`)."""
    access_reports: list[tuple[str, dict[str, bool]]] = field(default_factory=list)
    """(registry, {jid: chat}) of each chat access report the queue sent, in order."""
    admins: dict[str, set[str]] = field(default_factory=dict)
    """Room JID -> bare JIDs with affiliation admin (not listed as members)."""
    owners: dict[str, set[str]] = field(default_factory=dict)
    """Room JID -> bare JIDs with affiliation owner (not listed as members)."""
    gone: set[str] = field(default_factory=set)
    """Full JIDs of librarians' clients whose connection has ended."""
    pingless: set[str] = field(default_factory=set)
    """Full JIDs of librarians' clients that do not know XEP-0199 pings."""
    refused: dict[str, str] = field(default_factory=dict)
    """Namespace -> the error condition every iq in it is answered with."""
    affiliations_set: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)
    """(room, [(jid, affiliation), …]) of each muc#admin set, in order."""
    unexpected: list[str] = field(default_factory=list)
    summaries: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    """(registry, the summary's attributes) of each chat summary the queue sent, in order."""

    def took_summary(self, stanza: ET.Element) -> str | None:
        """For a chat summary to a co-op's registry: recorded in `summaries`, the answer."""
        found = stanza.find(f"{{{ACTIVITY}}}summary")
        if stanza.tag.split("}")[-1] != "iq" or found is None:
            return None
        self.summaries.append((stanza.get("to", ""), dict(found.attrib)))
        return (f"<iq type='result' id='{stanza.get('id')}' from='{stanza.get('to')}' "
                f"to='{stanza.get('from')}'/>")

    def answer(self, stanza: ET.Element) -> list[str]:
        """The stanzas the server sends back for one the component wrote."""
        kind = stanza.tag.split("}")[-1]
        if kind == "presence":
            return self._presence(stanza)
        if kind == "iq" and stanza.get("type") in ("get", "set"):
            return [self._iq(stanza)]
        return []

    def _presence(self, presence: ET.Element) -> list[str]:
        if presence.find(f"{{{MUC}}}x") is None or presence.get("type"):
            return []  # a leave, a subscription: nothing the queue waits for
        room, _, nick = presence.get("to", "").partition("/")
        own = presence.get("from", "")
        answers = [occupant(room, other, jid, show, to=own)
                   for other, jid, show in self.occupants.get(room, [])]
        answers.append(own_presence(room, nick, own))
        return answers

    def _iq(self, iq: ET.Element) -> str:
        query = next(iter(iq), None)
        namespace = query.tag[1:].split("}")[0] if query is not None else ""
        to, ours = iq.get("to", ""), iq.get("from", "")
        reply = f"<iq type='result' id='{iq.get('id')}' from='{to}' to='{ours}'"
        if namespace in self.refused:
            return _error(iq, self.refused[namespace])
        if "@" in to and "/" in to and namespace in (PING, DISCO_INFO):
            return self._client(iq, namespace, reply)
        if namespace == MUC_ADMIN and iq.get("type") == "get":
            return self._affiliation_list(to, query, reply)
        if namespace == MUC_ADMIN:
            self._affiliate(to, query)
            return f"{reply}/>"
        if namespace in (MUC_OWNER, PING):
            return f"{reply}/>"
        if to.startswith("coop.") and query is not None and namespace in (PUBSUB, COOP):
            return self._registry(iq, query, reply)
        self.unexpected.append(tostring(iq))
        return _error(iq, "service-unavailable")

    def _registry(self, iq: ET.Element, query: ET.Element, reply: str) -> str:
        """A co-op's registry: its node's item, a subscription, a chat access report."""
        to = iq.get("to", "")
        if query.tag == f"{{{COOP}}}access":
            self.access_reports.append((to, read_access(query)))
            return f"{reply}/>"
        action = next(iter(query))
        coop = self.coops.get(action.get("node", ""))
        if coop is None or coop.component != to:
            return _error(iq, "item-not-found")
        if action.tag == f"{{{PUBSUB}}}subscribe":
            return (f"{reply}><pubsub xmlns='{PUBSUB}'><subscription node='{coop.id}' "
                    f"jid='{iq.get('from')}' subscription='subscribed'/></pubsub></iq>")
        return (f"{reply}><pubsub xmlns='{PUBSUB}'><items node='{coop.id}'>"
                f"<item id='current'>{tostring(coop_element(coop))}</item></items></pubsub></iq>")

    def _client(self, iq: ET.Element, namespace: str, reply: str) -> str:
        """A librarian's client, or its server for a connection that has ended."""
        to = iq.get("to", "")
        if to in self.gone or (namespace == PING and to in self.pingless):
            return _error(iq, "service-unavailable")
        if namespace == PING:
            return f"{reply}/>"
        return (f"{reply}><query xmlns='{DISCO_INFO}'><identity category='client' type='pc'/>"
                "</query></iq>")

    def _affiliation_list(self, room: str, query: ET.Element | None, reply: str) -> str:
        asked = query.find(f"{{{MUC_ADMIN}}}item") if query is not None else None
        affiliation = asked.get("affiliation", "") if asked is not None else ""
        lists = {"member": self.members, "admin": self.admins, "owner": self.owners}
        listed = lists[affiliation].get(room, set()) if affiliation in lists else set()
        items = "".join(f"<item affiliation='{affiliation}' jid='{jid}'/>"
                        for jid in sorted(listed))
        return f"{reply}><query xmlns='{MUC_ADMIN}'>{items}</query></iq>"

    def _affiliate(self, room: str, query: ET.Element | None) -> None:
        items = [] if query is None else [
            (item.get("jid", ""), item.get("affiliation", ""))
            for item in query.iterfind(f"{{{MUC_ADMIN}}}item")]
        self.affiliations_set.append((room, items))
        # Prosody applies the first item of a set only; so does this server.
        if items:
            jid, affiliation = items[0]
            members = self.members.setdefault(room, set())
            self.admins.get(room, set()).discard(jid)
            self.owners.get(room, set()).discard(jid)
            if affiliation == "member":
                members.add(jid)
            else:
                members.discard(jid)


def _error(iq: ET.Element, condition: str) -> str:
    return (f"<iq type='error' id='{iq.get('id')}' from='{iq.get('to')}' to='{iq.get('from')}'>"
            f"<error type='cancel'><{condition} xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
            "</error></iq>")


def occupant(room: str, nick: str, jid: str, show: str = "", *, to: str = "",
             kind: str = "") -> str:
    """An occupant's presence in a non-anonymous room, as the room sends it."""
    type_attr = f" type='{kind}'" if kind else ""
    to_attr = f" to='{to}'" if to else ""
    show_element = f"<show>{show}</show>" if show else ""
    role = "none" if kind == "unavailable" else "participant"
    return (f"<presence from='{room}/{nick}'{to_attr}{type_attr}>{show_element}"
            f"<x xmlns='{MUC_USER}'><item affiliation='member' role='{role}' jid='{jid}'/>"
            "</x></presence>")


def own_presence(room: str, nick: str, own: str, kind: str = "") -> str:
    """The room's presence of the queue itself (status 110)."""
    type_attr = f" type='{kind}'" if kind else ""
    return (f"<presence from='{room}/{nick}' to='{own}'{type_attr}>"
            f"<x xmlns='{MUC_USER}'><item affiliation='owner' role='moderator' jid='{own}'/>"
            "<status code='110'/></x></presence>")


class _Wire(TestTransport):
    """slixmpp's test transport, with every write handed to the harness as it happens."""

    def __init__(self, xmpp: ComponentXMPP, written: Callable[[str], None]) -> None:
        super().__init__(xmpp)  # type: ignore[no-untyped-call]
        self._written = written

    def write(self, data: str | bytes) -> int:
        self._written(data.decode() if isinstance(data, bytes) else data)
        return len(data)


class StreamHarness:
    """One component on a test stream, on its own virtual-time loop."""

    def __init__(self, server: FakeServer) -> None:
        self.loop = VirtualTimeLoop()
        self.server = server
        self.xmpp: ComponentXMPP | None = None
        self._sent: deque[str] = deque()
        self._replies: deque[str] = deque()
        self._written_signal: asyncio.Future[None] | None = None
        self._own: set[asyncio.Future[Any]] = set()
        self._filters: asyncio.Task[None] | None = None
        self._wire: _Wire | None = None
        self._checker = SlixTest()
        self._ids = itertools.count(1)

    # --- the clock ---------------------------------------------------------------------------

    @property
    def now(self) -> float:
        """Virtual seconds since the harness started."""
        return self.loop.time()

    def wall_clock(self) -> float:
        """time.time() as the component should see it."""
        return EPOCH + self.loop.time()

    def advance(self, seconds: float) -> None:
        """Move the clock on; what falls due runs, and the component finishes with it."""
        self.loop.move_clock(seconds)
        self.run(asyncio.sleep(0))

    # --- running -----------------------------------------------------------------------------

    def run(self, work: Awaitable[T], until: Callable[[], bool] | None = None) -> T:
        """Run `work` on the component's loop, with the fake server answering, until it and
        everything it set off are done (or, after `work`, only until `until` holds)."""
        step = self.loop.create_task(self._with_settle(work, until))
        self._own.add(step)
        watchdog = threading.Timer(WATCHDOG_S, self.loop.call_soon_threadsafe, (step.cancel,))
        watchdog.start()
        try:
            return self.loop.run_until_complete(step)
        except asyncio.CancelledError:
            busy = "\n".join(repr(task) for task in asyncio.all_tasks(self.loop)
                             if task not in self._own and task is not self._filters)
            raise Stuck(f"still busy after {WATCHDOG_S} s of real time:\n{busy}") from None
        finally:
            watchdog.cancel()
            self._own.discard(step)

    async def _with_settle(self, work: Awaitable[T],
                           until: Callable[[], bool] | None = None) -> T:
        task = asyncio.ensure_future(work)
        await self._settle(until=task)
        result = task.result()
        await self._settle(condition=until)
        return result

    def _busy(self, besides: asyncio.Future[Any] | None,
              asleep_too: bool = False) -> list[asyncio.Future[Any]]:
        """The component's tasks still at work; with `asleep_too`, also those waiting for
        nothing but the clock (which stands still until the test moves it)."""
        current = asyncio.current_task()
        return [task for task in asyncio.all_tasks() if not task.done()
                and task not in self._own and task is not self._filters
                and task is not besides and task is not current
                and (asleep_too or not self.loop.asleep(task))]

    async def _settle(self, until: asyncio.Future[Any] | None = None,
                      condition: Callable[[], bool] | None = None) -> None:
        """Run until the component is idle: every task done, every stanza written, every
        answer of the fake server fed; or only until `until` is done or `condition` holds."""
        assert self.xmpp is not None
        while not (until is not None and until.done()):
            for _ in range(3):  # timers that fell due, callbacks queued with call_soon
                await asyncio.sleep(0)
            await self.xmpp.waiting_queue.join()
            if self._replies:
                self.xmpp.data_received(self._replies.popleft())
                continue
            if condition is not None and condition():
                return
            busy = self._busy(besides=until)
            if not busy and until is None:
                if condition is not None:
                    raise AssertionError("the component went idle before the condition held")
                return
            self._written_signal = asyncio.get_running_loop().create_future()
            await asyncio.wait([*busy, self._written_signal, *([until] if until else [])],
                               return_when=asyncio.FIRST_COMPLETED)
            self._written_signal = None

    # --- the stream --------------------------------------------------------------------------

    def connect(self, xmpp: ComponentXMPP, until: Callable[[], bool] | None = None) -> None:
        """Put the component on the test stream and complete the XEP-0114 handshake; run
        until the component is idle, or only until `until` holds."""
        self.xmpp = xmpp
        xmpp.new_id = self.new_id  # type: ignore[method-assign]
        if "xep_0050" in xmpp.plugin:
            # slixmpp's session ids start with the wall clock.
            sessions = (f"session-{n}" for n in itertools.count(1))
            xmpp.plugin["xep_0050"].new_session = (  # type: ignore[method-assign]
                lambda: next(sessions))
        self.run(self._connect(xmpp), until)

    async def _connect(self, xmpp: ComponentXMPP) -> None:
        self._filters = asyncio.ensure_future(xmpp.run_filters())
        xmpp.init_plugins()
        self._wire = _Wire(xmpp, self._written)
        xmpp.connection_made(self._wire)  # type: ignore[arg-type]
        xmpp.data_received(
            "<stream:stream xmlns='jabber:component:accept' "
            "xmlns:stream='http://etherx.jabber.org/streams' "
            f"from='{xmpp.boundjid.bare}' id='{STREAM_ID}'>")
        await xmpp.waiting_queue.join()
        self._sent.clear()  # the stream header and the handshake
        xmpp.data_received("<handshake/>")

    def new_id(self) -> str:
        """Deterministic stanza ids: 1, 2, 3… in the order the component asks for them."""
        return str(next(self._ids))

    def restart_ids(self) -> None:
        self._ids = itertools.count(1)

    def _written(self, data: str) -> None:
        summary = None if data.startswith(("<stream:", "<?xml")) else \
            self.server.took_summary(ET.fromstring(data))
        if summary is not None:  # kept in its own list, in no fixed order with the rest
            self._replies.append(summary)
            return
        self._sent.append(data)
        if self._written_signal is not None and not self._written_signal.done():
            self._written_signal.set_result(None)
        if data.startswith("<stream:") or data.startswith("<?xml"):
            return
        stanza = ET.fromstring(data)
        self._replies.extend(self.server.answer(stanza))

    def recv(self, data: str) -> None:
        """The server delivers `data` to the component; the component finishes with it."""
        assert self.xmpp is not None
        xmpp = self.xmpp

        async def deliver() -> None:
            xmpp.data_received(data)

        self.run(deliver())

    def sent(self) -> ElementBase:
        """The next stanza the component wrote, as slixmpp reads it."""
        assert self.xmpp is not None
        if not self._sent:
            raise AssertionError("the component sent nothing (more)")
        xml = ET.fromstring(self._sent.popleft())
        self._checker.xmpp = self.xmpp
        self._checker.fix_namespaces(xml)
        return self.xmpp._build_stanza(xml)

    def send(self, data: str, method: str = "exact", use_values: bool = False) -> None:
        """The next stanza the component wrote is `data` (slixmpp's SlixTest comparison)."""
        self._checker.check(self.sent(), data, method=method,  # type: ignore[arg-type]
                            use_values=use_values)

    def send_in_any_order(self, *data: str) -> None:
        """The next stanzas the component wrote are `data`, in some order: for what it sends
        to each member of a set, whose order Python does not fix. Each is compared exactly,
        but for its id: the ids of `data` are those of the stanzas in the order written."""
        written = [self.sent() for _ in data]
        expected = [ET.fromstring(xml) for xml in data]
        assert [stanza["id"] for stanza in written] == [xml.get("id") for xml in expected]
        for xml in expected:
            if not any(self._matches(stanza, xml) for stanza in written):
                raise AssertionError(f"not sent: {tostring(xml)}\nsent:\n"
                                     + "\n".join(str(stanza) for stanza in written))

    def _matches(self, stanza: ElementBase, expected: ET.Element) -> bool:
        expected.set("id", stanza["id"])
        try:
            self._checker.check(stanza, tostring(expected), method="exact")
        except AssertionError:
            return False
        return True

    def sent_all(self) -> list[ElementBase]:
        """Every stanza written and not taken yet."""
        stanzas = []
        while self._sent:
            stanzas.append(self.sent())
        return stanzas

    def nothing_sent(self) -> None:
        assert not self._sent, "the component also sent:\n" + "\n".join(self._sent)

    def pending(self) -> Iterator[str]:
        yield from self._sent

    # --- the end -----------------------------------------------------------------------------

    def close(self, cleanup: Callable[[], Awaitable[None]] | None = None) -> None:
        async def stop() -> None:
            if cleanup is not None:
                await cleanup()
            for task in self._busy(besides=None, asleep_too=True):
                task.cancel()
            if self._filters is not None:
                self._filters.cancel()
            await asyncio.sleep(0)

        try:
            self.loop.run_until_complete(stop())
            self.loop.run_until_complete(self.loop.shutdown_asyncgens())
            self.loop.run_until_complete(self.loop.shutdown_default_executor())
        finally:
            if self._wire is not None:
                self._wire.socket.socket.close()
            self.loop.close()


# --- the queue of Alpha University Library, as the lab seeds it ---------------------------------

ALPHA = "alpha.test"
QUEUE = f"queue.{ALPHA}"
QUEUE_OCCUPANT = f"{QUEUE}/queue"
LIBRARY_NAME = "Alpha University Library"
"""Also the queue's nick in rooms."""
REFERENCE = "reference@conference.alpha.test"
SCIENCE = "science@conference.alpha.test"
COOP_LOCAL = "coop-local@conference.alpha.test"
COOP_247 = "coop-247@conference.coop.test"
ROOMS = (REFERENCE, SCIENCE, COOP_LOCAL, COOP_247)
ROOMS_POLL_S = 0.05
"""How often the starting queue looks whether it is in its rooms yet."""


def chat_jid(chat_id: int | str) -> str:
    return f"chat-{chat_id}@{QUEUE}"


class QueueHarness(StreamHarness):
    """Alpha's queue component on a test stream, its database a copy of the lab's seed.

    Chat ids are 1, 2, 3… and resume tokens token-1, token-2…, in the order chats are
    opened; the queue's wall clock is EPOCH plus the virtual time."""

    def __init__(self, database_url: str, monkeypatch: pytest.MonkeyPatch,
                 **queue_settings: float) -> None:
        super().__init__(FakeServer(ALPHA))
        self.settings = Settings.model_validate({
            "library": {"domain": ALPHA, "name": LIBRARY_NAME},
            "components": {"secret": "unit-test-secret-0123456789"},
            "database": {"url": database_url},
            "queue": {"staff_delay_s": 40.0, **queue_settings},
        })
        chat_ids, tokens = itertools.count(1), itertools.count(1)
        clock = SimpleNamespace(time=self.wall_clock)
        monkeypatch.setattr(desk_module, "time", clock)
        monkeypatch.setattr(transfer_module, "time", clock)
        monkeypatch.setattr(departures_module, "time", clock)
        monkeypatch.setattr(chat_model, "secrets",
                            SimpleNamespace(token_hex=lambda _: str(next(chat_ids))))
        monkeypatch.setattr(chat_store, "secrets",
                            SimpleNamespace(token_urlsafe=lambda _: f"token-{next(tokens)}"))
        self.queue = self.loop.run_until_complete(self._build())

    async def _build(self) -> QueueComponent:
        queue = QueueComponent(self.settings)
        desk = queue.desk
        # The desk's routing timers on the virtual wall clock, wired as the desk wires them.
        desk.timers = RoutingTimers(lambda chat_id: desk.spawn(desk.advance(chat_id)),
                                    clock=self.wall_clock)
        # When a librarian was last heard from, on the virtual clock too (Departures reads
        # time.monotonic unless given another clock).
        queue.departures._clock = self.loop.time
        return queue

    def start(self, keep_sent: bool = False) -> None:
        """Connect, let the queue join its rooms and set them up. What it sent on the way is
        dropped unless `keep_sent`; the ids of what it sends next start again from 1."""
        rooms = self.queue.rooms
        self.connect(self.queue,
                     until=lambda: bool(rooms.watched) and rooms.watched <= rooms.joined)
        self.advance(ROOMS_POLL_S)
        self.advance(QUEUE_UPDATE_DELAY_S)  # the queue update every start ends with
        if not keep_sent:
            self._sent.clear()
        self.restart_ids()

    @property
    def ready(self) -> bool:
        """Whether the queue takes requests (it is in its rooms and has restored its chats)."""
        return self.queue._ready.is_set()

    def stop(self) -> None:
        async def dispose() -> None:
            self.queue.close()
            await self.queue.engine.dispose()

        self.close(dispose)
