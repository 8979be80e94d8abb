"""`refdesk doctor`: its options, and the handler `refdesk` calls."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from refdesk.doctor.context import DEFAULT_PROSODY_CONFIG, DEFAULT_TIMEOUT_S, Options
from refdesk.doctor.result import EXIT_USAGE, Result, exit_code, format_result

DESCRIPTION = ("check this deployment as a sysadmin would: configuration, certificates and "
               "their names, DNS SRV records, ports, s2s reachability of every partner domain, "
               "component connections, database revision; exit 0 when all pass, 1 when one "
               "fails")


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value <= 60:
        raise argparse.ArgumentTypeError("must be more than 0 and at most 60 seconds")
    return value


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """Add `doctor` to refdesk's sub-commands (argparse's _SubParsersAction)."""
    doctor: argparse.ArgumentParser = commands.add_parser(
        "doctor", help=DESCRIPTION.split(":")[0], description=DESCRIPTION)
    doctor.set_defaults(handler=handle)
    doctor.add_argument("--config", required=True, help="the deployment's refdesk.toml")
    doctor.add_argument("--prosody-config", type=str,
                        help="Prosody's configuration (default: [prosody] config in "
                        f"refdesk.toml, which is {DEFAULT_PROSODY_CONFIG} unless set)")
    doctor.add_argument("--certificate", help="PEM certificate to check instead of the one "
                        "Prosody's configuration names (needs --key)")
    doctor.add_argument("--key", help="its private key")
    doctor.add_argument("--address", action="append", default=[],
                        help="public address to test c2s and s2s ports on (repeatable; "
                        "default: Prosody's s2s_interfaces, else the domain's A/AAAA)")
    doctor.add_argument("--hosts-file", help="resolve names it lists from it, as Prosody "
                        "does with unbound's hoststxt (default: the one Prosody's "
                        "configuration names)")
    doctor.add_argument("--timeout", type=_seconds, default=DEFAULT_TIMEOUT_S,
                        help=f"seconds per connection and DNS query (default: "
                        f"{DEFAULT_TIMEOUT_S:g})")
    return doctor


def options_from(args: argparse.Namespace) -> Options:
    """Options from parsed arguments; ValueError with a one-line reason on bad input."""
    if not Path(args.config).is_file():
        raise ValueError(f"{args.config}: no such file; name the deployment's refdesk.toml "
                         "(e.g. /etc/refdesk/refdesk.toml)")
    if bool(args.certificate) != bool(args.key):
        raise ValueError("--certificate and --key go together")
    return Options(
        config=Path(args.config),
        prosody_config=Path(args.prosody_config) if args.prosody_config else None,
        certificate=Path(args.certificate) if args.certificate else None,
        key=Path(args.key) if args.key else None, addresses=tuple(args.address),
        hosts_file=Path(args.hosts_file) if args.hosts_file else None, timeout=args.timeout)


def _print(result: Result) -> None:
    print(format_result(result), flush=True)


def handle(args: argparse.Namespace) -> int:
    from refdesk.doctor.runner import run

    try:
        options = options_from(args)
    except ValueError as error:
        print(f"refdesk: {error}", file=sys.stderr)
        return EXIT_USAGE
    return exit_code(asyncio.run(run(options, _print)))
