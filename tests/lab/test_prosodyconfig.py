"""The Prosody configuration refdesk ships, read and run by Prosody itself: what the production
profile exposes, and that the lab's own WebSocket is TLS on loopback only."""

from __future__ import annotations

import dataclasses
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from refdesk.lab.prosodyconfig import LabOptions, ProsodySite, render_lab, render_production
from tests.lab import prosodyserver
from tests.lab.prosodyserver import IO_TIMEOUT_S, SASL_NS, TLS_NS, ServerFiles

# Loopback addresses of their own, so that other test runs on this machine never meet these:
# a stand-in for the site's public address, the loopback one refdesk connects to, and a lab site.
PUBLIC = "127.0.22.10"
LOCAL = "127.0.22.11"
LAB = "127.0.22.20"
LAB_WEBSOCKET_PORT = 5281
DOMAIN = "alpha.example"
COMPONENTS = ("queue", "faq", "archive", "stats")
SUBDOMAINS = (f"guest.{DOMAIN}", f"conference.{DOMAIN}", *(f"{c}.{DOMAIN}" for c in COMPONENTS))
SECRET = "a component secret"
SECURE_OVERRIDES = ("consider_websocket_secure", "consider_bosh_secure")
HTTP_MODULES = {"websocket", "bosh", "http", "http_files", "http_file_share", "http_openmetrics",
                "register", "register_ibr", "invites_register", "admin_telnet", "version",
                "uptime"}


def production_site(root: Path, **changes: Any) -> ProsodySite:
    """A production site as its sysadmin would describe it, its files under root."""
    site = ProsodySite(
        domain=DOMAIN, addresses=(PUBLIC,), local_address=LOCAL,
        certificate=root / f"{DOMAIN}.crt", key=root / f"{DOMAIN}.key", components=COMPONENTS,
        secret=SECRET, data_dir=root / "data", run_dir=root / "run", log_dir=root / "log",
    )
    return dataclasses.replace(site, **changes)


def server_site(files: ServerFiles, **changes: Any) -> ProsodySite:
    """production_site with the certificate and key of files."""
    return production_site(files.root, certificate=files.cert.certificate, key=files.cert.key,
                           **changes)


@pytest.fixture(scope="module")
def production() -> Iterator[tuple[ServerFiles, subprocess.Popen[bytes]]]:
    """A production-profile Prosody, run the way Debian's service runs it."""
    with prosodyserver.server_files(DOMAIN, SUBDOMAINS) as files:
        files.config.write_text(render_production(server_site(files)))
        with prosodyserver.running(files, PUBLIC, 5222, DOMAIN) as process:
            yield files, process


@pytest.fixture(scope="module")
def lab_server() -> Iterator[tuple[ServerFiles, subprocess.Popen[bytes]]]:
    """A lab-profile Prosody, as `refdesk lab up` starts one per site."""
    with prosodyserver.server_files(DOMAIN, SUBDOMAINS) as files:
        site = server_site(files, addresses=(LAB,), local_address=LAB)
        hosts = files.root / "hosts"
        hosts.write_text(f"{LAB} {DOMAIN} {' '.join(SUBDOMAINS)}\n")
        files.config.write_text(render_lab(site, LabOptions(hosts, LAB_WEBSOCKET_PORT)))
        with prosodyserver.running(files, LAB, 5222, DOMAIN) as process:
            yield files, process


def test_production_options_as_prosody_reads_them_leave_no_door_open(tmp_path: Path) -> None:
    config = tmp_path / "prosody.cfg.lua"
    config.write_text(render_production(production_site(
        tmp_path, certificate=Path("/etc/prosody/certs/alpha.crt"),
        key=Path("/etc/prosody/certs/alpha.key"))))
    hosts = prosodyserver.options(config)
    top = hosts["*"]
    assert top["s2s_secure_auth"] is True
    assert top["c2s_require_encryption"] is True and top["s2s_require_encryption"] is True
    assert top["allow_unencrypted_plain_auth"] is False
    assert top["allow_registration"] is False and top["allow_anonymous_s2s"] is False
    assert top["ssl"] == {"certificate": "/etc/prosody/certs/alpha.crt",
                          "key": "/etc/prosody/certs/alpha.key"}
    assert top["component_interfaces"] == [LOCAL]
    assert not top["http_ports"] and not top["https_ports"]
    assert "run_as_root" not in top and "unbound" not in top
    assert not HTTP_MODULES & set(top["modules_enabled"])
    for host, host_options in hosts.items():
        assert not set(SECURE_OVERRIDES) & set(host_options), host
        assert not HTTP_MODULES & set(host_options.get("modules_enabled", [])), host
    assert hosts[f"guest.{DOMAIN}"]["authentication"] == "anonymous"
    assert {hosts[f"{name}.{DOMAIN}"]["component_secret"] for name in COMPONENTS} == {SECRET}


