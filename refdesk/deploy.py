"""`refdesk init`: a new deployment for a library's domain, or a co-op's host.

Writes the deployment's `refdesk.toml` (its secret freshly made), the production Prosody
configuration for the domain (certificates from files the sysadmin names), systemd units for
`refdesk serve` and `refdesk gateway` (a co-op's host has a gateway too: its staff's console),
and a database migrated to the current schema with the institution in it. Nothing that exists
is overwritten unless asked.
"""

from __future__ import annotations

import asyncio
import dataclasses
import secrets
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sqlalchemy import select

from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.migrate import upgrade
from refdesk.db.models import Institution, InstitutionKind
from refdesk.lab.prosodyconfig import ProsodySite, render_production
from refdesk.settings import load_settings

Kind = Literal["academic", "public", "coordinating"]
LIBRARY_COMPONENTS = ("queue", "faq", "archive", "stats")
COORDINATING_COMPONENTS = ("queue", "coop")
"""A co-op's own host: its registry, and a queue that gives its staff their console desk."""


class InitError(Exception):
    """The deployment cannot be made as asked; the message says why and what to do."""


@dataclass(frozen=True)
class Deployment:
    """What a sysadmin says about the deployment to make."""

    domain: str
    name: str
    kind: Kind
    certificate: Path
    key: Path
    directory: Path
    """Where refdesk.toml, prosody.cfg.lua and the systemd units are written."""
    addresses: tuple[str, ...] = ("*", "::")
    database_url: str | None = None
    """Default: SQLite in /var/lib/refdesk/<domain>.db."""
    gateway_port: int = 5280
    local_address: str = "127.0.0.1"
    """The loopback address where Prosody takes refdesk's components and gateway; one of its
    own for each Prosody when several share a machine."""
    hosts_file: Path | None = None
    """Peers' names from this file instead of DNS (private networks and tests)."""
    ca_file: Path | None = None
    """A private CA that peers' certificates, and this server's, may be signed by."""
    prosody_dir: Path | None = None
    """Prosody's data, pid file and logs for this deployment; default: Debian's."""
    prosody_config: Path = Path("/etc/prosody/prosody.cfg.lua")
    """Where prosody.cfg.lua is installed, for `refdesk user` (prosodyctl --config)."""

    @property
    def components(self) -> tuple[str, ...]:
        # A co-op's own host runs its registry, and a queue for its staff's desk (it has no
        # patrons); a library its desk (and a co-op's registry if it hosts a local co-op,
        # added when that co-op is created).
        return COORDINATING_COMPONENTS if self.kind == "coordinating" else LIBRARY_COMPONENTS

    @property
    def url(self) -> str:
        return self.database_url or f"sqlite+aiosqlite:////var/lib/refdesk/{self.domain}.db"


def init(deployment: Deployment, force: bool = False) -> list[Path]:
    """Make the deployment; the files written."""
    for pem in (deployment.certificate, deployment.key):
        if not pem.is_file():
            raise InitError(f"{pem}: no such file; name the certificate and key Prosody will "
                            "use (e.g. Let's Encrypt's fullchain.pem and privkey.pem)")
    for option, path in (("--hosts-file", deployment.hosts_file),
                         ("--ca-file", deployment.ca_file)):
        if path is not None and not path.is_file():
            raise InitError(f"{option} {path}: no such file")
    secret = secrets.token_urlsafe(32)
    try:
        prosody = render_production(_prosody_site(deployment, secret))
    except ValueError as error:
        raise InitError(str(error)) from None
    files = {
        deployment.directory / "refdesk.toml": _settings(deployment, secret),
        deployment.directory / "prosody.cfg.lua": prosody,
        **{deployment.directory / "systemd" / f"refdesk-{role}.service": _unit(deployment, role)
           for role in ("serve", "gateway")},
    }
    existing = [path for path in files if path.exists()]
    if existing and not force:
        raise InitError(f"{existing[0]} exists; choose another --dir, or --force to replace it")
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (deployment.directory / "refdesk.toml").chmod(0o600)  # it holds the components' secret
    load_settings(deployment.directory / "refdesk.toml")  # what was written must load
    asyncio.run(_database(deployment))
    return list(files)


