"""A librarian's console whose refdesk payloads in some namespaces are kept from its
WebSocket (both ways) and validated against their XSDs: what the console's browser stories
use to prove it speaks the pinned protocol."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import xmlschema
from lxml import etree
from playwright.async_api import Browser, Page, WebSocket

from tests.integration.consolepage import DESKTOP, log_in
from tests.integration.xmpp import find_account


@dataclass
class Traffic:
    """The WebSocket frames of one console page that carry payloads of `validators`."""

    validators: Mapping[str, xmlschema.XMLSchema]
    frames: list[str] = field(default_factory=list)

    def watch(self, socket: WebSocket) -> None:
        socket.on("framesent", self._keep)
        socket.on("framereceived", self._keep)

    def _keep(self, payload: str | bytes) -> None:
        text = payload.decode() if isinstance(payload, bytes) else payload
        if any(namespace in text for namespace in self.validators):
            self.frames.append(text)

    def validated(self, namespace: str | None = None) -> int:
        """Validates every watched element sent or received; how many there were (of
        `namespace` alone, if given)."""
        count = 0
        for frame in self.frames:  # RFC 7395: one stanza a frame; payloads are its children
            for element in etree.fromstring(frame.encode()):
                found = etree.QName(element).namespace or ""
                if found in self.validators:
                    self.validators[found].validate(etree.tostring(element))
                    count += namespace is None or found == namespace
        return count


@asynccontextmanager
async def watched_console(browser: Browser, lab: dict[str, Any], jid: str,
                          validators: Mapping[str, xmlschema.XMLSchema]
                          ) -> AsyncIterator[tuple[Page, Traffic]]:
    """A librarian logged in to their library's console, its traffic in `validators` kept."""
    site, account = find_account(lab, jid)
    context = await browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = await context.new_page()
    traffic = Traffic(validators)
    page.on("websocket", traffic.watch)
    try:
        await page.goto(f"{site['gateway']['http']}/console")
        await log_in(page, jid, account["password"])
        yield page, traffic
    finally:
        await context.close()
