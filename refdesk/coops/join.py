"""`refdesk coop join`: a library joins a co-op that invited it, by a command at its own end.

The command line has no XMPP connection (the running components hold the one Prosody allows
each), so it records the request in the library's database and the running queue
(components/queue/joining.py) carries it to the registry; the command waits, bounded, for
the answer the queue records.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time

from sqlalchemy.exc import SQLAlchemyError

from refdesk.cliparse import EXIT_BAD_INPUT
from refdesk.coops.cli import SLUG, database_trouble
from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.models import LinkState
from refdesk.db.stores.coop_links import CoopLinkStore, LinkRecord
from refdesk.settings import Settings, load_settings

WAIT_S = 30.0
ASK_EVERY_S = 0.5
EXIT_REFUSED = 1


def cmd_join(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    try:
        coop_id, registry = _target(args.coop, args.registry)
        _check_deployment(settings)
    except ValueError as error:
        print(f"refdesk: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.wait <= 0:
        print("refdesk: --wait must be more than 0 seconds", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"asking {registry} to admit {settings.library.domain} to {coop_id} through the "
          f"running queue (waiting up to {args.wait:g} s)…", file=sys.stderr)
    try:
        answer = asyncio.run(_join(settings, coop_id, registry, args.wait))
    except SQLAlchemyError as error:
        print(f"refdesk: {database_trouble(settings, error)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return _report(settings, coop_id, registry, answer, args.wait)


def _target(coop: str, registry: str | None) -> tuple[str, str]:
    """(co-op id, registry JID) from CO-OP@REGISTRY or CO-OP REGISTRY."""
    if registry is None:
        coop, _, registry = coop.partition("@")
    elif "@" in coop:
        raise ValueError("give CO-OP@REGISTRY, or the co-op's id and its registry: not both")
    if not SLUG.fullmatch(coop):
        raise ValueError(f"{coop!r} is not a co-op id: lower-case letters, digits and '-'")
    registry = registry.strip().lower()
    if not registry or "." not in registry or "/" in registry or "@" in registry:
        raise ValueError("name the co-op's registry, e.g. coop-247@coop.coop.example")
    return coop, registry


def _check_deployment(settings: Settings) -> None:
    if settings.library.kind == "coordinating":
        raise ValueError(f"{settings.library.domain} is a co-op's host, not a library: "
                         "libraries join co-ops")
    if "queue" not in settings.components.enabled:
        raise ValueError("the queue carries the request, and it is not among this "
                         "deployment's [components] enabled")


async def _join(settings: Settings, coop_id: str, registry: str,
                wait_s: float) -> LinkRecord | None:
    engine = create_engine(settings.database.url)
    try:
        links = CoopLinkStore(create_sessionmaker(engine))
        await links.request(coop_id, registry)
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            link = await links.get(coop_id)
            if link is not None and link.state != LinkState.REQUESTED:
                return link
            await asyncio.sleep(ASK_EVERY_S)
        return None
    finally:
        await engine.dispose()


def _report(settings: Settings, coop_id: str, registry: str, link: LinkRecord | None,
            wait_s: float) -> int:
    if link is None:
        print(f"refdesk: no answer within {wait_s:g} s: `refdesk serve` does not seem to be "
              f"running for {settings.library.domain}; the request stays recorded and goes "
              "to the registry when it starts", file=sys.stderr)
        return EXIT_REFUSED
    if link.state == LinkState.REFUSED:
        print(f"refdesk: {registry} refused: {link.reason}", file=sys.stderr)
        return EXIT_REFUSED
    print(f"joined {coop_id} at {registry}")
    return 0
