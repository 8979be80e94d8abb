"""The API's guard: a browser's first request without credentials costs nothing, every guess
counts against its address, and a stopped address is told when to come back."""

from __future__ import annotations

import base64
from unittest import mock

import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from gateway.api.access import ApiAccess
from gateway.api.credentials import FailedLogins
from gateway.api.link import LoginRefused, XmppLink
from gateway.api.problems import Problem
from gateway.api.sessions import ApiSessions
from gateway.limits import IpLimiter


async def refuse_all(jid: str, password: str) -> XmppLink:
    raise LoginRefused(jid)


def request(authorization: str | None, ip: str = "192.0.2.7") -> web.Request:
    transport = mock.Mock()
    transport.get_extra_info.side_effect = lambda name, default=None: (
        (ip, 40000) if name == "peername" else default)
    headers = {"Authorization": authorization} if authorization else {}
    return make_mocked_request("GET", "/api/v0/report", headers=headers, transport=transport)


def basic(pair: str) -> str:
    return "Basic " + base64.b64encode(pair.encode()).decode()


def guard(max_failures: int = 2) -> ApiAccess:
    return ApiAccess("alpha.test", ApiSessions(refuse_all), FailedLogins(max_failures),
                     IpLimiter(10, 600), ())


async def status_of(access: ApiAccess, authorization: str | None) -> int:
    with pytest.raises(Problem) as refused:
        await access.link(request(authorization))
    return refused.value.status


async def test_requests_without_credentials_are_401_and_never_stop_the_address() -> None:
    access = guard()

    assert [await status_of(access, None) for _ in range(5)] == [401] * 5


async def test_wrong_passwords_and_other_servers_accounts_count_until_429() -> None:
    access = guard(max_failures=2)

    first = await status_of(access, basic("ann@alpha.test:guess"))
    second = await status_of(access, basic("bea@beta.test:pw"))
    with pytest.raises(Problem) as stopped:
        await access.link(request(basic("ann@alpha.test:another")))

    assert (first, second, stopped.value.status) == (401, 401, 429)
    assert int(stopped.value.headers["Retry-After"]) > 0
    with pytest.raises(Problem) as elsewhere:
        await access.link(request(basic("ann@alpha.test:x"), ip="192.0.2.8"))
    assert elsewhere.value.status == 401
