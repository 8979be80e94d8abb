"""`refdesk doctor` against the running lab: each test works on a copy of one site's
refdesk.toml, Prosody configuration, hosts file and database, so the lab itself is untouched."""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory

from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.migrate import MIGRATIONS, downgrade, head
from refdesk.db.models import Institution, InstitutionKind
from refdesk.lab.certs import CertPair, make_site_certificate

SITE = "beta.test"
TIMEOUT_S = "2"
UNUSED_OFFSET = 200
"""The unreachable partner's address: this far above the lab's first site, where no lab
(each has four sites) listens."""


@dataclass(frozen=True)
class Copy:
    """One lab site's deployment files, copied for a test to change."""

    site: dict[str, Any]
    root: Path

    @property
    def settings(self) -> Path:
        return self.root / "refdesk.toml"

    @property
    def prosody(self) -> Path:
        return self.root / "prosody.cfg.lua"

    @property
    def hosts(self) -> Path:
        return self.root / "hosts"

    @property
    def database_url(self) -> str:
        return f"sqlite+aiosqlite:///{self.root / 'refdesk.db'}"

    def edit(self, path: Path, old: str, new: str) -> None:
        text = path.read_text()
        assert old in text, f"{old!r} not in {path}"
        path.write_text(text.replace(old, new))

    def doctor(self, *extra: str) -> Doctor:
        done = subprocess.run(
            [sys.executable, "-m", "refdesk", "doctor", "--config", str(self.settings),
             "--prosody-config", str(self.prosody), "--timeout", TIMEOUT_S, *extra],
            capture_output=True, text=True, timeout=90, check=False)
        return Doctor(done.returncode, done.stdout.splitlines(), done.stderr)


@dataclass(frozen=True)
class Doctor:
    status: int
    lines: list[str]
    stderr: str

    def of(self, check: str) -> list[str]:
        return [line for line in self.lines if line[6:].startswith(f"{check}: ")]

    def failing(self) -> list[str]:
        return [line for line in self.lines if line.startswith("FAIL  ")]


def _site(lab: dict[str, Any], domain: str) -> dict[str, Any]:
    return next(site for site in lab["libraries"] if site["domain"] == domain)


@pytest.fixture
def beta(lab: dict[str, Any], tmp_path: Path) -> Copy:
    site = _site(lab, SITE)
    original = Path(lab["dir"]) / SITE
    copy = Copy(site, tmp_path)
    copy.hosts.write_text(Path(lab["hosts_file"]).read_text())
    copy.prosody.write_text((original / "prosody.cfg.lua").read_text()
                            .replace(lab["hosts_file"], str(copy.hosts)))
    copy.settings.write_text(Path(site["config"]).read_text()
                             .replace(str(original / "refdesk.db"), str(tmp_path / "refdesk.db")))
    # The lab's database is in WAL mode and in use: copy it through SQLite's own backup.
    with sqlite3.connect(original / "refdesk.db") as source, \
            sqlite3.connect(tmp_path / "refdesk.db") as target:
        source.backup(target)
    return copy


def _partners(lab: dict[str, Any]) -> set[str]:
    domains = {site["domain"] for site in lab["libraries"] + lab["coop_hosts"]}
    return domains - {SITE}


def _log_marks(lab: dict[str, Any]) -> tuple[int, str]:
    """How many components Prosody has authenticated, and the components' log so far."""
    run = Path(lab["dir"]) / SITE / "run"
    prosody = (run / "prosody.log").read_text()
    return prosody.count("successfully authenticated"), (run / "components.log").read_text()


def test_doctor_passes_a_healthy_site_and_leaves_its_running_components_connected(
        lab: dict[str, Any], beta: Copy) -> None:
    authenticated, components_log = _log_marks(lab)
    doctor = beta.doctor()
    assert doctor.failing() == [], doctor.lines
    assert doctor.status == 0, doctor.stderr
    assert sorted(doctor.of("component")) == sorted(
        f"ok    component: {jid}: secret accepted, refdesk serve is connected"
        for jid in beta.site["components"].values())
    answered = {re.sub(r"ok    s2s: (\S+) answers at .*", r"\1", line)
                for line in doctor.of("s2s")}
    assert answered == _partners(lab)
    assert all(line.startswith("ok    ") for line in doctor.of("certificate"))
    assert any(line.startswith("ok    database: at revision") for line in doctor.lines)
    # kick_new: Prosody refused doctor's connections, never the running component's.
    after_authenticated, after_log = _log_marks(lab)
    assert after_authenticated == authenticated
    assert "lost its connection" not in after_log[len(components_log):]


