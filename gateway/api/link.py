"""One librarian's XMPP login, made by the API on their behalf: asks as them, so every access
rule stays the components' own."""

from __future__ import annotations

import asyncio
import logging
import secrets
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal
from xml.etree.ElementTree import Element

from slixmpp import ClientXMPP
from slixmpp.exceptions import IqError, IqTimeout

log = logging.getLogger(__name__)

LOGIN_TIMEOUT_S: Final = 10.0
ASK_TIMEOUT_S: Final = 15.0
CLOSE_WAIT_S: Final = 1.0
# The components verify passwords nowhere; the server does, and SCRAM keeps the password
# itself off the wire even inside TLS.
MECHANISM: Final = "SCRAM-SHA-1"


@dataclass(frozen=True)
class ServerAddress:
    """Where librarians log in: the library's own server, TLS from the first byte."""

    host: str
    port: int
    ca_file: Path | None


class LoginRefused(Exception):
    """The server refused the credentials (unknown user or wrong password alike)."""


class ServerUnreachable(Exception):
    """The library's server did not take the login in time."""


class AskFailed(Exception):
    """A component answered with an XMPP error."""

    def __init__(self, condition: str, text: str) -> None:
        super().__init__(text or condition)
        self.condition, self.text = condition, text


class AskTimedOut(Exception):
    """A component did not answer in time."""


class XmppLink:
    """A logged-in client that sends no presence: it is nobody's contact, takes no chats and
    receives nothing addressed to the librarian's bare JID."""

    def __init__(self, client: ClientXMPP) -> None:
        self._client = client

    @classmethod
    async def login(cls, server: ServerAddress, jid: str, password: str) -> XmppLink:
        """Log in as jid; raises LoginRefused or ServerUnreachable."""
        client = _client(server, jid, password)
        outcome: asyncio.Future[bool] = asyncio.get_running_loop().create_future()

        def settle(value: bool) -> None:
            if not outcome.done():
                outcome.set_result(value)

        client.add_event_handler("session_start", lambda _: settle(True))
        client.add_event_handler("failed_all_auth", lambda _: settle(False))
        client.connect(server.host, server.port)
        try:
            accepted = await asyncio.wait_for(outcome, LOGIN_TIMEOUT_S)
        except TimeoutError:
            _drop(client)
            raise ServerUnreachable("the library's chat server did not answer") from None
        if not accepted:
            _drop(client)
            raise LoginRefused(jid)
        return cls(client)

    @property
    def connected(self) -> bool:
        return bool(self._client.is_connected())

    async def ask(self, to: str, payload: Element,
                  kind: Literal["get", "set"] = "get") -> Element:
        """Send payload in an iq to `to`; the result's first child (its payload)."""
        iq = self._client.make_iq(ito=to, itype=kind)
        iq.append(payload)
        try:
            result: Any = await iq.send(timeout=ASK_TIMEOUT_S)
        except IqError as error:
            raise AskFailed(error.condition, error.text) from None
        except IqTimeout:
            raise AskTimedOut(to) from None
        children: list[Element] = list(result.xml)
        if not children:
            raise AskFailed("undefined-condition", f"{to} answered with no data")
        return children[0]

    async def close(self) -> None:
        await self._client.disconnect(wait=CLOSE_WAIT_S)
        _stop_filters(self._client)


def _client(server: ServerAddress, jid: str, password: str) -> ClientXMPP:
    # A resource of its own per login, so that it never takes over a librarian's client.
    client = ClientXMPP(f"{jid}/api-{secrets.token_hex(4)}", password, sasl_mech=MECHANISM)
    client.enable_starttls = False
    client.enable_plaintext = False
    client.enable_direct_tls = True
    client.ca_certs = server.ca_file
    client.ssl_context.minimum_version = ssl.TLSVersion.TLSv1_2
    return client


def _drop(client: ClientXMPP) -> None:
    # abort() alone leaves slixmpp retrying, with back-off, a server it never reached.
    client.cancel_connection_attempt()
    client.abort()
    _stop_filters(client)


def _stop_filters(client: ClientXMPP) -> None:
    # slixmpp cancels its outgoing-filter task only when the client is garbage-collected; the
    # gateway makes and drops clients all day, so it ends the task as it drops the client.
    if client._run_out_filters is not None:
        client._run_out_filters.cancel()
