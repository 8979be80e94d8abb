"""Gateway benchmark: refdesk's WebSocket connection manager against Prosody's own mod_websocket.

Starts its own lab (loopback only) unless given one, then measures, in one run:
- patron <-> operator round trips on alpha.test, both clients on the transport under test
  (the refdesk gateway, then Prosody's mod_websocket, which the lab serves only over TLS on
  loopback): messages per second with WINDOW messages in flight, and the latency (p50/p99)
  of one round trip at a time;
- the memory (RSS delta, from /proc) of the gateway process and of Prosody for 1,000 idle,
  logged-in patron WebSocket sessions through the gateway.
Prints the figures and the ratios; asserts nothing. Every loop is bounded; the run stops by
itself.

    .venv/bin/python bench/gateway.py [--messages 2000] [--idle 1000] [--lab DIR]

A lab given with --lab must have been started with the environment in UNTHROTTLED.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import itertools
import json
import os
import ssl
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from refdesk.lab import processes  # noqa: E402

BASE_ADDRESS = "127.0.80.2"
WINDOW = 32
LATENCY_SAMPLES = 300
SESSIONS_PER_ADDRESS = 20  # the gateway's default max_sessions_per_ip
LOGIN_CONCURRENCY = 50
DEADLINE_S = 600
# One patron sending thousands of messages is a flood by the gateway's default per-IP rate,
# which Prosody's mod_websocket does not have: lift it for the lab's gateways, through the
# environment they inherit. A lab given with --lab must have been started the same way.
UNTHROTTLED = {"REFDESK_GATEWAY_MAX_REQUESTS_PER_MINUTE_PER_IP": "100000000"}
FRAMING = "urn:ietf:params:xml:ns:xmpp-framing"
SASL = "urn:ietf:params:xml:ns:xmpp-sasl"
BIND = "urn:ietf:params:xml:ns:xmpp-bind"
CLIENT = "jabber:client"


class Client:
    """A raw RFC 7395 client: hand-written frames, parsed replies."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws, self.jid = ws, ""

    async def next(self, tag: str) -> etree._Element:
        while True:
            message = await self.ws.receive(30)
            if message.type is not aiohttp.WSMsgType.TEXT:
                raise RuntimeError(f"stream closed while waiting for {tag}: {message}")
            frame = etree.fromstring(message.data.encode())
            if frame.tag == tag or frame.find(f".//{tag}") is not None:
                return frame

    async def login(self, host: str, account: tuple[str, str] | None) -> None:
        opening = f'<open xmlns="{FRAMING}" to="{host}" version="1.0"/>'
        await self.ws.send_str(opening)
        await self.next("{http://etherx.jabber.org/streams}features")
        if account is None:
            await self.ws.send_str(f'<auth xmlns="{SASL}" mechanism="ANONYMOUS"/>')
        else:
            secret = base64.b64encode(f"\0{account[0]}\0{account[1]}".encode()).decode()
            await self.ws.send_str(f'<auth xmlns="{SASL}" mechanism="PLAIN">{secret}</auth>')
        await self.next(f"{{{SASL}}}success")
        await self.ws.send_str(opening)
        await self.next(f"{{{BIND}}}bind")
        await self.ws.send_str(f'<iq xmlns="{CLIENT}" type="set" id="b"><bind xmlns="{BIND}"/>'
                               "</iq>")
        bound = await self.next(f"{{{BIND}}}jid")
        self.jid = bound.findtext(f".//{{{BIND}}}jid") or ""
        await self.ws.send_str(f'<presence xmlns="{CLIENT}"/>')


@asynccontextmanager
async def client(http: aiohttp.ClientSession, url: str, host: str,
                 account: tuple[str, str] | None = None,
                 tls: ssl.SSLContext | None = None) -> AsyncIterator[Client]:
    """A logged-in client; a wss:// url is verified against tls for the name host."""
    secure: dict[str, Any] = {"ssl": tls, "server_hostname": host} if tls else {}
    async with http.ws_connect(url, protocols=("xmpp",), timeout=aiohttp.ClientWSTimeout(
            ws_receive=None, ws_close=5), **secure) as ws:
        session = Client(ws)
        await session.login(host, account)
        yield session


