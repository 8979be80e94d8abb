"""`refdesk user`: the library's librarians, each with an XMPP account on its own server."""

from __future__ import annotations

from dataclasses import dataclass

from slixmpp import JID
from sqlalchemy import select

from refdesk.admin.base import AdminError, Library, bare_jid, editing, reading
from refdesk.admin.prosodyctl import Prosodyctl
from refdesk.db.models import TargetKind, User, WidgetTarget
from refdesk.settings import Settings


@dataclass(frozen=True)
class UserInfo:
    """A librarian as `user list` shows them."""

    jid: str
    name: str
    nick: str
    local_admin: bool
    chat_enabled: bool


@dataclass(frozen=True)
class UserChange:
    """What `user change` sets; None leaves it as it is."""

    name: str | None = None
    nick: str | None = None
    local_admin: bool | None = None
    chat_enabled: bool | None = None


def local_jid(text: str, domain: str) -> str:
    """The bare JID of a librarian of this library; AdminError if it is on another domain."""
    jid = bare_jid(text, "librarian's JID")
    if JID(jid).domain != domain:
        raise AdminError(f"{jid} is not on this library's domain {domain}: librarians have "
                         f"accounts on their own library's server (user@{domain})")
    return jid


def _text(value: str, what: str) -> str:
    if not value.strip():
        raise AdminError(f"the {what} must not be empty")
    return value.strip()


async def add_user(settings: Settings, jid: str, name: str, nick: str | None, *,
                   local_admin: bool, chat_enabled: bool, password: str) -> UserInfo:
    """Record the librarian and make their XMPP account; neither without the other."""
    accounts = Prosodyctl(settings.prosody)
    async with editing(settings) as library:
        jid = local_jid(jid, library.domain)
        if await _find(library, jid) is not None:
            raise AdminError(f"there is already a user {jid}")
        user = User(jid=jid, name=_text(name, "name"), nick=_text(nick or name, "nick"),
                    institution_id=library.home.id, local_admin=local_admin,
                    chat_enabled=chat_enabled)
        library.session.add(user)
        await library.session.flush()
        await accounts.create(jid, password)
    return _info(user)


async def change_user(settings: Settings, jid: str, change: UserChange) -> UserInfo:
    async with editing(settings) as library:
        user = await _get(library, local_jid(jid, library.domain))
        if change.name is not None:
            user.name = _text(change.name, "name")
        if change.nick is not None:
            user.nick = _text(change.nick, "nick")
        if change.local_admin is not None:
            user.local_admin = change.local_admin
        if change.chat_enabled is not None:
            user.chat_enabled = change.chat_enabled
    return _info(user)


async def list_users(settings: Settings) -> list[UserInfo]:
    async with reading(settings) as library:
        users = await library.session.scalars(
            select(User).where(User.institution_id == library.home.id).order_by(User.jid))
        return [_info(user) for user in users]


async def remove_user(settings: Settings, jid: str) -> None:
    """Forget the librarian and remove their XMPP account; neither without the other."""
    accounts = Prosodyctl(settings.prosody)
    async with editing(settings) as library:
        user = await _get(library, local_jid(jid, library.domain))
        routed = await library.session.scalars(
            select(WidgetTarget.widget_id).where(WidgetTarget.kind == TargetKind.OPERATOR,
                                                 WidgetTarget.operator_jid == user.jid))
        if widgets := sorted(set(routed)):
            raise AdminError(f"{user.jid} is in the routing list of widget {widgets[0]}; "
                             "take them out of it first (refdesk widget change --route …)")
        await library.session.delete(user)
        await library.session.flush()
        await accounts.delete(user.jid)


async def _find(library: Library, jid: str) -> User | None:
    return await library.session.scalar(select(User).where(User.jid == jid))


async def _get(library: Library, jid: str) -> User:
    user = await _find(library, jid)
    if user is None or user.institution_id != library.home.id:
        raise AdminError(f"there is no user {jid} at {library.home.name}")
    return user


def _info(user: User) -> UserInfo:
    return UserInfo(user.jid, user.name, user.nick, user.local_admin, user.chat_enabled)
