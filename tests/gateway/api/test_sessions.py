"""One login per librarian for a dashboard's burst; a wrong password never rides an open
session; idle sessions end; the number of sessions is bounded."""

from __future__ import annotations

import asyncio

import pytest

from gateway.api.link import LoginRefused, XmppLink
from gateway.api.sessions import ApiSessions, TooManySessions


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FakeLink:
    def __init__(self) -> None:
        self.connected = True
        self.closed = False

    async def close(self) -> None:
        self.closed = True


class FakeServer:
    def __init__(self, passwords: dict[str, str]) -> None:
        self.passwords, self.logins = passwords, 0

    async def login(self, jid: str, password: str) -> XmppLink:
        self.logins += 1
        await asyncio.sleep(0)
        if self.passwords.get(jid) != password:
            raise LoginRefused(jid)
        return FakeLink()  # type: ignore[return-value]


async def test_a_burst_of_requests_logs_in_once() -> None:
    server = FakeServer({"ann@alpha.test": "pw"})
    sessions = ApiSessions(server.login)

    links = await asyncio.gather(*(sessions.link("ann@alpha.test", "pw") for _ in range(10)))

    assert server.logins == 1 and sessions.logins == 1
    assert len({id(link) for link in links}) == 1


async def test_a_wrong_password_is_refused_even_while_a_session_is_open() -> None:
    server = FakeServer({"ann@alpha.test": "pw"})
    sessions = ApiSessions(server.login)
    await sessions.link("ann@alpha.test", "pw")

    with pytest.raises(LoginRefused):
        await sessions.link("ann@alpha.test", "guess")

    assert server.logins == 2
    await sessions.link("ann@alpha.test", "pw")
    assert server.logins == 2


async def test_an_idle_session_is_logged_out_and_the_next_request_logs_in_again() -> None:
    server, clock = FakeServer({"ann@alpha.test": "pw"}), FakeClock()
    sessions = ApiSessions(server.login, idle_s=60, clock=clock)
    first = await sessions.link("ann@alpha.test", "pw")

    clock.now += 60
    await sessions.sweep()

    assert first.closed and len(sessions) == 0  # type: ignore[attr-defined]
    await sessions.link("ann@alpha.test", "pw")
    assert server.logins == 2


async def test_a_new_librarian_waits_while_every_session_is_in_use() -> None:
    server, clock = FakeServer({"ann@alpha.test": "a", "al@alpha.test": "b"}), FakeClock()
    sessions = ApiSessions(server.login, idle_s=60, max_sessions=1, clock=clock)
    await sessions.link("ann@alpha.test", "a")
    clock.now += 20

    with pytest.raises(TooManySessions) as full:
        await sessions.link("al@alpha.test", "b")

    assert full.value.retry_after_s == 41
    assert server.logins == 1


async def test_refused_logins_leave_nothing_behind() -> None:
    sessions = ApiSessions(FakeServer({}).login)

    for n in range(50):
        with pytest.raises(LoginRefused):
            await sessions.link(f"nobody{n}@alpha.test", "x")

    assert len(sessions) == 0 and not sessions._logging_in
