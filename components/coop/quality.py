"""urn:refdesk:quality:0 at the registry (schemas/quality.xsd): forward, cases, review,
rotation and draw, and the registry's own draw when a rotation's period has passed.

The requester is the bare JID their own server vouches for; what they may do is the
registry's record of them (components/coop/quality_rules.py).
"""

from __future__ import annotations

import asyncio
import logging

from slixmpp import ComponentXMPP, Iq
from slixmpp.xmlstream import ET
from slixmpp.xmlstream.handler import CoroutineCallback
from slixmpp.xmlstream.matcher import MatchXPath
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from components.coop import quality_rules as rules
from components.coop import quality_wire as wire
from components.coop.quality_commands import QualityCommand
from components.coop.quality_desk import QualityDesk
from components.errors import xmpp_errors
from components.failures import Failures
from refdesk.db.stores.quality import Case, QualityStore
from refdesk.db.stores.registry import RegistryStore

log = logging.getLogger(__name__)

NS = wire.NS
DRAW_CHECK_S = 3600.0
"""How often the registry looks whether a rotation's period has passed: periods are days."""


def attach(xmpp: ComponentXMPP, registry: RegistryStore,
           sessions: async_sessionmaker[AsyncSession], host: str) -> QualityHandlers:
    """Give the registry the quality requests and the `quality` command."""
    handlers = QualityHandlers(xmpp, QualityDesk(registry, QualityStore(sessions), host))
    handlers.register()
    QualityCommand(xmpp, handlers.desk, handlers.send_comments).register()
    return handlers


class QualityHandlers:
    """The quality requests of one registry component."""

    def __init__(self, xmpp: ComponentXMPP, desk: QualityDesk) -> None:
        self.xmpp, self.desk = xmpp, desk
        self._failures = Failures(log)
        self._next: asyncio.TimerHandle | None = None
        self._drawing: asyncio.Task[None] | None = None

    def register(self) -> None:
        routes = {"forward": self._handle_forward, "cases": self._handle_cases,
                  "review": self._handle_review, "rotation": self._handle_rotation,
                  "draw": self._handle_draw}
        for name, handler in routes.items():
            self.xmpp.register_handler(CoroutineCallback(
                f"quality {name}",
                MatchXPath(f"{{{self.xmpp.default_ns}}}iq/{{{NS}}}{name}"),
                handler))  # type: ignore[arg-type]  # the matcher guarantees an Iq

    def close(self) -> None:
        if self._next is not None:
            self._next.cancel()
        if self._drawing is not None:
            self._drawing.cancel()
        self._next = self._drawing = None

    # --- the registry's own draw -----------------------------------------------------------

    def follow_rotations(self, seconds: float = 0) -> None:
        """Draw every co-op's sample whose period has passed, now and then every hour."""
        if self._next is not None:
            self._next.cancel()
        self._next = asyncio.get_running_loop().call_later(seconds, self._start_draw)

    def _start_draw(self) -> None:
        if self._drawing is None or self._drawing.done():
            self._drawing = asyncio.ensure_future(self._draw_due())
        self.follow_rotations(DRAW_CHECK_S)

    async def _draw_due(self) -> None:
        try:
            await self.desk.draw_due()
        except (SQLAlchemyError, OSError) as error:
            self._failures.failed("drawing review samples", error)
        else:
            self._failures.recovered("drawing review samples")

    # --- requests --------------------------------------------------------------------------

    @xmpp_errors
    async def _handle_forward(self, iq: Iq) -> None:
        if iq["type"] != "set":
            return
        forward = wire.read_forward(_payload(iq, "forward"))
        case = await self.desk.forward(_requester(iq), forward)
        self._reply(iq, wire.case_element(case))

    @xmpp_errors
    async def _handle_cases(self, iq: Iq) -> None:
        if iq["type"] != "get":
            return
        element = _payload(iq, "cases")
        # Without a co-op: the cases of every co-op hosted here.
        coop = wire.read_id(element, "coop") if element.get("coop") is not None else None
        cases = await self.desk.cases(_requester(iq), coop, wire.read_state(element))
        self._reply(iq, wire.cases_element(cases, coop))

    @xmpp_errors
    async def _handle_review(self, iq: Iq) -> None:
        if iq["type"] != "set":
            return
        case_id, comments = wire.read_review(_payload(iq, "review"))
        case = await self.desk.review(_requester(iq), case_id, comments)
        self._reply(iq, wire.case_element(case))
        self.send_comments(case)

    @xmpp_errors
    async def _handle_rotation(self, iq: Iq) -> None:
        if iq["type"] not in ("get", "set"):
            return
        element = _payload(iq, "rotation")
        jid, coop = _requester(iq), wire.read_id(element, "coop")
        rotation = await self.desk.rotation(jid, coop)
        if iq["type"] == "set":
            rotation = await self.desk.set_rotation(jid, wire.read_rotation(element, rotation))
        self._reply(iq, wire.rotation_element(rotation))

    @xmpp_errors
    async def _handle_draw(self, iq: Iq) -> None:
        if iq["type"] != "set":
            return
        coop = wire.read_id(_payload(iq, "draw"), "coop")
        cases = await self.desk.draw(_requester(iq), coop)
        self._reply(iq, wire.cases_element(cases, coop))

    def send_comments(self, case: Case) -> None:
        """The team's comments, to the librarian who handled the session."""
        if not case.librarian:
            return
        message = self.xmpp.make_message(
            mto=case.librarian, mfrom=self.xmpp.boundjid.bare, mtype="chat",
            mbody=f"The Quality team reviewed chat {case.chat_id} of {case.home} "
                  f"(case {case.id}):\n{case.comments}")
        message.append(wire.case_element(rules.for_librarian(case)))
        message.send()

    def _reply(self, iq: Iq, element: ET.Element) -> None:
        reply = iq.reply()
        reply.append(element)
        reply.send()


def _payload(iq: Iq, name: str) -> ET.Element:
    element = iq.xml.find(f"{{{NS}}}{name}")
    assert element is not None  # the matcher routed it here for this child
    return element


def _requester(iq: Iq) -> str:
    return str(iq["from"].bare)
