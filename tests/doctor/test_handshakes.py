"""Component handshakes and s2s stream openings, against stand-ins that answer as Prosody
would: each answer is reported distinctly, and nothing waits past its timeout."""

from __future__ import annotations

import asyncio
import hashlib
import time
from pathlib import Path

import pytest

from refdesk.doctor import resolve
from refdesk.doctor.components import Handshake, check_component, handshake
from refdesk.doctor.context import Deployment, Options
from refdesk.doctor.network import check_partners, stream_answer
from refdesk.doctor.prosodyconfig import parse_prosody_config
from refdesk.doctor.resolve import Endpoint, Resolver, parse_hosts
from refdesk.doctor.result import Status
from refdesk.settings import Settings
from tests.doctor.fakeserver import Behaviour, error, header, serving

ACCEPT = "jabber:component:accept"
SECRET = "the-right-secret-here"


def _component(answer: str) -> Behaviour:
    async def behave(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b">")  # the XML declaration
        await reader.readuntil(b">")
        if answer == "host-unknown":
            writer.write(header(ACCEPT) + error("host-unknown"))
            return
        writer.write(header(ACCEPT, "sid-7"))
        token = (await reader.readuntil(b"</handshake>")).decode()
        right = hashlib.sha1(f"sid-7{SECRET}".encode()).hexdigest() in token
        if not right:
            writer.write(error("not-authorized"))
        elif answer == "conflict":
            writer.write(error("conflict"))
        else:
            writer.write(b"<handshake/>")
            await reader.readuntil(b"</stream:stream>")
    return behave


@pytest.mark.parametrize(("answer", "secret", "expected"), [
    ("conflict", SECRET, Handshake.IN_USE),
    ("conflict", "a-wrong-secret-here", Handshake.REFUSED),
    ("accept", SECRET, Handshake.ACCEPTED),
    ("host-unknown", SECRET, Handshake.UNKNOWN_HOST),
])
async def test_each_answer_to_a_component_handshake_is_told_apart(
        answer: str, secret: str, expected: Handshake) -> None:
    async with serving(_component(answer)) as port:
        assert await handshake("127.0.0.1", port, "queue.example.test", secret, 2) is expected


def _deployment(port: int, prosody: str = "") -> Deployment:
    settings = Settings.model_validate({
        "library": {"domain": "example.test", "name": "Example"},
        "server": {"component_port": port},
        "components": {"enabled": ["queue"], "secret": SECRET}})
    return Deployment(Options(Path("refdesk.toml"), timeout=1), settings,
                      parse_prosody_config(prosody, Path("prosody.cfg.lua")))


async def test_a_right_secret_with_nothing_connected_says_refdesk_serve_is_not_running() -> None:
    async with serving(_component("accept")) as port:
        result = await check_component(_deployment(port), "queue.example.test")
    assert result.status is Status.FAIL
    assert "secret accepted but no component is connected: refdesk serve is not running" \
        in result.finding


async def test_under_kick_old_doctor_never_connects_as_the_component() -> None:
    connected = asyncio.Event()

    async def record(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connected.set()

    async with serving(record) as port:
        deployment = _deployment(port, 'component_conflict_resolve = "kick_old"\n')
        result = await check_component(deployment, "queue.example.test")
        await asyncio.sleep(0.1)
    assert result.status is Status.WARN
    assert "kick_old" in result.finding
    assert not connected.is_set()


async def test_a_component_port_with_nothing_listening_is_refused() -> None:
    async with serving(_component("accept")) as port:
        pass
    answer = await handshake("127.0.0.1", port, "queue.example.test", SECRET, 1)
    assert answer == "connection refused"


async def _s2s_server(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.readuntil(b"version='1.0'>")
    writer.write(header("jabber:server") + b"<stream:features/>")
    await reader.readuntil(b"</stream:stream>")


async def _silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await asyncio.sleep(30)


async def _http(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(b"HTTP/1.1 400 Bad Request\r\n\r\n")


async def test_a_partner_answering_a_stream_header_passes() -> None:
    async with serving(_s2s_server) as port:
        endpoint = Endpoint("127.0.0.1", port, "beta.test")
        assert await stream_answer(endpoint, "beta.test", "alpha.test", 1) is None


@pytest.mark.parametrize(("behaviour", "reason"), [
    (_silent, "no answer within 0.3 s"),
    (_http, "not XMPP"),
])
async def test_a_partner_that_is_not_an_xmpp_server_fails_with_why(
        behaviour: Behaviour, reason: str) -> None:
    async with serving(behaviour) as port:
        answer = await stream_answer(Endpoint("127.0.0.1", port, "x"), "x", "y", 0.3)
    assert answer is not None
    assert answer.startswith(reason)


async def test_silent_partners_are_waited_for_together_not_one_after_another(
        monkeypatch: pytest.MonkeyPatch) -> None:
    async with serving(_silent) as port:
        monkeypatch.setattr(resolve, "S2S_PORT", port)
        deployment = _deployment(5347)
        deployment = Deployment(Options(Path("x"), timeout=0.5), deployment.settings, None)
        partners = [f"p{index}.test" for index in range(6)]
        resolver = Resolver(parse_hosts("".join(f"127.0.0.1 {p}\n" for p in partners)))
        began = time.monotonic()
        results = await check_partners(deployment, partners, resolver)
        elapsed = time.monotonic() - began
    assert [result.status for result in results] == [Status.FAIL] * 6
    assert all("no answer within 0.5 s" in result.finding for result in results)
    assert elapsed < 2.0

