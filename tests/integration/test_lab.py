"""`refdesk lab up` describes a federation whose endpoints answer; `lab down` stops only it."""

from __future__ import annotations

import asyncio
import ipaddress
import json
import ssl
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

from refdesk.lab import processes
from tests.integration.xmpp import operator
from tests.lab import prosodyserver

SECOND_LAB_BASE_ADDRESS = "127.0.11.2"


def _refdesk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "refdesk", *args],
                          capture_output=True, text=True, timeout=120, check=False)


def test_lab_json_lists_three_libraries_two_coops_and_dedicated_247_staff(
    lab: dict[str, Any],
) -> None:
    kinds = sorted(library["kind"] for library in lab["libraries"])
    assert kinds == ["academic", "public", "public"]
    coops = {coop["id"]: coop for coop in lab["coops"]}
    assert coops["coop-247"]["kind"] == "global"
    assert coops["coop-local"]["kind"] == "local"
    assert len(coops["coop-local"]["members"]) == 2
    assert {s["level"] for s in coops["coop-247"]["staff"]} == {"coop-admin", "regular"}
    assert all(s["jid"].endswith("@" + coops["coop-247"]["host"])
               for s in coops["coop-247"]["staff"])
    for library in lab["libraries"]:
        assert library["widgets"] and library["departments"] and library["operators"]


def test_every_gateway_of_a_library_or_coop_host_reports_its_xmpp_server_up(
    lab: dict[str, Any],
) -> None:
    for site in lab["libraries"] + lab["coop_hosts"]:
        with urllib.request.urlopen(site["gateway"]["http"] + "/health", timeout=5) as reply:
            assert reply.status == 200
            assert json.load(reply) == {"domain": site["domain"], "xmpp": "up"}


async def test_every_operator_and_247_staff_member_can_log_in(lab: dict[str, Any]) -> None:
    jids = [op["jid"] for site in lab["libraries"] + lab["coop_hosts"]
            for op in site["operators"]]
    staff = [s["jid"] for coop in lab["coops"] for s in coop["staff"]]
    assert set(staff) <= set(jids)

    async def log_in(jid: str) -> str:
        async with operator(lab, jid, plugins=()) as session:
            return session.jid

    assert await asyncio.gather(*(log_in(jid) for jid in jids)) == jids


def test_second_lab_runs_beside_the_first_and_lab_down_stops_only_its_own(
    lab: dict[str, Any], tmp_path: Path,
) -> None:
    second = tmp_path / "second-lab"
    up = _refdesk("lab", "up", "--dir", str(second), "--base-address", SECOND_LAB_BASE_ADDRESS)
    started = processes.load(second)
    try:
        assert up.returncode == 0, up.stderr
        assert up.stdout.startswith("ready\n")
        manifest = json.loads((second / "lab.json").read_text())
        assert manifest["libraries"][0]["address"] == SECOND_LAB_BASE_ADDRESS
        assert all(processes.is_running(p) for p in started)
    finally:
        down = _refdesk("lab", "down", "--dir", str(second))
    assert down.returncode == 0, down.stderr
    assert down.stdout == f"stopped {len(started)} processes\n"
    assert not any(processes.is_running(p) for p in started)
    first = processes.load(Path(lab["dir"]))
    assert first and all(processes.is_running(p) for p in first)


def test_every_lab_prosody_listens_on_loopback_only_and_serves_its_websocket_over_tls_only(
    lab: dict[str, Any],
) -> None:
    servers = {p.name: p.pid for p in processes.load(Path(lab["dir"]))
               if p.name.startswith("prosody ")}
    assert len(servers) == len(lab["libraries"]) + len(lab["coop_hosts"])
    for name, pid in servers.items():
        bound = prosodyserver.listening(pid)
        assert bound and all(ipaddress.ip_address(a).is_loopback for a, _ in bound), (name, bound)
    tls = ssl.create_default_context(cafile=lab["ca_file"])
    for library in lab["libraries"]:
        address, port = library["prosody_websocket"].split("/")[2].split(":")
        assert "HTTP/" not in prosodyserver.http_reply(address, int(port), None,
                                                       library["domain"])
        upgrade = prosodyserver.http_reply(address, int(port), tls, library["domain"])
        assert upgrade.startswith("HTTP/1.1 101 "), upgrade
