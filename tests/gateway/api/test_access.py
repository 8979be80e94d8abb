"""The API's guard: a browser's first request without credentials costs nothing, every guess
counts against its address, and a stopped address is told when to come back."""

from __future__ import annotations

import asyncio
import base64
from unittest import mock

import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from gateway.api.access import ApiAccess
from gateway.api.credentials import FailedLogins
from gateway.api.link import LoginRefused, XmppLink
from gateway.api.problems import Problem
from gateway.api.sessions import ApiSessions, Login
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


class SlowServer:
    """A server that takes a while over each login and knows one password."""

    def __init__(self) -> None:
        self.logins = 0

    async def __call__(self, jid: str, password: str) -> XmppLink:
        self.logins += 1
        await asyncio.sleep(0.01)
        if password != "right":
            raise LoginRefused(jid)
        return mock.Mock(spec=XmppLink, connected=True)


def guard(max_failures: int = 2, login: Login = refuse_all, floor_s: float = 0.0) -> ApiAccess:
    return ApiAccess("alpha.test", ApiSessions(login), FailedLogins(max_failures),
                     IpLimiter(10, 600), (), refusal_floor_s=floor_s)


async def answer_of(access: ApiAccess, authorization: str | None) -> int | Problem:
    try:
        await access.link(request(authorization))
    except Problem as problem:
        return problem
    return 200


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


async def test_parallel_guesses_from_one_address_reach_the_server_no_more_than_the_limit(
        ) -> None:
    server = SlowServer()
    access = guard(max_failures=5, login=server)

    answers = await asyncio.gather(*(answer_of(access, basic(f"ann@alpha.test:guess{n}"))
                                     for n in range(40)))

    assert server.logins == 5
    statuses = [a.status for a in answers if isinstance(a, Problem)]
    assert sorted(statuses) == [401] * 5 + [429] * 35
    assert all(int(a.headers["Retry-After"]) > 0 for a in answers
               if isinstance(a, Problem) and a.status == 429)


async def test_a_dashboards_parallel_burst_is_one_login_and_counts_no_failure() -> None:
    server = SlowServer()
    access = guard(max_failures=2, login=server)

    answers = await asyncio.gather(*(answer_of(access, basic("ann@alpha.test:right"))
                                     for _ in range(6)))

    assert answers == [200] * 6 and server.logins == 1
    assert access.failures.retry_after("192.0.2.7") is None


async def test_the_same_wrong_password_in_parallel_is_one_guess() -> None:
    server = SlowServer()
    access = guard(max_failures=2, login=server)

    answers = await asyncio.gather(*(answer_of(access, basic("ann@alpha.test:guess"))
                                     for _ in range(6)))

    assert [a.status for a in answers if isinstance(a, Problem)] == [401] * 6
    assert server.logins == 1
    assert await status_of(access, basic("ann@alpha.test:another")) == 401


@pytest.mark.parametrize("authorization", [
    None, "Basic !!!", basic("nobody@alpha.test:pw"), basic("ann@alpha.test:wrong")])
async def test_every_401_takes_at_least_the_floor(authorization: str | None) -> None:
    access = guard(max_failures=5, login=SlowServer(), floor_s=0.2)
    loop = asyncio.get_running_loop()

    started = loop.time()
    status = await status_of(access, authorization)

    assert status == 401 and loop.time() - started >= 0.2


async def test_a_successful_login_and_a_stopped_address_wait_for_no_floor() -> None:
    access = guard(max_failures=1, login=SlowServer(), floor_s=5.0)

    async with asyncio.timeout(1):
        assert await answer_of(access, basic("ann@alpha.test:right")) == 200
        access.failures.failed("192.0.2.7")
        assert await status_of(access, basic("ann@alpha.test:right")) == 429
