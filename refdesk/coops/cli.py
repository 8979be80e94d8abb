"""`refdesk coop …`: a co-op host's sysadmin runs its co-ops; a library's sysadmin joins one.

At the host the sysadmin acts with full rights, straight on the registry's database; the
running registry sees each change through the REGISTRY counter. Bad input is one line,
`refdesk: …`, and status 2, with nothing written.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from slixmpp import JID
from slixmpp.jid import InvalidJID
from sqlalchemy.exc import SQLAlchemyError

from refdesk.cliparse import EXIT_BAD_INPUT, OneLineParser
from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.models import CoopAudience, CoopKind, CoopLevel
from refdesk.db.stores.registry import NewCoop, RegistryStore
from refdesk.errors import RefdeskError
from refdesk.settings import Settings, load_settings

SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
T = TypeVar("T")


class BadInput(Exception):
    """The command cannot run as typed; the message says why."""


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `refdesk coop` and its sub-commands to the `refdesk` parser."""
    from refdesk.coops import join

    coop = commands.add_parser("coop", help="create and run co-ops, or join one",
                               description=__doc__,
                               formatter_class=argparse.RawDescriptionHelpFormatter)
    subs = coop.add_subparsers(dest="coop_command", required=True, parser_class=OneLineParser)

    def sub(name: str, handler: Callable[[argparse.Namespace], int],
            text: str) -> argparse.ArgumentParser:
        parser = subs.add_parser(name, help=text, description=text)
        parser.add_argument("--config", required=True, type=Path, help="the deployment's TOML")
        parser.set_defaults(handler=handler)
        return parser

    create = sub("create", cmd_create, "create a co-op hosted by this deployment")
    create.add_argument("--id", required=True, type=_slug, help="short id, e.g. coop-247")
    create.add_argument("--name", required=True, help='as members see it, e.g. "24/7 Reference"')
    create.add_argument("--kind", required=True, choices=[k.value for k in CoopKind],
                        help="global: a 24/7 co-op with its own staff; local: members only")
    create.add_argument("--audience", required=True, choices=[a.value for a in CoopAudience],
                        help="which libraries may join: academic, public or both (mixed)")
    sub("list", cmd_list, "list the co-ops this deployment hosts")
    invite = sub("invite", cmd_invite, "invite a library; it joins with `refdesk coop join`")
    invite.add_argument("coop", type=_slug)
    invite.add_argument("domain", type=_domain, help="the library's XMPP domain")
    invite.add_argument("--non-contributing", action="store_true",
                        help="its staff answer only its own patrons' chats")
    _members(sub("members", cmd_members, "list a co-op's members, set contributing, remove"))
    _roles(sub("roles", cmd_roles, "list users' account levels, grant or revoke access"))
    joining = sub("join", join.cmd_join, "join a co-op that invited this library (through "
                  "its running `refdesk serve`)")
    joining.add_argument("coop", help="CO-OP@REGISTRY, e.g. coop-247@coop.coop.example, "
                         "or the co-op's id followed by its registry")
    joining.add_argument("registry", nargs="?", type=_domain, help="e.g. coop.coop.example")
    joining.add_argument("--wait", type=float, default=join.WAIT_S, metavar="SECONDS",
                         help=f"how long to wait for the answer (default {join.WAIT_S:g})")


