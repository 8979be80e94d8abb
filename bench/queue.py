"""Queue benchmark: how fast a patron's question reaches a librarian on another domain.

Starts its own lab (loopback only), then measures, in one run:
- the raw hop: an operator-to-operator message from alpha.test to beta.test (baseline);
- with N = 100 and 1,000 chats waiting at once: the time from a patron's request to the
  offer reaching an operator of beta.test in the 24/7 co-op's room (on coop.test);
- claims per second when every chat is claimed by several operators at once.
Prints the figures and their ratios to the baseline; asserts nothing.

    .venv/bin/python bench/queue.py [--sizes 100 1000] [--claimers 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

from slixmpp import JID

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from components.queue.stanzas import NS  # noqa: E402
from tests.integration.queue import coop_room, join, request  # noqa: E402
from tests.integration.xmpp import Session, operator, patron  # noqa: E402

BASE_ADDRESS = "127.0.70.2"
PATRON_CONNECTIONS = 20
HOP_SAMPLES = 200
CONTESTED_CHATS = 100
FILL_BATCH = 50
PROBES = 100
DEADLINE_S = 900


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def describe(name: str, samples: list[float], baseline: float | None = None) -> str:
    p50, p99 = percentile(samples, 0.5) * 1000, percentile(samples, 0.99) * 1000
    ratio = f"  ({p50 / (baseline * 1000):.1f}x the raw hop p50)" if baseline else ""
    return f"{name:<44} p50 {p50:7.1f} ms   p99 {p99:7.1f} ms   n={len(samples)}{ratio}"


async def raw_hop(lab: dict[str, Any]) -> list[float]:
    """Operator-to-operator messages alpha.test -> beta.test, one at a time."""
    samples = []
    async with operator(lab, "abe@alpha.test") as abe, operator(lab, "ben@beta.test") as ben:
        for n in range(HOP_SAMPLES):
            since, body = ben.messages.mark(), f"hop {n}"
            sent = time.perf_counter()
            abe.xmpp.send_message(mto=JID("ben@beta.test"), mbody=body, mtype="chat")
            await ben.messages.wait_for(lambda m, b=body: m["body"] == b, since=since)
            samples.append(time.perf_counter() - sent)
    return samples


class OfferClock:
    """When each chat's offer reached an operator: indexed by chat as offers arrive (an
    inbox scanned per waiting chat would make the benchmark measure itself)."""

    def __init__(self, operator_session: Session) -> None:
        self.arrived: dict[str, asyncio.Future[float]] = {}
        operator_session.xmpp.add_event_handler("groupchat_message", self._on_message)

    def _on_message(self, message: Any) -> None:
        offer = message.xml.find(f"{{{NS}}}offer")
        if offer is not None:
            self.expect(offer.get("chat")).set_result(time.perf_counter())

    def expect(self, chat: str) -> asyncio.Future[float]:
        return self.arrived.setdefault(chat, asyncio.get_running_loop().create_future())


async def fill(patrons: list[Session], clock: OfferClock, waiting: int
               ) -> tuple[list[str], float]:
    """Bring the queue to `waiting` chats, FILL_BATCH requests at a time; the chats and
    the requests per second the queue took them at."""
    chats: list[str] = []
    started = time.perf_counter()

    async def one(n: int) -> str:
        reply = await request(patrons[n % len(patrons)], "alpha.test", "alpha-main",
                              f"Benchmark question {n}")
        chat = str(reply["refdesk_chat"]["jid"])
        await asyncio.wait_for(clock.expect(chat), 120)
        return chat

    for batch in range(0, waiting, FILL_BATCH):
        size = min(FILL_BATCH, waiting - batch)
        chats += await asyncio.gather(*(one(batch + n) for n in range(size)))
    return chats, waiting / (time.perf_counter() - started)


async def probe(patrons: list[Session], clock: OfferClock) -> tuple[list[float], list[str]]:
    """PROBES requests one after another: request -> offer on the other domain."""
    latencies, chats = [], []
    for n in range(PROBES):
        sent = time.perf_counter()
        reply = await request(patrons[n % len(patrons)], "alpha.test", "alpha-main",
                              f"Probe question {n}")
        chat = str(reply["refdesk_chat"]["jid"])
        latencies.append(await asyncio.wait_for(clock.expect(chat), 60) - sent)
        chats.append(chat)
    return latencies, chats


class ClaimReplies:
    """Each claimer's answer per chat, indexed as it arrives."""

    def __init__(self, claimer: Session) -> None:
        self.won: dict[str, asyncio.Future[bool]] = {}
        claimer.xmpp.add_event_handler("message", self._on_message)

    def _on_message(self, message: Any) -> None:
        if "claimed" in message["body"]:
            self.expect(message["from"].bare).set_result(
                message["body"].startswith("You claimed"))

    def expect(self, chat: str) -> asyncio.Future[bool]:
        return self.won.setdefault(chat, asyncio.get_running_loop().create_future())