async def echo(librarian: Client) -> None:
    """The operator answers every message at once, with the same id."""
    while True:
        message = await librarian.ws.receive()
        if message.type is not aiohttp.WSMsgType.TEXT:
            return
        frame = etree.fromstring(message.data.encode())
        if frame.tag == f"{{{CLIENT}}}message" and frame.findtext(f"{{{CLIENT}}}body"):
            await librarian.ws.send_str(
                f'<message xmlns="{CLIENT}" to="{frame.get("from")}" type="chat" '
                f'id="{frame.get("id")}"><body>re</body></message>')


class RoundTrips:
    """Patron -> operator -> patron, matched by message id."""

    def __init__(self, patron: Client, librarian: Client) -> None:
        self.patron, self.librarian = patron, librarian
        self.waiting: dict[str, asyncio.Future[float]] = {}
        self.ids = itertools.count()

    async def listen(self) -> None:
        while True:
            message = await self.patron.ws.receive()
            if message.type is not aiohttp.WSMsgType.TEXT:
                return
            frame = etree.fromstring(message.data.encode())
            future = self.waiting.pop(frame.get("id") or "", None)
            if future is not None and frame.tag == f"{{{CLIENT}}}message":
                future.set_result(time.perf_counter())

    async def one(self) -> float:
        ident = f"m{next(self.ids)}"
        arrived: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiting[ident] = arrived
        sent = time.perf_counter()
        await self.patron.ws.send_str(
            f'<message xmlns="{CLIENT}" to="{self.librarian.jid}" type="chat" id="{ident}">'
            "<body>Where is the map room?</body></message>")
        received: float = await asyncio.wait_for(arrived, 30)
        return received - sent


async def measure(url: str, site: dict[str, Any], messages: int,
                  tls: ssl.SSLContext | None = None) -> tuple[float, list[float]]:
    """(messages per second with WINDOW in flight, one-at-a-time latencies) on one transport."""
    account = site["operators"][-1]
    async with aiohttp.ClientSession() as http, AsyncExitStack() as stack:
        patron = await stack.enter_async_context(client(http, url, site["guest_host"], tls=tls))
        librarian = await stack.enter_async_context(
            client(http, url, site["domain"], (account["jid"].split("@")[0],
                                                account["password"]), tls))
        trips = RoundTrips(patron, librarian)
        tasks = [asyncio.create_task(echo(librarian)), asyncio.create_task(trips.listen())]
        try:
            latencies = [await trips.one() for _ in range(LATENCY_SAMPLES)]
            gate = asyncio.Semaphore(WINDOW)

            async def windowed() -> None:
                async with gate:
                    await trips.one()

            started = time.perf_counter()
            await asyncio.gather(*(windowed() for _ in range(messages)))
            rate = messages / (time.perf_counter() - started)
        finally:
            for task in tasks:
                task.cancel()
    return rate, latencies


