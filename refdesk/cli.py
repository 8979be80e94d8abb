"""The `refdesk` command: run a deployment's components or gateway, migrate, run the lab."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from refdesk.admin.cli import add_admin_commands
from refdesk.coops.cli import add_commands as add_coop_commands
from refdesk.doctor.command import add_parser as add_doctor
from refdesk.faqcli import add_commands as add_faq_commands
from refdesk.privacy.cli import add_commands as add_transcripts_commands
from refdesk.settings import Settings, SettingsError, load_settings

log = logging.getLogger(__name__)

EXIT_CONFIG = 2


def _configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def _settings(args: argparse.Namespace) -> Settings:
    settings = load_settings(args.config)
    _configure_logging(settings.log.level)
    return settings


def cmd_serve(args: argparse.Namespace) -> int:
    from components.serve import serve

    asyncio.run(serve(_settings(args), args.ready_file))
    return 0


def cmd_gateway(args: argparse.Namespace) -> int:
    from gateway.serve import serve

    asyncio.run(serve(_settings(args), args.ready_file))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    print(f"ok: {settings.library.domain}")
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from refdesk.deploy import Deployment, InitError, init

    deployment = Deployment(
        args.domain.lower(), args.name, args.kind, args.certificate, args.key, args.dir,
        tuple(args.address or ("*", "::")), args.database_url, args.gateway_port,
        args.local_address, args.hosts_file, args.ca_file, args.prosody_dir,
        args.prosody_config)
    try:
        written = init(deployment, force=args.force)
    except (InitError, SettingsError) as error:
        print(f"refdesk: {error}", file=sys.stderr)
        return EXIT_CONFIG
    for path in written:
        print(f"wrote {path}")
    print(f"database ready at {deployment.url}\nnext: install prosody.cfg.lua as Prosody's "
          "configuration, enable the systemd units, then `refdesk check --config "
          f"{args.dir / 'refdesk.toml'}`")
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    from refdesk.db import migrate

    url = _settings(args).database.url
    if args.action == "upgrade":
        asyncio.run(migrate.upgrade(url, args.revision or "head"))
    else:
        asyncio.run(migrate.downgrade(url, args.revision or "base"))
    print(f"database at revision {asyncio.run(migrate.current(url)) or 'base'}")
    return 0


def cmd_lab(args: argparse.Namespace) -> int:
    from refdesk.lab.report import describe
    from refdesk.lab.up import LabError, lab_down, lab_up

    _configure_logging("warning")
    try:
        if args.action == "up":
            queue = dict(args.queue_setting or [])
            if args.staff_delay_s is not None:
                queue["staff_delay_s"] = args.staff_delay_s
            print(describe(lab_up(args.dir, args.base_address, args.fallback_s, queue,
                                  args.history_days)))
        else:
            stopped = lab_down(args.dir)
            print(f"stopped {len(stopped)} processes" if stopped else "no lab was running")
    except LabError as error:
        print(f"refdesk: {error}", file=sys.stderr)
        return 1
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="refdesk", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, handler: Callable[[argparse.Namespace], int],
                help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        sub.set_defaults(handler=handler)
        return sub

    for name, handler, text in (
        ("serve", cmd_serve, "run this deployment's XMPP components in one process"),
        ("gateway", cmd_gateway, "run this deployment's web gateway"),
    ):
        sub = command(name, handler, text)
        sub.add_argument("--config", required=True, type=Path, help="the deployment's TOML")
        sub.add_argument("--ready-file", type=Path, help="written once ready to serve")
    new = command("init", cmd_init, "make a new deployment for a library's domain (or a "
                  "co-op's host): refdesk.toml, Prosody's configuration, systemd units, database")
    new.add_argument("--domain", required=True, help="the XMPP domain, e.g. library.example.edu")
    new.add_argument("--name", required=True, help="the institution's name, as patrons see it")
    new.add_argument("--kind", choices=("academic", "public", "coordinating"), required=True,
                     help="coordinating: a 24/7 co-op's own host")
    new.add_argument("--certificate", type=Path, required=True,
                     help="PEM certificate for the domain and its subdomains (e.g. fullchain.pem)")
    new.add_argument("--key", type=Path, required=True, help="its private key (e.g. privkey.pem)")
    new.add_argument("--dir", type=Path, default=Path("/etc/refdesk"),
                     help="where to write the files (default: /etc/refdesk)")
    new.add_argument("--address", action="append",
                     help="public address Prosody listens on (repeatable; default: all)")
    new.add_argument("--database-url", help="default: SQLite in /var/lib/refdesk/<domain>.db")
    new.add_argument("--gateway-port", type=int, default=5280,
                     help="the gateway's port on 127.0.0.1 (default: 5280)")
    new.add_argument("--local-address", default="127.0.0.1",
                     help="loopback address where refdesk reaches Prosody (components, "
                     "gateway); one per Prosody when several share a machine "
                     "(default: 127.0.0.1)")
    new.add_argument("--prosody-dir", type=Path, help="Prosody's data, pid file and logs "
                     "for this domain, owned by the prosody user; one per Prosody when "
                     "several share a machine (default: /var/lib/prosody, /run/prosody, "
                     "/var/log/prosody)")
    new.add_argument("--prosody-config", type=Path,
                     default=Path("/etc/prosody/prosody.cfg.lua"),
                     help="where prosody.cfg.lua will be installed, for `refdesk user` "
                     "(default: /etc/prosody/prosody.cfg.lua)")
    new.add_argument("--hosts-file", type=Path, help="resolve peers' names from this file "
                     "(/etc/hosts syntax) instead of DNS: for private networks and tests")
    new.add_argument("--ca-file", type=Path, help="a private CA (PEM) that this server's and "
                     "peers' certificates may be signed by, trusted besides the system's")
    new.add_argument("--force", action="store_true", help="replace files that exist")
    check = command("check", cmd_check, "validate a configuration file")
    check.add_argument("--config", required=True, type=Path)
    db = command("db", cmd_db, "apply or revert database migrations")
    db.add_argument("action", choices=("upgrade", "downgrade"))
    db.add_argument("--config", required=True, type=Path)
    db.add_argument("--revision", help="target revision (default: head / base)")
    add_coop_commands(commands)
    lab = command("lab", cmd_lab, "start or stop the demo federation on this machine")
    lab.add_argument("action", choices=("up", "down"))
    lab.add_argument("--dir", type=Path, default=Path(".lab"), help="lab directory")
    lab.add_argument("--base-address", default="127.0.0.2",
                     help="loopback address of the first site; the others follow it")
    lab.add_argument("--fallback-s", type=int, help="widgets' co-op timed fallback period "
                     "where it is not 0 (default: each widget's own, 30 s)")
    lab.add_argument("--staff-delay-s", type=float,
                     help="24/7 co-op staff delay (default: the settings' default, 40 s)")
    lab.add_argument("--queue-setting", type=_queue_setting, action="append",
                     metavar="KEY=VALUE",
                     help="a [queue] setting for every site, e.g. patron_grace_s=2 (repeatable)")
    lab.add_argument("--history-days", type=int, default=0, metavar="DAYS",
                     help="fill the libraries with this many days of past chats, for the "
                     "demo's reports (default: none)")
    add_admin_commands(commands)
    add_doctor(commands)
    add_transcripts_commands(commands)
    add_faq_commands(commands)
    return parser


def _queue_setting(text: str) -> tuple[str, float]:
    """KEY=VALUE for `lab up --queue-setting`, the key one of [queue]'s."""
    from refdesk.settings.model import QueueSettings

    key, _, value = text.partition("=")
    if key not in QueueSettings.model_fields:
        raise argparse.ArgumentTypeError(
            f"no [queue] setting {key!r}; one of {', '.join(QueueSettings.model_fields)}")
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{key} wants a number") from None
    if number <= 0:
        raise argparse.ArgumentTypeError(f"{key} must be more than 0")
    return key, int(number) if number.is_integer() else number


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except SettingsError as error:
        print(f"refdesk: {error}", file=sys.stderr)
        return EXIT_CONFIG
