"""`refdesk department`: a library's departments, each a members-only room
`<slug>@conference.<domain>` that the queue keeps and routes chats to."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from refdesk.admin.base import AdminError, Library, editing, reading
from refdesk.db.models import Department, Widget, WidgetTarget
from refdesk.settings import Settings

_SLUG = re.compile(r"[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?")


@dataclass(frozen=True)
class DepartmentInfo:
    name: str
    room: str


def slug_of(name: str) -> str:
    """A room name from a department's name: "Special Collections" -> special-collections."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _room(library: Library, slug: str) -> str:
    if not _SLUG.fullmatch(slug):
        raise AdminError(f"{slug!r} cannot name a room: use lower-case letters, digits, dots, "
                         "hyphens and underscores, at most 64")
    return f"{slug}@conference.{library.domain}"


def _name(name: str) -> str:
    if not name.strip():
        raise AdminError("a department's name must not be empty")
    return name.strip()


async def add_department(settings: Settings, name: str, slug: str | None) -> DepartmentInfo:
    async with editing(settings) as library:
        name = _name(name)
        room = _room(library, slug or slug_of(name))
        await _refuse_taken(library, name, room)
        library.session.add(Department(institution_id=library.home.id, name=name, room=room))
    return DepartmentInfo(name, room)


async def change_department(settings: Settings, name: str, new_name: str | None,
                            slug: str | None) -> DepartmentInfo:
    async with editing(settings) as library:
        department = await get_department(library, name)
        wanted_name = department.name if new_name is None else _name(new_name)
        room = department.room if slug is None else _room(library, slug)
        others = (wanted_name if wanted_name != department.name else None,
                  room if room != department.room else None)
        await _refuse_taken(library, *others)
        department.name, department.room = wanted_name, room
    return DepartmentInfo(wanted_name, room)


async def list_departments(settings: Settings) -> list[DepartmentInfo]:
    async with reading(settings) as library:
        departments = await library.session.scalars(
            select(Department).where(Department.institution_id == library.home.id)
            .order_by(Department.name))
        return [DepartmentInfo(d.name, d.room) for d in departments]


async def remove_department(settings: Settings, name: str) -> None:
    async with editing(settings) as library:
        department = await get_department(library, name)
        routed = await library.session.scalars(
            select(Widget.id).join(WidgetTarget, WidgetTarget.widget_id == Widget.id)
            .where(WidgetTarget.department_id == department.id).order_by(Widget.id))
        if widgets := list(routed):
            raise AdminError(f"department {department.name} is in the routing list of widget "
                             f"{widgets[0]}; take it out of it first "
                             "(refdesk widget change --route …)")
        await library.session.delete(department)


async def get_department(library: Library, name: str) -> Department:
    department = await library.session.scalar(select(Department).where(
        Department.institution_id == library.home.id, Department.name == name.strip()))
    if department is None:
        raise AdminError(f"there is no department {name!r} at {library.home.name}")
    return department


async def _refuse_taken(library: Library, name: str | None, room: str | None) -> None:
    if name is not None and await library.session.scalar(select(Department.id).where(
            Department.institution_id == library.home.id, Department.name == name)):
        raise AdminError(f"there is already a department {name!r}")
    if room is not None and await library.session.scalar(
            select(Department.name).where(Department.room == room)):
        raise AdminError(f"the room {room} is already a department's")
