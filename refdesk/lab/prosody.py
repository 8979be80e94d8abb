"""Prosody for one lab site: its configuration, its accounts and the lab's hosts file."""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from refdesk.lab.certs import CertPair
from refdesk.lab.prosodyconfig import LabOptions, ProsodySite, render_lab
from refdesk.lab.sample import Federation, Site

SCRAM_ITERATIONS = 10000


@dataclass(frozen=True)
class SiteDirs:
    """Where one site's server keeps its files inside the lab directory."""

    root: Path

    @property
    def run(self) -> Path:
        return self.root / "run"

    @property
    def data(self) -> Path:
        return self.root / "prosody-data"

    @property
    def config(self) -> Path:
        return self.root / "prosody.cfg.lua"


def write_hosts_file(federation: Federation, path: Path) -> None:
    """Every lab domain and subdomain, resolved to its site's loopback address."""
    lines = [
        f"{site.address} {' '.join((site.domain, *site.subdomains))}"
        for site in federation.sites
    ]
    path.write_text("\n".join(lines) + "\n")


def render_config(site: Site, dirs: SiteDirs, cert: CertPair, secret: str,
                  hosts_file: Path, log_level: str = "info") -> str:
    """The lab profile of the configuration, for one lab site."""
    server = ProsodySite(
        domain=site.domain, addresses=(site.address,), local_address=site.address,
        certificate=cert.certificate, key=cert.key, components=site.component_names,
        secret=secret, guest=site.guest_host is not None, c2s_port=site.c2s_port,
        c2s_direct_tls_port=site.c2s_direct_tls_port, component_port=site.component_port,
        data_dir=dirs.data, run_dir=dirs.run, log_dir=dirs.run, log_level=log_level,
    )
    return render_lab(server, LabOptions(hosts_file, site.prosody_websocket_port))


def _prosody_path_encode(name: str) -> str:
    # Prosody's datamanager escapes every non-alphanumeric byte as %xx.
    return re.sub(r"\W", lambda match: f"%{ord(match.group()):02x}", name, flags=re.ASCII)


def _scram_sha1_credentials(password: str) -> dict[str, str | int]:
    salt = str(uuid.uuid4())
    salted = hashlib.pbkdf2_hmac("sha1", password.encode(), salt.encode(), SCRAM_ITERATIONS)
    client_key = hmac.digest(salted, b"Client Key", "sha1")
    return {
        "stored_key": hashlib.sha1(client_key).hexdigest(),
        "server_key": hmac.digest(salted, b"Server Key", "sha1").hex(),
        "salt": salt,
        "iteration_count": SCRAM_ITERATIONS,
    }


def write_account(data_dir: Path, host: str, user: str, password: str) -> None:
    """An internal_hashed account, written the way Prosody stores one, before it starts."""
    accounts = data_dir / _prosody_path_encode(host) / "accounts"
    accounts.mkdir(parents=True, exist_ok=True)
    fields = "".join(
        f'["{key}"] = {value if isinstance(value, int) else repr(value)};\n'
        for key, value in _scram_sha1_credentials(password).items()
    )
    (accounts / f"{_prosody_path_encode(user)}.dat").write_text(f"return {{\n{fields}}};\n")
