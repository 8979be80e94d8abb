"""`refdesk lab up` / `lab down`: a whole federation on one machine, over loopback."""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import shutil
import sys
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from refdesk.db.migrate import upgrade
from refdesk.db.types import utcnow
from refdesk.lab import certs, mailsink, processes, prosody
from refdesk.lab.manifest import build_manifest
from refdesk.lab.sample import Federation, Site, sample_federation
from refdesk.lab.seed import History, seed_site
from refdesk.settings.model import QueueSettings

log = logging.getLogger(__name__)

START_TIMEOUT_S = 45.0
LAB_RETENTION_CHECK_S = 1
"""A site with retention rules checks them every second: a test that backdates a chat sees
them applied at once."""


class LabError(Exception):
    """The lab could not be started or stopped; the message says why and where to look."""


def _settings_toml(site: Site, site_dir: Path, secret: str, ca_file: Path,
                   queue: Mapping[str, float], mail: tuple[str, int]) -> str:
    prosodyctl = shutil.which("prosodyctl") or "prosodyctl"
    queue_lines = "".join(f"{key} = {value}\n" for key, value in sorted(queue.items()))
    return (
        f'[library]\ndomain = "{site.domain}"\nname = "{site.name}"\nkind = "{site.kind}"\n\n'
        f'[server]\naddress = "{site.address}"\nc2s_port = {site.c2s_port}\n'
        f'c2s_direct_tls_port = {site.c2s_direct_tls_port}\n'
        f'component_port = {site.component_port}\nca_file = "{ca_file}"\n\n'
        f'[components]\nenabled = {json.dumps(list(site.component_names))}\n'
        f'secret = "{secret}"\n\n'
        f'[queue]\n{queue_lines}\n'
        f'{_retention_toml(site)}'
        f'[database]\nurl = "sqlite+aiosqlite:///{site_dir / "refdesk.db"}"\n\n'
        f'[gateway]\naddress = "{site.address}"\nport = {site.gateway_port}\n\n'
        f'[prosody]\nprosodyctl = "{prosodyctl}"\n'
        f'config = "{prosody.SiteDirs(site_dir).config}"\n\n'
        f'[mail]\nhost = "{mail[0]}"\nport = {mail[1]}\nsecurity = "none"\n'
        f'sender = "ask@{site.domain}"\n'
    )


def _retention_toml(site: Site) -> str:
    if not site.retention:
        return ""
    days = "".join(f"{key} = {value}\n" for key, value in site.retention)
    return f"[retention]\n{days}check_every_s = {LAB_RETENTION_CHECK_S}\n\n"


def _prepare_site(federation: Federation, site: Site, lab_dir: Path,
                  ca: certs.CertPair, queue: Mapping[str, float],
                  history: History | None) -> Path:
    """Certificates, Prosody config and accounts, refdesk settings and a seeded database."""
    dirs = prosody.SiteDirs(lab_dir / site.domain)
    dirs.run.mkdir(parents=True)
    cert = certs.make_site_certificate(ca, dirs.root, site.domain, site.subdomains)
    secret = secrets.token_urlsafe(24)
    dirs.config.write_text(
        prosody.render_config(site, dirs, cert, secret, lab_dir / "hosts")
    )
    for operator in site.operators:
        prosody.write_account(dirs.data, site.domain, operator.user, operator.password)
    settings_file = dirs.root / "refdesk.toml"
    settings_file.write_text(
        _settings_toml(site, dirs.root, secret, ca.certificate, queue,
                       mail_address(federation))
    )
    database_url = f"sqlite+aiosqlite:///{dirs.root / 'refdesk.db'}"
    asyncio.run(_migrate_and_seed(database_url, federation, site, history))
    return settings_file


async def _migrate_and_seed(url: str, federation: Federation, site: Site,
                            history: History | None) -> None:
    await upgrade(url)
    await seed_site(url, federation, site, history)


def _check_ports_free(federation: Federation) -> None:
    """Refuse at once when another lab or server holds one of this lab's ports."""
    for site in federation.sites:
        ports: tuple[int, ...] = (site.c2s_port, site.c2s_direct_tls_port, 5269,
                                  site.component_port, site.prosody_websocket_port,
                                  site.gateway_port)
        if site is federation.sites[0]:
            ports += (mailsink.PORT,)
        busy = [port for port in ports if processes.port_in_use(site.address, port)]
        if busy:
            raise LabError(_busy(site.address, busy[0]))


def _busy(address: str, port: int) -> str:
    # Linux lets no address bind a port that a socket on 0.0.0.0 listens on, as a
    # system-wide Prosody does (5222, 5269): another --base-address cannot help then.
    if processes.port_in_use(processes.NO_LAB_ADDRESS, port):
        return (f"port {port} is held on every address, {address} included, by a server "
                f"listening on 0.0.0.0:{port} (`ss -ltnp 'sport = :{port}'` names it; a "
                "system-wide Prosody, for one); stop that server and run again")
    return (f"{address} port {port} is already in use, perhaps by another lab; "
            "stop it or choose another --base-address")


def mail_address(federation: Federation) -> tuple[str, int]:
    """Where the lab's SMTP sink listens; every library's [mail] relays to it."""
    return federation.sites[0].address, mailsink.PORT


def _start_mail(federation: Federation, lab_dir: Path, started: list[processes.Started]) -> None:
    address, port = mail_address(federation)
    started.append(processes.spawn(
        "mail lab", [sys.executable, "-m", "refdesk.lab.mailsink", "--address", address,
                     "--port", str(port), "--dir", str(lab_dir / "mail")],
        lab_dir / "mail.log"))
    processes.save(lab_dir, started)
    processes.wait_for_port(address, port, START_TIMEOUT_S)