def cpu_s(pid: int) -> float:
    """User + system CPU seconds the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def pid_of(lab: dict[str, Any], name: str) -> int:
    return next(p.pid for p in processes.load(Path(lab["dir"])) if p.name == name)


async def idle_sessions(site: dict[str, Any], count: int, stack: AsyncExitStack) -> int:
    """Open `count` logged-in patron sessions through the gateway, each kept open by `stack`,
    from enough loopback addresses to stay within the per-IP limit; return how many held."""
    addresses = [f"127.0.81.{n}" for n in range(1, count // SESSIONS_PER_ADDRESS + 2)]
    gate = asyncio.Semaphore(LOGIN_CONCURRENCY)
    https = [await stack.enter_async_context(aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(local_addr=(address, 0), limit=0)))
        for address in addresses]

    async def one(n: int) -> bool:
        async with gate:
            http = https[n // SESSIONS_PER_ADDRESS]
            with contextlib.suppress(aiohttp.ClientError, RuntimeError, TimeoutError):
                await stack.enter_async_context(
                    client(http, site["gateway"]["websocket"], site["guest_host"]))
                return True
        return False

    return sum(await asyncio.gather(*(one(n) for n in range(count))))


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def show(name: str, rate: float, latencies: list[float]) -> None:
    print(f"{name:<26} {rate:8.0f} msg/s   p50 {percentile(latencies, .5) * 1000:6.2f} ms"
          f"   p99 {percentile(latencies, .99) * 1000:6.2f} ms")


async def run(lab: dict[str, Any], messages: int, idle: int) -> None:
    site = next(s for s in lab["libraries"] if s["domain"] == "alpha.test")
    # Prosody's own WebSocket listens only over TLS, on loopback, with the lab's certificate.
    prosody_ws = site["prosody_websocket"]
    lab_tls = ssl.create_default_context(cafile=lab["ca_file"])
    print(f"round trips patron <-> operator on {site['domain']}: {messages} messages, "
          f"{WINDOW} in flight; latency one at a time ({LATENCY_SAMPLES})")
    gateway, prosody = pid_of(lab, "gateway alpha.test"), pid_of(lab, "prosody alpha.test")
    gateway_cpu, prosody_cpu = cpu_s(gateway), cpu_s(prosody)
    ours = await measure(site["gateway"]["websocket"], site, messages)
    cpu_ours = cpu_s(gateway) - gateway_cpu, cpu_s(prosody) - prosody_cpu
    prosody_cpu = cpu_s(prosody)
    theirs = await measure(prosody_ws, site, messages, lab_tls)
    cpu_theirs = cpu_s(prosody) - prosody_cpu
    trips = messages + LATENCY_SAMPLES
    show("refdesk gateway", *ours)
    print(f"{'':<26} CPU per round trip: gateway {cpu_ours[0] / trips * 1e6:.0f} us, "
          f"Prosody {cpu_ours[1] / trips * 1e6:.0f} us")
    show("Prosody mod_websocket (TLS)", *theirs)
    print(f"{'':<26} CPU per round trip: Prosody {cpu_theirs / trips * 1e6:.0f} us")
    print(f"{'gateway / Prosody':<26} {ours[0] / theirs[0]:8.2f}x throughput   "
          f"p50 {percentile(ours[1], .5) / percentile(theirs[1], .5):.2f}x latency")

    before = rss_kib(gateway), rss_kib(prosody)
    async with AsyncExitStack() as stack:
        started = time.perf_counter()
        held = await idle_sessions(site, idle, stack)
        elapsed = time.perf_counter() - started
        await asyncio.sleep(2)  # let allocations settle
        after = rss_kib(gateway), rss_kib(prosody)
    print(f"{held} idle patron sessions (logged in, bound) opened in {elapsed:.1f} s")
    for name, was, now in (("gateway", before[0], after[0]), ("Prosody", before[1], after[1])):
        delta = now - was
        print(f"  {name:<8} RSS {was / 1024:7.1f} -> {now / 1024:7.1f} MiB: "
              f"+{delta / 1024:.1f} MiB, {delta / max(held, 1):.1f} KiB per session")


@contextlib.contextmanager
def lab_at(existing: Path | None) -> Any:
    if existing is not None:
        yield json.loads((existing / "lab.json").read_text())
        return
    with tempfile.TemporaryDirectory(prefix="refdesk-bench-") as lab_dir:
        refdesk = [sys.executable, "-m", "refdesk", "lab"]
        subprocess.run([*refdesk, "up", "--dir", lab_dir, "--base-address", BASE_ADDRESS],
                       check=True, stdout=subprocess.DEVNULL, env=os.environ | UNTHROTTLED)
        try:
            yield json.loads((Path(lab_dir) / "lab.json").read_text())
        finally:
            subprocess.run([*refdesk, "down", "--dir", lab_dir], check=False,
                           stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--idle", type=int, default=1000)
    parser.add_argument("--lab", type=Path, help="use the lab running in this directory")
    args = parser.parse_args()
    with lab_at(args.lab) as lab:
        asyncio.run(asyncio.wait_for(run(lab, args.messages, args.idle), DEADLINE_S))


if __name__ == "__main__":
    main()