async def claims(claimers: list[Session], chats: list[str]) -> tuple[float, int]:
    """Every claimer sends /claim for every chat at once; claims per second, winners."""
    replies = [ClaimReplies(claimer) for claimer in claimers]
    started = time.perf_counter()
    for chat in chats:
        for claimer in claimers:
            claimer.xmpp.send_message(mto=JID(chat), mbody="/claim", mtype="chat")
    outcomes = await asyncio.wait_for(asyncio.gather(
        *(r.expect(chat) for r in replies for chat in chats)), 300)
    elapsed = time.perf_counter() - started
    return len(chats) / elapsed, sum(outcomes)


async def run(lab: dict[str, Any], sizes: list[int], claimer_count: int) -> None:
    hop = await raw_hop(lab)
    baseline = statistics.median(hop)
    print(describe("raw hop alpha -> beta (operator message)", hop))
    staff = [op["jid"] for op in next(s for s in lab["libraries"]
                                      if s["domain"] == "beta.test")["operators"]]
    async with AsyncExitStack() as stack:
        bea = await stack.enter_async_context(operator(lab, "bea@beta.test"))
        await join(bea, coop_room(lab, "coop-247"), "Bea")
        clock = OfferClock(bea)
        claimers = [await stack.enter_async_context(operator(lab, jid))
                    for jid in staff[1:1 + claimer_count]]
        for claimer in claimers:
            await join(claimer, coop_room(lab, "coop-247"), claimer.jid.split("@")[0])
        patrons = [await stack.enter_async_context(patron(lab, "alpha.test"))
                   for _ in range(PATRON_CONNECTIONS)]
        waiting: list[str] = []
        for size in sizes:
            added, rate = await fill(patrons, clock, size - len(waiting))
            waiting += added
            print(f"{f'queue filled to {size} waiting chats':<44} {rate:7.1f} requests/s")
            latencies, chats = await probe(patrons, clock)
            print(describe(f"request -> offer on beta, {size} waiting", latencies, baseline))
            contested = chats[:CONTESTED_CHATS]  # the probes; the queue stays full
            rate, winners = await claims(claimers, contested)
            print(f"{f'claims, {claimer_count} operators on each of {len(contested)}':<44} "
                  f"{rate:7.1f} chats claimed/s   one winner each: "
                  f"{winners == len(contested)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--claimers", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="refdesk-bench-") as lab_dir:
        refdesk = [sys.executable, "-m", "refdesk", "lab"]
        subprocess.run([*refdesk, "up", "--dir", lab_dir, "--base-address", BASE_ADDRESS,
                        # A few patron connections ask for the whole queue's chats.
                        "--queue-setting", "max_open_chats_per_patron=1000"],
                       check=True, stdout=subprocess.DEVNULL)
        try:
            lab = json.loads((Path(lab_dir) / "lab.json").read_text())
            asyncio.run(asyncio.wait_for(run(lab, args.sizes, args.claimers), DEADLINE_S))
        finally:
            subprocess.run([*refdesk, "down", "--dir", lab_dir], check=False,
                           stdout=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
