"""`refdesk widget`: chat widgets, their ordered routing lists, fallback and allowed origins."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import func, select

from gateway.origins import normalize_origin
from refdesk.admin.base import AdminError, Library, bare_jid, editing, reading
from refdesk.admin.departments import get_department
from refdesk.db.models import Chat, Coop, TargetKind, Widget, WidgetTarget
from refdesk.db.models.widget import DEFAULT_FALLBACK_S
from refdesk.settings import Settings

_ID = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?")
ROUTE_HELP = "department:NAME, operator:JID or coop:ID"


@dataclass(frozen=True)
class Route:
    """One step of a routing list as the sysadmin names it."""

    kind: TargetKind
    ref: str

    @classmethod
    def parse(cls, text: str) -> Route:
        kind, sep, ref = text.partition(":")
        if not sep or not ref.strip() or kind not in set(TargetKind):
            raise AdminError(f"{text!r} is not a routing step: give {ROUTE_HELP}")
        return cls(TargetKind(kind), ref.strip())

    def __str__(self) -> str:
        return f"{self.kind}:{self.ref}"


@dataclass(frozen=True)
class WidgetInfo:
    id: str
    name: str
    fallback_s: int
    routing: tuple[Route, ...]
    allowed_origins: tuple[str, ...]
    keep_transcript: bool = True


@dataclass(frozen=True)
class WidgetChange:
    """What `widget change` sets; None leaves it as it is."""

    name: str | None = None
    routing: Sequence[Route] | None = None
    fallback_s: int | None = None
    allowed_origins: Sequence[str] | None = None
    keep_transcript: bool | None = None


def origins(texts: Sequence[str]) -> list[str]:
    """Web origins, normalised (scheme://host[:port]); AdminError for anything else."""
    normalized: list[str] = []
    for text in texts:
        parts = urlsplit(text.strip())
        origin = normalize_origin(text)
        if origin is None or parts.query or parts.fragment or "@" in parts.netloc:
            raise AdminError(f"{text!r} is not a web origin: give scheme://host[:port], "
                             "e.g. https://library.example.edu")
        if origin not in normalized:
            normalized.append(origin)
    return normalized


def _fallback(seconds: int) -> int:
    if seconds < 0:
        raise AdminError(f"the fallback period must be 0 (off) or more seconds, not {seconds}")
    return seconds


def _name(name: str) -> str:
    if not name.strip():
        raise AdminError("a widget's name must not be empty")
    return name.strip()


async def add_widget(settings: Settings, widget_id: str, name: str, routing: Sequence[Route],
                     fallback_s: int | None, allowed: Sequence[str],
                     keep_transcript: bool = True) -> WidgetInfo:
    async with editing(settings) as library:
        if not _ID.fullmatch(widget_id):
            raise AdminError(f"{widget_id!r} cannot be a widget id: use lower-case letters, "
                             "digits and hyphens, at most 64")
        if await library.session.get(Widget, widget_id) is not None:
            raise AdminError(f"there is already a widget {widget_id}")
        widget = Widget(id=widget_id, institution_id=library.home.id, name=_name(name),
                        fallback_s=_fallback(DEFAULT_FALLBACK_S if fallback_s is None
                                             else fallback_s),
                        allowed_origins=origins(allowed), keep_transcript=keep_transcript,
                        routing=await _targets(library, routing))
        library.session.add(widget)
        return await _info(library, widget)


async def change_widget(settings: Settings, widget_id: str, change: WidgetChange
                        ) -> WidgetInfo:
    async with editing(settings) as library:
        widget = await _get(library, widget_id)
        if change.name is not None:
            widget.name = _name(change.name)
        if change.fallback_s is not None:
            widget.fallback_s = _fallback(change.fallback_s)
        if change.allowed_origins is not None:
            widget.allowed_origins = origins(change.allowed_origins)
        if change.keep_transcript is not None:
            widget.keep_transcript = change.keep_transcript
        if change.routing is not None:
            targets = await _targets(library, change.routing)
            # The old steps go first: (widget, position) is unique.
            widget.routing.clear()
            await library.session.flush()
            widget.routing.extend(targets)
        return await _info(library, widget)


async def list_widgets(settings: Settings) -> list[WidgetInfo]:
    async with reading(settings) as library:
        widgets = await library.session.scalars(
            select(Widget).where(Widget.institution_id == library.home.id).order_by(Widget.id))
        return [await _info(library, widget) for widget in widgets]


async def remove_widget(settings: Settings, widget_id: str) -> None:
    async with editing(settings) as library:
        widget = await _get(library, widget_id)
        chats = await library.session.scalar(
            select(func.count()).select_from(Chat).where(Chat.widget_id == widget.id))
        if chats:
            raise AdminError(f"widget {widget.id} has {chats} chats on record, whose "
                             "transcripts name it; take it off your pages and leave it, or "
                             "delete those transcripts first")
        await library.session.delete(widget)


async def _get(library: Library, widget_id: str) -> Widget:
    widget = await library.session.get(Widget, widget_id)
    if widget is None or widget.institution_id != library.home.id:
        raise AdminError(f"there is no widget {widget_id!r} at {library.home.name}")
    return widget


async def _targets(library: Library, routing: Sequence[Route]) -> list[WidgetTarget]:
    if not routing:
        raise AdminError(f"a widget needs a routing list: at least one --route {ROUTE_HELP}")
    targets: list[WidgetTarget] = []
    seen: set[tuple[TargetKind, str]] = set()
    for position, route in enumerate(routing):
        target = await _target(library, route, position)
        key = (route.kind, str(target.department_id or target.operator_jid or target.coop_id))
        if key in seen:
            raise AdminError(f"{route} is twice in the routing list")
        seen.add(key)
        targets.append(target)
    return targets


async def _target(library: Library, route: Route, position: int) -> WidgetTarget:
    if route.kind == TargetKind.DEPARTMENT:
        department = await get_department(library, route.ref)
        return WidgetTarget(position=position, kind=route.kind, department_id=department.id)
    if route.kind == TargetKind.OPERATOR:
        operator = bare_jid(route.ref, "operator's JID")
        return WidgetTarget(position=position, kind=route.kind, operator_jid=operator)
    await _coop(library, route.ref)
    return WidgetTarget(position=position, kind=route.kind, coop_id=route.ref)


async def _coop(library: Library, coop_id: str) -> None:
    # A co-op's row here is written when its registry admits the library (refdesk coop join).
    if await library.session.get(Coop, coop_id) is None:
        raise AdminError(f"{library.home.name} has not joined a co-op {coop_id!r}; "
                         "join it first with `refdesk coop join`")


async def _info(library: Library, widget: Widget) -> WidgetInfo:
    await library.session.flush()
    await library.session.refresh(widget, ["routing"])
    return WidgetInfo(widget.id, widget.name, widget.fallback_s,
                      tuple([await _route(library, t) for t in widget.routing]),
                      tuple(widget.allowed_origins or ()), widget.keep_transcript)


async def _route(library: Library, target: WidgetTarget) -> Route:
    if target.kind == TargetKind.DEPARTMENT:
        await library.session.refresh(target, ["department"])
        return Route(target.kind, target.department.name if target.department else "?")
    return Route(target.kind, target.operator_jid or target.coop_id or "")
