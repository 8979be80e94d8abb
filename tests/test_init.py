"""`refdesk init`: a sysadmin makes a library's deployment with one command."""

from __future__ import annotations

import asyncio
import tomllib
from pathlib import Path

import pytest
from sqlalchemy import select

from refdesk.cli import main
from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.migrate import current, head
from refdesk.db.models import Institution, InstitutionKind
from refdesk.lab import certs
from tests.lab.prosodyserver import options


@pytest.fixture
def pem(tmp_path: Path) -> certs.CertPair:
    """The library's certificate and key, as Let's Encrypt would have left them."""
    ca = certs.make_ca(tmp_path / "ca")
    (tmp_path / "le").mkdir()
    return certs.make_site_certificate(ca, tmp_path / "le", "library.example.edu",
                                       ("conference.library.example.edu",))


def _init(pem: certs.CertPair, directory: Path, *extra: str) -> int:
    return main(["init", "--domain", "library.example.edu", "--name", 'The "Main" Library',
                 "--kind", "academic", "--certificate", str(pem.certificate),
                 "--key", str(pem.key), "--dir", str(directory),
                 "--database-url", f"sqlite+aiosqlite:///{directory / 'db' / 'refdesk.db'}",
                 *extra])


def test_init_writes_a_deployment_that_checks_loads_and_has_its_library(
        pem: certs.CertPair, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "etc"

    assert _init(pem, site) == 0

    settings = tomllib.loads((site / "refdesk.toml").read_text())
    assert (site / "refdesk.toml").stat().st_mode & 0o077 == 0  # the secret stays private
    assert main(["check", "--config", str(site / "refdesk.toml")]) == 0
    prosody = options(site / "prosody.cfg.lua")
    assert prosody["queue.library.example.edu"]["component_secret"] == (
        settings["components"]["secret"])
    assert prosody["*"]["ssl"]["certificate"] == str(pem.certificate.resolve())
    assert "guest.library.example.edu" in prosody
    for role in ("serve", "gateway"):
        unit = (site / "systemd" / f"refdesk-{role}.service").read_text()
        assert f" {role} --config {(site / 'refdesk.toml').resolve()}" in unit
    url = settings["database"]["url"]
    assert asyncio.run(current(url)) == head()
    assert asyncio.run(_institution(url)) == ('The "Main" Library', InstitutionKind.ACADEMIC)
    assert "next:" in capsys.readouterr().out


def test_init_refuses_to_overwrite_and_says_how(pem: certs.CertPair, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "etc"
    assert _init(pem, site) == 0
    secret = (site / "refdesk.toml").read_text()

    assert _init(pem, site) == 2

    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1 and "exists" in error[0] and "--force" in error[0]
    assert (site / "refdesk.toml").read_text() == secret  # nothing lost
    assert _init(pem, site, "--force") == 0


@pytest.mark.parametrize(("change", "said"), [
    (("--certificate", "/nowhere/fullchain.pem"), "no such file"),
    (("--address", "not an address"), "address"),
])
def test_init_refuses_bad_input_in_one_line(pem: certs.CertPair, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str],
                                            change: tuple[str, str], said: str) -> None:
    assert _init(pem, tmp_path / "etc", *change) == 2
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1 and said in error[0].lower()
    assert not (tmp_path / "etc" / "refdesk.toml").exists()


async def _institution(url: str) -> tuple[str, InstitutionKind]:
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session:
            library = await session.scalar(
                select(Institution).where(Institution.domain == "library.example.edu"))
            assert library is not None
            return library.name, library.kind
    finally:
        await engine.dispose()


def test_init_of_a_coops_own_host_runs_its_registry_a_queue_for_its_staff_and_no_patrons(
        pem: certs.CertPair, tmp_path: Path) -> None:
    site = tmp_path / "etc"
    assert main(["init", "--domain", "library.example.edu", "--name", "24/7 Reference Co-op",
                 "--kind", "coordinating", "--certificate", str(pem.certificate),
                 "--key", str(pem.key), "--dir", str(site),
                 "--database-url", f"sqlite+aiosqlite:///{site / 'refdesk.db'}"]) == 0

    settings = tomllib.loads((site / "refdesk.toml").read_text())
    assert settings["components"]["enabled"] == ["queue", "coop"]
    prosody = options(site / "prosody.cfg.lua")
    assert "coop.library.example.edu" in prosody and "queue.library.example.edu" in prosody
    assert (site / "systemd" / "refdesk-gateway.service").is_file()  # the staff's console
    assert "guest.library.example.edu" not in prosody


def test_init_for_one_of_several_servers_on_a_private_network(
        pem: certs.CertPair, tmp_path: Path) -> None:
    site, state = tmp_path / "etc", tmp_path / "prosody"
    (tmp_path / "hosts").write_text("127.0.80.3 library.example.edu\n")
    ca = pem.certificate.parent.parent / "ca" / "ca.pem"

    assert _init(pem, site, "--address", "127.0.80.3", "--local-address", "127.0.80.3",
                 "--prosody-dir", str(state), "--prosody-config", str(site / "prosody.cfg.lua"),
                 "--hosts-file", str(tmp_path / "hosts"), "--ca-file", str(ca)) == 0

    settings = tomllib.loads((site / "refdesk.toml").read_text())
    assert settings["server"]["address"] == "127.0.80.3"
    assert settings["server"]["ca_file"] == str(ca.resolve())
    assert settings["prosody"]["config"] == str(site / "prosody.cfg.lua")
    assert main(["check", "--config", str(site / "refdesk.toml")]) == 0
    prosody = options(site / "prosody.cfg.lua")["*"]
    assert prosody["unbound"] == {"hoststxt": str(tmp_path / "hosts")}
    assert prosody["ssl"]["cafile"] == str(ca.resolve())
    assert prosody["s2s_secure_auth"] is True
    assert "run_as_root" not in prosody
    assert prosody["component_interfaces"] == ["127.0.80.3"]
    assert prosody["c2s_interfaces"] == ["127.0.80.3"]
    assert prosody["data_path"] == str(state)
    assert prosody["pidfile"] == str(state / "prosody.pid")


def test_init_refuses_a_hosts_file_or_ca_that_is_not_there(
        pem: certs.CertPair, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for option in ("--hosts-file", "--ca-file"):
        assert _init(pem, tmp_path / "etc", option, str(tmp_path / "missing")) == 2
        assert capsys.readouterr().err == (
            f"refdesk: {option} {tmp_path / 'missing'}: no such file\n")


def test_doctor_reads_the_prosody_configuration_refdesk_toml_names(
        pem: certs.CertPair, tmp_path: Path) -> None:
    from refdesk.doctor.configuration import load
    from refdesk.doctor.context import Options
    from refdesk.doctor.result import Status

    site = tmp_path / "etc"
    assert _init(pem, site, "--prosody-config", str(site / "prosody.cfg.lua")) == 0

    loaded = load(Options(site / "refdesk.toml"))

    assert [result.status for result in loaded.results] == [Status.OK] * 3, loaded.results
