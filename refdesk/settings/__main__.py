"""``python -m refdesk.settings``: print the JSON schema, or check a settings file."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from refdesk.settings.load import load_settings
from refdesk.settings.model import SettingsError, schema_json


def main(argv: Sequence[str] | None = None) -> int:
    """Print the JSON schema, or check a settings file (exit status 2 if it is refused)."""
    parser = argparse.ArgumentParser(
        prog="python -m refdesk.settings", description="refdesk settings: schema and checks."
    )
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--schema", action="store_true", help="print the JSON schema")
    action.add_argument("--check", metavar="FILE", help="load FILE (and REFDESK_* overrides)")
    args = parser.parse_args(argv)
    if args.schema:
        sys.stdout.write(schema_json())
        return 0
    try:
        settings = load_settings(args.check)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"ok: {settings.library.domain}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
