"""The `refdesk user|department|widget` sub-commands: argparse wiring and output.

Each edit prints what it did; bad input prints one line, `refdesk: …`, and exits 2 with the
database unchanged.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import secrets
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from refdesk.admin import departments, users, widgets
from refdesk.admin.base import AdminError
from refdesk.cliparse import EXIT_BAD_INPUT, OneLineParser, Subparsers
from refdesk.settings import Settings, load_settings

Handler = Callable[[Settings, argparse.Namespace], Coroutine[Any, Any, str]]


def _run(handler: Handler) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        settings = load_settings(args.config)
        try:
            output = asyncio.run(handler(settings, args))
        except AdminError as refused:
            print(f"refdesk: {refused}", file=sys.stderr)
            return EXIT_BAD_INPUT
        if output:
            print(output)
        return 0
    return run


def add_admin_commands(commands: Subparsers[argparse.ArgumentParser]) -> None:
    """Add `user`, `department` and `widget`, each with add, change, list and remove."""
    for name, text, build in (
        ("user", "the library's librarians and their XMPP accounts", _user_commands),
        ("department", "the library's departments (members-only rooms on its MUC service)",
         _department_commands),
        ("widget", "the library's chat widgets: routing, fallback, allowed origins",
         _widget_commands),
    ):
        parser = commands.add_parser(name, help=text, description=text)
        parser.error = OneLineParser.error.__get__(parser)  # type: ignore[method-assign]
        build(parser.add_subparsers(dest="action", required=True, parser_class=OneLineParser))


def _action(actions: Subparsers[argparse.ArgumentParser], name: str, handler: Handler,
            text: str) -> argparse.ArgumentParser:
    parser = actions.add_parser(name, help=text, description=text)
    parser.add_argument("--config", required=True, type=Path, help="the deployment's TOML")
    parser.set_defaults(handler=_run(handler))
    return parser


# --- users ------------------------------------------------------------------------------------

def _user_commands(actions: Subparsers[argparse.ArgumentParser]) -> None:
    add = _action(actions, "add", _user_add, "add a librarian and make their XMPP account "
                  "with prosodyctl")
    add.add_argument("jid", help="user@<this library's domain>")
    add.add_argument("--name", required=True, help="their full name, as colleagues see it")
    add.add_argument("--nick", help="the name patrons see (default: --name)")
    add.add_argument("--local-admin", action=argparse.BooleanOptionalAction, default=False,
                     help="administers this library's refdesk (default: no)")
    add.add_argument("--chat", action=argparse.BooleanOptionalAction, default=True,
                     help="may monitor and answer chats (default: yes)")
    password = add.add_mutually_exclusive_group()
    password.add_argument("--password-stdin", action="store_true",
                          help="read the password from the first line of standard input")
    password.add_argument("--generate-password", action="store_true",
                          help="make a strong password and print it once")
    change = _action(actions, "change", _user_change, "change a librarian's details")
    change.add_argument("jid")
    change.add_argument("--name")
    change.add_argument("--nick", help="the name patrons see")
    change.add_argument("--local-admin", action=argparse.BooleanOptionalAction, default=None)
    change.add_argument("--chat", action=argparse.BooleanOptionalAction, default=None,
                        help="switch chat access on or off (off: out of department rooms)")
    _action(actions, "list", _user_list, "list the library's librarians")
    remove = _action(actions, "remove", _user_remove,
                     "remove a librarian and delete their XMPP account")
    remove.add_argument("jid")


def _password(args: argparse.Namespace) -> tuple[str, bool]:
    """The new account's password, and whether it was made here (and must be shown)."""
    if args.generate_password:
        return secrets.token_urlsafe(18), True
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            raise AdminError("the passwords differ; nothing was changed")
    else:
        raise AdminError("no password: give --password-stdin (and the password on standard "
                         "input) or --generate-password")
    if not password:
        raise AdminError("the password must not be empty")
    return password, False


async def _user_add(settings: Settings, args: argparse.Namespace) -> str:
    password, generated = _password(args)
    user = await users.add_user(settings, args.jid, args.name, args.nick,
                                local_admin=args.local_admin, chat_enabled=args.chat,
                                password=password)
    shown = f"\npassword (shown once): {password}" if generated else ""
    return f"added {user.jid} ({user.nick}) with an XMPP account{shown}"


async def _user_change(settings: Settings, args: argparse.Namespace) -> str:
    user = await users.change_user(settings, args.jid, users.UserChange(
        args.name, args.nick, args.local_admin, args.chat))
    return f"changed {_user_line(user)}"


async def _user_list(settings: Settings, args: argparse.Namespace) -> str:
    return "\n".join(_user_line(user) for user in await users.list_users(settings))


def _user_line(user: users.UserInfo) -> str:
    flags = ["local admin"] if user.local_admin else []
    flags.append("chat on" if user.chat_enabled else "chat off")
    return f"{user.jid}\tnick {user.nick!r}\tname {user.name!r}\t{', '.join(flags)}"


async def _user_remove(settings: Settings, args: argparse.Namespace) -> str:
    await users.remove_user(settings, args.jid)
    return f"removed {args.jid} and their XMPP account"


# --- departments ------------------------------------------------------------------------------

