"""Widget status over HTTP: one XMPP session of the gateway's watches the widgets for it.

The queue pushes a widget's status to whoever sends presence to widget-<id>@queue.<library>
(components/queue/status.py). The gateway keeps one anonymous session on the library's guest
host, starts watching a widget the first time its status is asked for, and answers from
what the queue last pushed: pages and monitoring dashboards need no XMPP of their own.

A restarted queue has forgotten who watches (and a lost push is never sent again), so an
answer older than STALE_S is refreshed: the page gets what is known now, and the watch
presence sent again brings the queue's current status for the next ask.
"""

from __future__ import annotations

import asyncio
import logging
import time

from slixmpp import ClientXMPP
from slixmpp.xmlstream import StanzaBase
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath

from refdesk.settings import Settings

log = logging.getLogger(__name__)

QUEUE_NS = "urn:refdesk:queue:0"
FIRST_PUSH_TIMEOUT_S = 3.0
RECONNECT_DELAY_S = 1.0
STALE_S = 5.0
"""How old the queue's last word on a widget may be before it is asked again."""


class WidgetStatusWatcher:
    def __init__(self, settings: Settings) -> None:
        domain = settings.library.domain
        self._queue = f"queue.{domain}"
        self._xmpp = ClientXMPP(f"guest.{domain}", "")
        if settings.server.ca_file is not None:
            self._xmpp.ca_certs = settings.server.ca_file
        self._server = (settings.server.address, settings.server.c2s_port)
        self._online: dict[str, asyncio.Future[bool]] = {}
        self._heard: dict[str, float] = {}
        """Widget -> when the queue last said (or was last asked) how it stands."""
        self._stopping = False
        self._xmpp.register_handler(Callback(
            "widget status", MatchXPath(f"{{jabber:client}}message/{{{QUEUE_NS}}}status"),
            self._on_status))
        self._xmpp.add_event_handler("session_start", self._on_session_start)
        self._xmpp.add_event_handler("disconnected", self._on_disconnected)

    def start(self) -> None:
        self._xmpp.connect(*self._server)

    async def stop(self) -> None:
        self._stopping = True
        await self._xmpp.disconnect(wait=1.0)

    async def online(self, widget: str) -> bool | None:
        """The widget's status as the queue last pushed it; None until it has answered."""
        known = self._online.get(widget)
        if known is None:
            known = self._online[widget] = asyncio.get_running_loop().create_future()
            self._watch(widget)
        elif time.monotonic() - self._heard.get(widget, 0.0) > STALE_S:
            self._watch(widget)
        try:
            return await asyncio.wait_for(asyncio.shield(known), FIRST_PUSH_TIMEOUT_S)
        except TimeoutError:
            return None

    def _watch(self, widget: str) -> None:
        self._heard[widget] = time.monotonic()
        if self._xmpp.is_connected():
            self._xmpp.send_presence(pto=f"widget-{widget}@{self._queue}")

    def _on_status(self, message: StanzaBase) -> None:
        status = message.xml.find(f"{{{QUEUE_NS}}}status")
        if status is None or status.get("widget") is None:
            return
        widget, online = str(status.get("widget")), status.get("online") == "true"
        self._heard[widget] = time.monotonic()
        known = self._online.get(widget)
        if known is None or known.done():
            future = asyncio.get_running_loop().create_future()
            future.set_result(online)
            self._online[widget] = future
        else:
            known.set_result(online)

    def _on_session_start(self, _: object) -> None:
        self._xmpp.send_presence()
        for widget in self._online:  # a new session watches again what the old one did
            self._watch(widget)

    def _on_disconnected(self, _: object) -> None:
        if not self._stopping:
            log.warning("widget status session lost; reconnecting")
            asyncio.get_running_loop().call_later(RECONNECT_DELAY_S, self.start)