def _prosody_site(deployment: Deployment, secret: str) -> ProsodySite:
    site = ProsodySite(
        deployment.domain, deployment.addresses, deployment.certificate.resolve(),
        deployment.key.resolve(), deployment.components, secret,
        guest=deployment.kind != "coordinating", local_address=deployment.local_address,
        hosts_file=_absolute(deployment.hosts_file), ca_file=_absolute(deployment.ca_file))
    if deployment.prosody_dir is None:
        return site
    state = deployment.prosody_dir.resolve()
    return dataclasses.replace(site, data_dir=state, run_dir=state, log_dir=state)


def _absolute(path: Path | None) -> Path | None:
    return path.resolve() if path is not None else None


def _settings(deployment: Deployment, secret: str) -> str:
    return f"""# refdesk deployment of {deployment.domain}, written by `refdesk init`.
# Every key is documented in conf/refdesk.example.toml; `refdesk check --config FILE`
# validates this file.

[library]
# The XMPP domain; components live at <name>.{deployment.domain}.
domain = "{deployment.domain}"
name = {_toml_string(deployment.name)}
kind = "{deployment.kind}"

[server]
# Prosody on this machine (prosody.cfg.lua beside this file): components and the gateway
# connect over loopback.
address = "{deployment.local_address}"
c2s_port = 5222
c2s_direct_tls_port = 5223
component_port = 5347
{_ca_line(deployment)}
[components]
enabled = [{", ".join(f'"{name}"' for name in deployment.components)}]
# The same secret as component_secret in prosody.cfg.lua; keep this file private.
secret = "{secret}"

[database]
url = "{deployment.url}"

[gateway]
# Put a TLS-terminating web server (or a load balancer) in front of this port, and name
# the address browsers reach it at in public_url (embed codes are built from it).
address = "127.0.0.1"
port = {deployment.gateway_port}
# public_url = "https://chat.{deployment.domain}"

[prosody]
# `refdesk user add|remove` creates and removes XMPP accounts with prosodyctl, using
# Prosody's configuration once prosody.cfg.lua (beside this file) is installed there.
prosodyctl = "/usr/bin/prosodyctl"
config = {_toml_string(str(deployment.prosody_config))}
"""


def _ca_line(deployment: Deployment) -> str:
    if deployment.ca_file is None:
        return "# ca_file: unset, Prosody's certificate verifies against the system's CAs.\n"
    return ("# Prosody's certificate is signed by this private CA.\n"
            f"ca_file = {_toml_string(str(deployment.ca_file.resolve()))}\n")


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _unit(deployment: Deployment, role: str) -> str:
    refdesk = shutil.which("refdesk") or f"{sys.executable} -m refdesk"
    what = "XMPP components" if role == "serve" else "web gateway"
    return f"""[Unit]
Description=refdesk {what} for {deployment.domain}
After=network-online.target prosody.service
Wants=network-online.target

[Service]
# A system user of its own: adduser --system --group refdesk; it must be able to read
# refdesk.toml and write the database.
User=refdesk
Group=refdesk
ExecStart={refdesk} {role} --config {(deployment.directory / "refdesk.toml").resolve()}
Restart=on-failure
RestartSec=2
NoNewPrivileges=yes
ReadWritePaths=/var/lib/refdesk
ProtectSystem=strict
ProtectHome=yes

[Install]
WantedBy=multi-user.target
"""


async def _database(deployment: Deployment) -> None:
    """The schema at its current revision, and this institution in it."""
    if deployment.url.startswith("sqlite"):
        Path(deployment.url.split("///", 1)[1]).parent.mkdir(parents=True, exist_ok=True)
    await upgrade(deployment.url)
    engine = create_engine(deployment.url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            known = await session.scalar(
                select(Institution).where(Institution.domain == deployment.domain))
            if known is None:
                session.add(Institution(domain=deployment.domain, name=deployment.name,
                                        kind=InstitutionKind(deployment.kind)))
            else:
                known.name, known.kind = deployment.name, InstitutionKind(deployment.kind)
    finally:
        await engine.dispose()