def test_doctor_finds_a_certificate_made_for_another_name(lab: dict[str, Any], beta: Copy,
                                                          tmp_path: Path) -> None:
    certs = Path(lab["dir"]) / "certs"
    wrong = make_site_certificate(CertPair(certs / "ca.pem", certs / "ca.key"), tmp_path,
                                  "wrong.test", ("queue.wrong.test",))
    doctor = beta.doctor("--certificate", str(wrong.certificate), "--key", str(wrong.key))
    assert doctor.status == 1
    [names] = [line for line in doctor.of("certificate") if "cover" in line]
    assert names.startswith(f"FAIL  certificate: {wrong.certificate} does not cover "
                            f"{SITE}, conference.{SITE}, guest.{SITE}")
    assert "(it names wrong.test, queue.wrong.test)" in names
    assert "certbot -d beta.test" in names


def _free_port(address: str) -> int:
    with socket.socket() as probe:
        probe.bind((address, 0))
        return int(probe.getsockname()[1])


def test_doctor_finds_a_closed_s2s_port(beta: Copy) -> None:
    address = beta.site["address"]
    closed = _free_port(address)
    beta.edit(beta.prosody, "s2s_ports = { 5269 }", f"s2s_ports = {{ {closed} }}")
    doctor = beta.doctor()
    assert doctor.status == 1
    expected = (f"FAIL  ports: s2s {address}:{closed} closed (connection refused) — start "
                f"Prosody, check s2s_interfaces/s2s_ports and open port {closed} in the "
                "firewall to every partner")
    assert expected in doctor.of("ports")
    assert f"ok    ports: c2s {address}:{beta.site['c2s_port']} accepts connections" \
        in doctor.lines


async def _add_institution(url: str, domain: str) -> None:
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            session.add(Institution(domain=domain, name="Delta Library",
                                    kind=InstitutionKind.PUBLIC))
    finally:
        await engine.dispose()


def test_doctor_finds_a_partner_whose_domain_resolves_to_nothing_listening(
        lab: dict[str, Any], beta: Copy) -> None:
    unused = str(ipaddress.ip_address(beta.site["address"]) + UNUSED_OFFSET)
    with socket.socket() as probe:  # nothing may listen there, or the test proves nothing
        assert probe.connect_ex((unused, 5269)) != 0
    with beta.hosts.open("a") as hosts:
        hosts.write(f"{unused} delta.test\n")
    asyncio.run(_add_institution(beta.database_url, "delta.test"))
    doctor = beta.doctor()
    assert doctor.status == 1
    assert doctor.failing() == [(
        f"FAIL  s2s: delta.test unreachable at {unused}:5269 (connection refused) — open "
        "port 5269 to this server on delta.test's side (ask its sysadmin) / ask delta.test's "
        "sysadmin to check their DNS (_xmpp-server._tcp.delta.test SRV, or A/AAAA records)")]
    assert len([line for line in doctor.of("s2s") if line.startswith("ok")]) == \
        len(_partners(lab))


def test_doctor_finds_components_refused_for_a_wrong_secret(lab: dict[str, Any],
                                                             beta: Copy) -> None:
    beta.edit(beta.settings, 'secret = "', 'secret = "wrong-')
    authenticated, components_log = _log_marks(lab)
    doctor = beta.doctor()
    assert doctor.status == 1
    assert sorted(doctor.of("component")) == sorted(
        f"FAIL  component: {jid}: Prosody refused the secret (not-authorized) — make "
        "[components] secret in refdesk.toml the same as its component_secret in Prosody's "
        "configuration, then restart Prosody and refdesk serve"
        for jid in beta.site["components"].values())
    expected = (f"FAIL  configuration: the component_secret of queue.{SITE} in {beta.prosody} "
                "is not [components] secret — make them the same and restart both")
    assert expected in doctor.lines
    after_authenticated, after_log = _log_marks(lab)
    assert after_authenticated == authenticated
    assert "lost its connection" not in after_log[len(components_log):]


def test_doctor_finds_a_component_prosody_does_not_declare(beta: Copy) -> None:
    beta.edit(beta.settings, 'enabled = ["queue", "faq", "archive", "stats"]',
              'enabled = ["queue", "faq", "archive", "stats", "coop"]')
    doctor = beta.doctor()
    assert doctor.status == 1
    expected = (f"FAIL  component: coop.{SITE}: Prosody has no such component (host-unknown) "
                f"— add `Component \"coop.{SITE}\"` with component_secret, then restart "
                "Prosody and refdesk serve")
    assert expected in doctor.lines


def test_doctor_tells_to_upgrade_a_database_behind_the_newest_revision(beta: Copy) -> None:
    newest = head()
    previous = ScriptDirectory(str(MIGRATIONS)).get_revision(newest).down_revision
    assert isinstance(previous, str)
    asyncio.run(downgrade(beta.database_url, previous))
    doctor = beta.doctor()
    assert doctor.status == 1
    expected = (f"FAIL  database: at revision {previous}, the newest is {newest} — run "
                f"`refdesk db upgrade --config {beta.settings}`")
    assert expected in doctor.lines
