"""What every `refdesk` sub-command parses alike: a usage mistake is one line on stderr and
status 2, the same status as any other refusal; and a sub-command that works on one
deployment takes its TOML as `--config`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

EXIT_BAD_INPUT = 2
Subparsers = argparse._SubParsersAction  # argparse names it no other way


class OneLineParser(argparse.ArgumentParser):
    """Reports a usage mistake in one line, naming the command and where its help is."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"refdesk: {self.prog.removeprefix('refdesk ')}: {message} "
                                  f"(see {self.prog} --help)\n")


def config_subcommand(subs: Subparsers[OneLineParser], name: str, text: str,
                      handler: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
    """Adds `name` (helped by `text`), run by `handler` on a deployment given by --config."""
    parser = subs.add_parser(name, help=text, description=text)
    parser.add_argument("--config", required=True, type=Path, help="the deployment's TOML")
    parser.set_defaults(handler=handler)
    return parser