def test_no_value_a_sysadmin_types_escapes_its_lua_string(tmp_path: Path) -> None:
    secret = 'x" }\nadmins = { "mallory@evil.example" } --\\'
    config = tmp_path / "prosody.cfg.lua"
    config.write_text(render_production(production_site(
        tmp_path, secret=secret, certificate=tmp_path / 'we"ird.crt')))
    hosts = prosodyserver.options(config)
    assert hosts[f"queue.{DOMAIN}"]["component_secret"] == secret
    assert hosts["*"]["ssl"]["certificate"] == str(tmp_path / 'we"ird.crt')
    # Only the MUC service has admins, and they are refdesk's own components.
    admins = {name: set(options.get("admins") or ()) for name, options in hosts.items()
              if "admins" in options}
    assert admins == {f"conference.{DOMAIN}": {f"{name}.{DOMAIN}" for name in (
        "queue", "faq", "archive", "stats")}}


@pytest.mark.parametrize(("changes", "problem"), [
    ({"local_address": "192.0.2.7"}, "local_address must be a loopback address"),
    ({"addresses": ("alpha.example",)}, "address must be an IP address"),
    ({"addresses": ()}, "addresses must name at least one address"),
    ({"certificate": Path("certs/alpha.crt")}, "certificate must be an absolute path"),
    ({"secret": "short"}, "secret must be at least 16 characters"),
    ({"domain": 'alpha.example" admins'}, "domain must be a lower-case DNS name"),
    ({"component_port": 5222}, "ports must be distinct"),
])
def test_site_description_refuses_what_would_expose_or_break_the_server(
    tmp_path: Path, changes: dict[str, Any], problem: str,
) -> None:
    with pytest.raises(ValueError, match=problem):
        production_site(tmp_path, **changes)


def test_lab_profile_refuses_an_address_outside_loopback(tmp_path: Path) -> None:
    site = production_site(tmp_path, addresses=("192.0.2.7",))
    with pytest.raises(ValueError, match="lab addresses must be loopback"):
        render_lab(site, LabOptions(tmp_path / "hosts", LAB_WEBSOCKET_PORT))


def test_prosodyctl_finds_nothing_wrong_with_the_production_profile() -> None:
    with prosodyserver.server_files(DOMAIN, SUBDOMAINS) as files:
        files.config.write_text(render_production(server_site(files)))
        checked = prosodyserver.check_config(files)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "All checks passed" in checked.stdout


def test_production_server_listens_for_xmpp_only_and_for_components_on_loopback_only(
    production: tuple[ServerFiles, subprocess.Popen[bytes]],
) -> None:
    _, process = production
    assert prosodyserver.listening(process.pid) == {
        (PUBLIC, 5222), (PUBLIC, 5223), (PUBLIC, 5269),
        (LOCAL, 5222), (LOCAL, 5223), (LOCAL, 5347),
    }


def test_production_server_answers_no_bosh_or_websocket_request_on_any_port(
    production: tuple[ServerFiles, subprocess.Popen[bytes]],
) -> None:
    files, process = production
    ports = prosodyserver.listening(process.pid) | {
        (address, port) for address in (PUBLIC, LOCAL) for port in (5280, 5281)}
    for address, port in sorted(ports):
        for tls in (None, files.client_tls()):
            reply = prosodyserver.http_reply(address, port, tls, DOMAIN)
            assert "HTTP/" not in reply, (address, port, tls, reply)


