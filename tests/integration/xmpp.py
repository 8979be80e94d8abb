"""Real XMPP clients for integration tests: operators logged in to their own lab server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from slixmpp import JID, ClientXMPP
from slixmpp.xmlstream.handler import CoroutineCallback
from slixmpp.xmlstream.matcher import MatchXPath

LOGIN_TIMEOUT_S = 15.0
ASK_AGAIN_S = 0.1


def find_account(lab: dict[str, Any], jid: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(site, operator) entries of lab.json for an operator's JID."""
    for site in lab["libraries"] + lab["coop_hosts"]:
        for operator in site["operators"]:
            if operator["jid"] == jid:
                return site, operator
    raise KeyError(f"no operator {jid} in lab.json")


class Inbox:
    """Stanzas a client received, awaited by predicate."""

    def __init__(self) -> None:
        self.items: list[Any] = []
        self._changed = asyncio.Condition()

    @classmethod
    def of_messages(cls, client: ClientXMPP) -> Inbox:
        """Every message stanza, bodyless ones (typing, receipts) included."""
        inbox = cls()
        client.register_handler(CoroutineCallback(
            "test inbox", MatchXPath("{jabber:client}message"), inbox._add))
        return inbox

    @classmethod
    def of_presences(cls, client: ClientXMPP) -> Inbox:
        """Every presence stanza, a room's included (slixmpp raises no "presence" event for
        those)."""
        inbox = cls()
        client.register_handler(CoroutineCallback(
            "test presences", MatchXPath("{jabber:client}presence"), inbox._add))
        return inbox

    @classmethod
    def of_event(cls, client: ClientXMPP, event: str) -> Inbox:
        inbox = cls()
        client.add_event_handler(event, inbox._add)
        return inbox

    async def _add(self, stanza: Any) -> None:
        async with self._changed:
            self.items.append(stanza)
            self._changed.notify_all()

    def mark(self) -> int:
        """A point in the inbox: wait_for(..., since=mark) looks only at what came after."""
        return len(self.items)

    async def wait_for(self, predicate: Any, timeout: float = 10.0, since: int = 0) -> Any:
        async def first_match() -> Any:
            async with self._changed:
                while True:
                    for item in self.items[since:]:
                        if predicate(item):
                            return item
                    await self._changed.wait()
        return await asyncio.wait_for(first_match(), timeout)


async def eventually(ask: Callable[[], Awaitable[Any]], expected: Any = True,
                     timeout: float = 10.0) -> None:
    """Asks until the answer is `expected`: for state that can only be asked about, never
    pushed (an iq, a command, an HTTP status). Fails with the last answer after `timeout`."""
    answer: Any = None

    async def until_expected() -> None:
        nonlocal answer
        while (answer := await ask()) != expected:
            await asyncio.sleep(ASK_AGAIN_S)
    try:
        await asyncio.wait_for(until_expected(), timeout)
    except TimeoutError:
        raise AssertionError(f"still {answer!r} after {timeout} s, not {expected!r}") from None


@dataclass
class Session:
    """A logged-in client and what it has received."""

    xmpp: ClientXMPP
    messages: Inbox
    groupchat: Inbox

    @property
    def jid(self) -> str:
        return str(self.xmpp.boundjid.bare)


@asynccontextmanager
async def operator(lab: dict[str, Any], jid: str,
                   plugins: tuple[str, ...] = ("xep_0030", "xep_0045", "xep_0050")
                   ) -> AsyncIterator[Session]:
    """An operator's client, logged in over TLS that verifies against the lab CA."""
    site, account = find_account(lab, jid)
    async with _session(lab, site, jid, account["password"], plugins) as session:
        yield session


@asynccontextmanager
async def patron(lab: dict[str, Any], domain: str) -> AsyncIterator[Session]:
    """A patron: an anonymous login on the library's guest host, as the widget makes."""
    site = next(s for s in lab["libraries"] if s["domain"] == domain)
    async with _session(lab, site, site["guest_host"], "", ("xep_0085", "xep_0184")) as session:
        yield session


@asynccontextmanager
async def _session(lab: dict[str, Any], site: dict[str, Any], jid: str, password: str,
                   plugins: tuple[str, ...]) -> AsyncIterator[Session]:
    client = ClientXMPP(jid, password)
    client.ca_certs = lab["ca_file"]
    for plugin in plugins:
        client.register_plugin(plugin)
    session = Session(client, Inbox.of_messages(client),
                      Inbox.of_event(client, "groupchat_message"))
    started: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def on_session_start(_: Any) -> None:
        if not started.done():
            started.set_result(None)

    def on_failed_auth(_: Any) -> None:
        if not started.done():
            started.set_exception(RuntimeError(f"{jid} failed to log in"))

    client.add_event_handler("session_start", on_session_start)
    client.add_event_handler("failed_auth", on_failed_auth)
    client.connect(site["address"], site["c2s_port"])
    try:
        await asyncio.wait_for(started, LOGIN_TIMEOUT_S)
        client.send_presence()
        yield session
    finally:
        await client.disconnect(wait=1.0)


@asynccontextmanager
async def account(lab: dict[str, Any], jid: str, password: str,
                  plugins: tuple[str, ...] = ("xep_0030", "xep_0045", "xep_0050")
                  ) -> AsyncIterator[Session]:
    """A client of any account on a lab library's server (one the lab did not make)."""
    site = next(s for s in lab["libraries"] if s["domain"] == JID(jid).domain)
    async with _session(lab, site, jid, password, plugins) as session:
        yield session