def _department_commands(actions: Subparsers[argparse.ArgumentParser]) -> None:
    add = _action(actions, "add", _department_add, "add a department and its room")
    add.add_argument("name", help="e.g. Reference")
    add.add_argument("--slug", help="the room's name, <slug>@conference.<domain> "
                     "(default: from the department's name)")
    change = _action(actions, "change", _department_change,
                     "rename a department or move it to another room")
    change.add_argument("name")
    change.add_argument("--name", dest="new_name", help="its new name")
    change.add_argument("--slug", help="its new room's name")
    _action(actions, "list", _department_list, "list the library's departments")
    remove = _action(actions, "remove", _department_remove,
                     "remove a department (no widget may route to it)")
    remove.add_argument("name")


async def _department_add(settings: Settings, args: argparse.Namespace) -> str:
    department = await departments.add_department(settings, args.name, args.slug)
    return f"added department {department.name}: {department.room}"


async def _department_change(settings: Settings, args: argparse.Namespace) -> str:
    department = await departments.change_department(settings, args.name, args.new_name,
                                                     args.slug)
    return f"changed department {department.name}: {department.room}"


async def _department_list(settings: Settings, args: argparse.Namespace) -> str:
    return "\n".join(f"{d.name}\t{d.room}" for d in await departments.list_departments(settings))


async def _department_remove(settings: Settings, args: argparse.Namespace) -> str:
    await departments.remove_department(settings, args.name)
    return f"removed department {args.name}"


# --- widgets ----------------------------------------------------------------------------------

def _route(text: str) -> widgets.Route:
    try:
        return widgets.Route.parse(text)
    except AdminError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _widget_options(parser: argparse.ArgumentParser, adding: bool) -> None:
    parser.add_argument("--name", required=adding, help="the widget's title, as patrons see it")
    parser.add_argument("--route", type=_route, action="append", required=adding,
                        metavar="KIND:REF", help="a routing step, in order (repeatable): "
                        f"{widgets.ROUTE_HELP}; {'' if adding else 'replaces the whole list'}")
    parser.add_argument("--fallback-s", type=int, help="co-op timed fallback period in "
                        "seconds; 0 turns timed fallback off (default: 30)")
    parser.add_argument("--origin", action="append", metavar="ORIGIN",
                        help="a web origin (scheme://host[:port]) allowed to embed it "
                        f"(repeatable){'' if adding else '; replaces the whole list'}")
    parser.add_argument("--keep-transcript", action=argparse.BooleanOptionalAction,
                        help="keep its chats' transcripts (the default); with "
                        "--no-keep-transcript a chat's lines and the patron's details are "
                        "dropped when it ends, and only the co-op's summary remains")


def _widget_commands(actions: Subparsers[argparse.ArgumentParser]) -> None:
    add = _action(actions, "add", _widget_add, "add a chat widget")
    add.add_argument("id", help="a short slug used in embed codes, e.g. main")
    _widget_options(add, adding=True)
    change = _action(actions, "change", _widget_change,
                     "change a widget; effective for the next chat")
    change.add_argument("id")
    _widget_options(change, adding=False)
    change.add_argument("--no-origins", action="store_true",
                        help="allow no other site to embed it")
    _action(actions, "list", _widget_list, "list the widgets with their embed codes")
    remove = _action(actions, "remove", _widget_remove, "remove a widget that has no chats")
    remove.add_argument("id")


async def _widget_add(settings: Settings, args: argparse.Namespace) -> str:
    widget = await widgets.add_widget(settings, args.id, args.name, args.route,
                                      args.fallback_s, args.origin or (),
                                      args.keep_transcript is not False)
    return "added " + _widget_text(settings, widget)


async def _widget_change(settings: Settings, args: argparse.Namespace) -> str:
    if args.no_origins and args.origin:
        raise AdminError("give --origin or --no-origins, not both")
    allowed = [] if args.no_origins else args.origin
    widget = await widgets.change_widget(settings, args.id, widgets.WidgetChange(
        args.name, args.route, args.fallback_s, allowed, args.keep_transcript))
    return "changed " + _widget_text(settings, widget)


async def _widget_list(settings: Settings, args: argparse.Namespace) -> str:
    return "\n\n".join(_widget_text(settings, w) for w in await widgets.list_widgets(settings))


async def _widget_remove(settings: Settings, args: argparse.Namespace) -> str:
    await widgets.remove_widget(settings, args.id)
    return f"removed widget {args.id}"


def _widget_text(settings: Settings, widget: widgets.WidgetInfo) -> str:
    gateway = settings.gateway.public_url or (
        f"http://{settings.gateway.address}:{settings.gateway.port}")
    fallback = f"{widget.fallback_s} s" if widget.fallback_s else "off"
    allowed = ", ".join(widget.allowed_origins) or "none but the gateway's own pages"
    script = f'<script src="{gateway}/widget.js" data-widget="{widget.id}" async></script>'
    unkept = () if widget.keep_transcript else (
        "  transcript: not kept (dropped with the patron's details when a chat ends)",)
    return "\n".join((
        f"{widget.id}\t{widget.name}",
        f"  routing: {', '.join(map(str, widget.routing))} (co-op fallback {fallback})",
        *unkept,
        f"  origins: {allowed}",
        f"  embed:   {script}",
        f"  page:    {gateway}/demo/{widget.id}",
    ))