def _members(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("coop", type=_slug)
    actions = parser.add_subparsers(dest="action", metavar="{list,contributing,remove}")
    actions.add_parser("list", help="the members (the default)")
    contributing = actions.add_parser("contributing", help="whether a member's staff answer "
                                      "every member's patrons")
    contributing.add_argument("domain", type=_domain)
    contributing.add_argument("value", choices=("yes", "no"))
    actions.add_parser("remove", help="a member leaves; its users lose access").add_argument(
        "domain", type=_domain)


def _roles(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("coop", type=_slug)
    actions = parser.add_subparsers(dest="action", metavar="{list,grant,revoke,quality}")
    actions.add_parser("list", help="users and their levels (the default)")
    grant = actions.add_parser("grant", help="give a user access, or change their level")
    grant.add_argument("jid", type=_user)
    grant.add_argument("level", choices=[level.value for level in CoopLevel])
    grant.add_argument("--nick", help="the name patrons see (default: the JID's user part)")
    actions.add_parser("revoke", help="take a user's access away").add_argument(
        "jid", type=_user)
    quality = actions.add_parser("quality", help="put a user with access on the co-op's "
                                 "Quality team, or take them off")
    quality.add_argument("jid", type=_user)
    quality.add_argument("value", choices=("on", "off"))


# --- the sub-commands -------------------------------------------------------------------


def cmd_create(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    new = NewCoop(args.id, args.name.strip(), CoopKind(args.kind), CoopAudience(args.audience),
                  settings.library.domain)
    if not new.name:
        return _refuse("--name: give the co-op a name")
    coop = _run(settings, lambda store: store.create(new))
    print(f"created {coop.name} ({coop.id}): room {coop.room}, registry {coop.component}")
    if "coop" not in settings.components.enabled:
        print(f'note: add "coop" to [components] enabled in {args.config} and restart '
              "`refdesk serve`, so that the registry runs")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    coops = _run(settings, lambda store: store.hosted(settings.library.domain))
    for coop in coops:
        print(f"{coop.id}\t{coop.name}\t{coop.kind}\t{coop.audience}\t"
              f"{len(coop.members)} members\t{len(coop.users)} users")
    if not coops:
        print(f"{settings.library.domain} hosts no co-op")
    return 0


def cmd_invite(args: argparse.Namespace) -> int:
    contributing = not args.non_contributing
    settings = load_settings(args.config)
    _run(settings, lambda store: store.invite(args.coop, args.domain, contributing))
    print(f"invited {args.domain} to {args.coop} ({'' if contributing else 'non-'}contributing);"
          f" it joins with `refdesk coop join {args.coop}@{settings.component_jid('coop')}`"
          " at its end")
    return 0


def cmd_members(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    if args.action == "contributing":
        flag = args.value == "yes"
        _run(settings, lambda store: store.set_contributing(args.coop, args.domain, flag))
        print(f"{args.domain} is {'' if flag else 'not '}contributing to {args.coop}")
    elif args.action == "remove":
        _run(settings, lambda store: store.remove_member(args.coop, args.domain))
        print(f"{args.domain} is no longer a member of {args.coop}")
    else:
        coop = _run(settings, lambda store: store.coop(args.coop))
        for m in coop.members:
            print(f"{m.domain}\t{m.name}\t{m.kind}\t"
                  f"{'contributing' if m.contributing else 'not contributing'}")
    return 0


def cmd_roles(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    if args.action == "grant":
        nick = (args.nick or "").strip() or args.jid.partition("@")[0]
        level = CoopLevel(args.level)
        _run(settings, lambda store: store.grant(args.coop, args.jid, nick, level))
        print(f"{args.jid} is {level} in {args.coop}")
    elif args.action == "revoke":
        _run(settings, lambda store: store.revoke(args.coop, args.jid))
        print(f"{args.jid} no longer has access to {args.coop}")
    elif args.action == "quality":
        on = args.value == "on"
        _run(settings, lambda store: store.set_quality(args.coop, args.jid, on))
        print(f"{args.jid} is {'on' if on else 'off'} the Quality team of {args.coop}")
    else:
        coop = _run(settings, lambda store: store.coop(args.coop))
        for user in coop.users:
            team = "\tquality" if user.quality else ""
            print(f"{user.jid}\t{user.nick}\t{user.institution}\t{user.level}{team}")
    return 0


# --- shared -------------------------------------------------------------------------------


def _run(settings: Settings, act: Callable[[RegistryStore], Awaitable[T]]) -> T:
    """Run one store call on the deployment's database; a refusal ends the command."""

    async def run() -> T:
        engine = create_engine(settings.database.url)
        try:
            return await act(RegistryStore(create_sessionmaker(engine)))
        finally:
            await engine.dispose()
    try:
        return asyncio.run(run())
    except RefdeskError as error:
        raise SystemExit(_refuse(str(error))) from None
    except SQLAlchemyError as error:
        raise SystemExit(_refuse(database_trouble(settings, error))) from None


def database_trouble(settings: Settings, error: SQLAlchemyError) -> str:
    cause = str(getattr(error, "orig", None) or error).splitlines()[0]
    return (f"the database {settings.database.url} is not usable ({cause}); is it migrated? "
            "(`refdesk db upgrade`)")


def _refuse(message: str) -> int:
    print(f"refdesk: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _slug(text: str) -> str:
    if not SLUG.fullmatch(text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a co-op id: lower-case letters, digits and '-', e.g. coop-247")
    return text


def _domain(text: str) -> str:
    jid = _jid(text.lower())
    if jid.user or jid.resource or "." not in jid.domain:
        raise argparse.ArgumentTypeError(f"{text!r} is not a domain, e.g. beta.example")
    return str(jid.domain)


def _user(text: str) -> str:
    jid = _jid(text)
    if not jid.user or jid.resource:
        raise argparse.ArgumentTypeError(f"{text!r} is not a user's JID, e.g. ann@alpha.example")
    return str(jid.bare)


def _jid(text: str) -> JID:
    try:
        return JID(text.strip())
    except InvalidJID:
        raise argparse.ArgumentTypeError(f"{text!r} is not a valid address") from None