@pytest.mark.parametrize("host", [DOMAIN, f"guest.{DOMAIN}"])
def test_production_c2s_offers_no_authentication_before_tls_and_refuses_it(
    production: tuple[ServerFiles, subprocess.Popen[bytes]], host: str,
) -> None:
    with prosodyserver.connect(PUBLIC, 5222) as stream:
        features = prosodyserver.open_stream(stream, host)
        assert f"<starttls xmlns='{TLS_NS}'><required/></starttls>" in features
        assert "<mechanisms" not in features
        for mechanism, payload in (("PLAIN", "AGFubgBzZWNyZXQ="), ("ANONYMOUS", "")):
            stream.sendall(f"<auth xmlns='{SASL_NS}' mechanism='{mechanism}'>{payload}</auth>"
                           .encode())
            reply = prosodyserver.read_until(stream, "</failure>")
            assert "<encryption-required/>" in reply and "<success" not in reply, reply


def test_production_c2s_offers_authentication_once_tls_is_up(
    production: tuple[ServerFiles, subprocess.Popen[bytes]],
) -> None:
    files, _ = production
    with prosodyserver.connect(PUBLIC, 5222) as raw:
        prosodyserver.open_stream(raw, f"guest.{DOMAIN}")
        with prosodyserver.starttls(raw, f"guest.{DOMAIN}", files.client_tls()) as stream:
            features = prosodyserver.open_stream(stream, f"guest.{DOMAIN}")
    assert "<mechanism>ANONYMOUS</mechanism>" in features
    with prosodyserver.connect(LOCAL, 5223) as raw, files.client_tls().wrap_socket(
            raw, server_hostname=DOMAIN) as stream:
        features = prosodyserver.open_stream(stream, DOMAIN)
    assert "<mechanism>PLAIN</mechanism>" in features and "ANONYMOUS" not in features


def test_lab_server_listens_on_loopback_only_and_serves_websocket_over_tls_only(
    lab_server: tuple[ServerFiles, subprocess.Popen[bytes]],
) -> None:
    files, process = lab_server
    assert prosodyserver.listening(process.pid) == {
        (LAB, 5222), (LAB, 5223), (LAB, 5269), (LAB, 5347), (LAB, LAB_WEBSOCKET_PORT)}
    assert "HTTP/" not in prosodyserver.http_reply(LAB, LAB_WEBSOCKET_PORT, None, DOMAIN)
    for port in (5280, 5222, 5223, 5269, 5347):
        assert "HTTP/" not in prosodyserver.http_reply(LAB, port, None, DOMAIN), port
    upgrade = prosodyserver.http_reply(LAB, LAB_WEBSOCKET_PORT, files.client_tls(), DOMAIN)
    assert upgrade.startswith("HTTP/1.1 101 Switching Protocols"), upgrade


def test_lab_never_considers_cleartext_secure(
    lab_server: tuple[ServerFiles, subprocess.Popen[bytes]],
) -> None:
    files, _ = lab_server
    hosts = prosodyserver.options(files.config)
    for host, host_options in hosts.items():
        assert not set(SECURE_OVERRIDES) & set(host_options), host
    assert hosts["*"]["c2s_require_encryption"] is True
    assert hosts["*"]["allow_unencrypted_plain_auth"] is False
    assert not hosts["*"]["http_ports"]


async def test_lab_websocket_over_tls_offers_an_operator_password_login(
    lab_server: tuple[ServerFiles, subprocess.Popen[bytes]],
) -> None:
    files, _ = lab_server
    url = f"wss://{LAB}:{LAB_WEBSOCKET_PORT}/xmpp-websocket"
    async with aiohttp.ClientSession() as http, http.ws_connect(
            url, protocols=("xmpp",), ssl=files.client_tls(), server_hostname=DOMAIN,
            timeout=aiohttp.ClientWSTimeout(ws_receive=IO_TIMEOUT_S, ws_close=IO_TIMEOUT_S),
    ) as ws:
        await ws.send_str(f'<open xmlns="urn:ietf:params:xml:ns:xmpp-framing" to="{DOMAIN}" '
                          'version="1.0"/>')
        frames = [await ws.receive_str() for _ in range(2)]
    assert "<mechanism>PLAIN</mechanism>" in frames[1], frames