def _refdesk(*args: str) -> list[str]:
    return [sys.executable, "-m", "refdesk", *args]


def _start_site(site: Site, lab_dir: Path, settings_file: Path,
                started: list[processes.Started]) -> None:
    dirs = prosody.SiteDirs(lab_dir / site.domain)
    started.append(processes.spawn(
        f"prosody {site.domain}", ["prosody", "--config", str(dirs.config), "-F"],
        dirs.run / "prosody.out",
    ))
    processes.save(lab_dir, started)
    processes.wait_for_port(site.address, site.component_port, START_TIMEOUT_S)
    started.append(processes.spawn(
        f"components {site.domain}",
        _refdesk("serve", "--config", str(settings_file),
                 "--ready-file", str(dirs.run / "components.ready")),
        dirs.run / "components.log",
    ))
    started.append(processes.spawn(
        f"gateway {site.domain}",
        _refdesk("gateway", "--config", str(settings_file),
                 "--ready-file", str(dirs.run / "gateway.ready")),
        dirs.run / "gateway.log",
    ))
    processes.save(lab_dir, started)


def _wait_ready(federation: Federation, lab_dir: Path,
                started: list[processes.Started]) -> None:
    by_name = {process.name: process for process in started}
    for site in federation.sites:
        run = lab_dir / site.domain / "run"
        processes.wait_for_file(run / "components.ready", START_TIMEOUT_S,
                                by_name[f"components {site.domain}"])
        processes.wait_for_file(run / "gateway.ready", START_TIMEOUT_S,
                                by_name[f"gateway {site.domain}"])
        _check_health(f"http://{site.address}:{site.gateway_port}/health")


def _check_health(url: str) -> None:
    with urllib.request.urlopen(url, timeout=5) as response:
        if response.status != 200:
            raise LabError(f"{url} answered {response.status}")


def lab_up(lab_dir: Path, base_address: str = "127.0.0.2", fallback_s: int | None = None,
           queue: Mapping[str, float] | None = None, history_days: int = 0) -> dict[str, Any]:
    """Start the demo federation in lab_dir; return what lab.json says about it.

    fallback_s and queue (the [queue] settings, e.g. staff_delay_s) shorten the routing
    periods and departure times, for tests; history_days gives the demo past chats."""
    lab_dir = lab_dir.resolve()
    if any(processes.is_running(p) for p in processes.load(lab_dir)):
        raise LabError(f"a lab is already running in {lab_dir}; stop it with "
                       f"`refdesk lab down --dir {lab_dir}`")
    began = time.monotonic()
    federation = sample_federation(base_address, fallback_s)
    queue = {"staff_delay_s": QueueSettings().staff_delay_s, **(queue or {})}
    _check_ports_free(federation)
    shutil.rmtree(lab_dir, ignore_errors=True)
    lab_dir.mkdir(parents=True)
    ca = certs.make_ca(lab_dir / "certs")
    prosody.write_hosts_file(federation, lab_dir / "hosts")
    history = History(history_days, utcnow().replace(
        hour=0, minute=0, second=0, microsecond=0)) if history_days > 0 else None
    settings = {
        s.domain: _prepare_site(federation, s, lab_dir, ca, queue, history)
        for s in federation.sites
    }
    started: list[processes.Started] = []
    try:
        _start_mail(federation, lab_dir, started)
        for site in federation.sites:
            _start_site(site, lab_dir, settings[site.domain], started)
        _wait_ready(federation, lab_dir, started)
    except (OSError, TimeoutError, RuntimeError, LabError) as error:
        lab_down(lab_dir)
        raise LabError(f"{error} (logs under {lab_dir}/<domain>/run/)") from error
    mail_host, mail_port = mail_address(federation)
    manifest = build_manifest(federation, lab_dir) | {
        "staff_delay_s": queue["staff_delay_s"], "queue": dict(queue),
        # The lab's SMTP sink: each message every library sends, as <dir>/<n>.eml.
        "mail": {"smtp": f"{mail_host}:{mail_port}", "dir": str(lab_dir / "mail")}}
    (lab_dir / "lab.json").write_text(json.dumps(manifest, indent=2) + "\n")
    log.info("lab ready in %.1f s", time.monotonic() - began)
    return manifest


def lab_down(lab_dir: Path) -> list[str]:
    """Stop every process this lab started, newest first; return their names."""
    lab_dir = lab_dir.resolve()
    started = processes.load(lab_dir)
    for process in reversed(started):
        processes.stop(process)
    (lab_dir / processes.RECORD).unlink(missing_ok=True)
    return [process.name for process in started]


def restart(lab_dir: Path, name: str, crash: bool = False) -> None:
    """Stop one of the lab's processes ("prosody gamma.test", "components alpha.test") and
    start it again; crash=True kills it outright, as a power cut or an OOM kill would."""
    lab_dir = lab_dir.resolve()
    started = processes.load(lab_dir)
    index, old = next((i, p) for i, p in enumerate(started) if p.name == name)
    processes.stop(old, grace_s=0.0 if crash else 5.0)
    log_file = lab_dir / name.split()[1] / "run" / _LOG_FILES[name.split()[0]]
    started[index] = processes.spawn(name, list(old.argv), log_file)
    processes.save(lab_dir, started)


_LOG_FILES = {"prosody": "prosody.out", "components": "components.log", "gateway": "gateway.log"}
