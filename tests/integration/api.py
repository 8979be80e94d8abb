"""The gateway's JSON API from a library's own dashboard: HTTP Basic requests from a chosen
source address, responses checked against the API's OpenAPI schemas, and the logins the
library's server saw."""

from __future__ import annotations

import base64
import ipaddress
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from openapi_schema_validator import OAS31Validator

from gateway.api.openapi import DOCUMENT
from tests.integration.xmpp import find_account


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    text: str

    def json(self) -> Any:
        return json.loads(self.text)


def password(lab: dict[str, Any], jid: str) -> str:
    return str(find_account(lab, jid)[1]["password"])


def gateway(lab: dict[str, Any], domain: str) -> str:
    site = next(s for s in lab["libraries"] + lab["coop_hosts"] if s["domain"] == domain)
    return f"{site['gateway']['http']}/api/v0"


def source_address(lab: dict[str, Any], offset: int) -> str:
    """A loopback address of this lab's own range for a story's requests: failed logins are
    counted per address, so a story that fails on purpose keeps its failures to itself."""
    first = ipaddress.ip_address(lab["libraries"][0]["address"])
    return str(first + 150 + offset)


class ApiClient:
    """Requests to one gateway's API, as one librarian (or none)."""

    def __init__(self, http: aiohttp.ClientSession, base: str,
                 auth: dict[str, str]) -> None:
        self._http, self._base, self._auth = http, base, auth

    async def get(self, path: str, **query: str) -> Reply:
        return await self.get_with({}, path, query)

    async def get_with(self, headers: dict[str, str], path: str,
                       query: dict[str, str] | None = None) -> Reply:
        """A request with headers of the story's own (an Authorization header, say)."""
        async with self._http.get(f"{self._base}{path}", params=query or {},
                                  headers={**self._auth, **headers}) as response:
            return Reply(response.status, dict(response.headers), await response.text())


@asynccontextmanager
async def api(lab: dict[str, Any], domain: str, user: str | None = None,
              secret: str | None = None, source: str | None = None
              ) -> AsyncIterator[ApiClient]:
    """A client of `domain`'s gateway logging in as `user` (with their lab password unless
    `secret` is given), from `source` if given."""
    auth = {}
    if user is not None:
        pair = f"{user}:{secret if secret is not None else password(lab, user)}"
        auth = {"Authorization": "Basic " + base64.b64encode(pair.encode()).decode()}
    connector = aiohttp.TCPConnector(local_addr=(source, 0) if source else None)
    async with aiohttp.ClientSession(connector=connector) as http:
        yield ApiClient(http, gateway(lab, domain), auth)


def conforms(document: Any, schema: str) -> Any:
    """The document, once checked against the OpenAPI document's schema `schema`."""
    root = {"components": DOCUMENT["components"], **DOCUMENT["components"]["schemas"][schema]}
    OAS31Validator(root).validate(document)
    return document


def logins(lab: dict[str, Any], jid: str) -> int:
    """How many times the library's server has logged `jid` in (its log says so each time)."""
    domain = jid.split("@")[1]
    log = Path(lab["dir"]) / domain / "run" / "prosody.log"
    return log.read_text(errors="replace").count(f"Authenticated as {jid}\n")


def refused_logins(lab: dict[str, Any], domain: str, source: str) -> int:
    """How many logins from `source` `domain`'s gateway has tried and had refused."""
    log = Path(lab["dir"]) / domain / "run" / "gateway.log"
    return log.read_text(errors="replace").count(f"API login refused from {source}\n")
