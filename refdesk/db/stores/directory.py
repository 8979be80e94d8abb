"""A library's own set-up, read at start: widgets with their routing, departments, co-ops,
partner institutions and local operators."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.db.models import (
    Coop,
    CoopKind,
    Department,
    Institution,
    TargetKind,
    User,
    Widget,
)
from refdesk.errors import NotFound


@dataclass(frozen=True)
class RouteStep:
    kind: TargetKind
    ref: str
    """The department's room JID, the operator's bare JID or the co-op's id."""
    label: str
    """What an operator calls it: the department's or co-op's name, the operator's JID."""


@dataclass(frozen=True)
class WidgetInfo:
    id: str
    name: str
    fallback_s: int
    routing: tuple[RouteStep, ...]
    allowed_origins: tuple[str, ...]
    keep_transcript: bool = True
    """False: the chat's lines and the patron's details are dropped when it ends."""


@dataclass(frozen=True)
class CoopInfo:
    id: str
    name: str
    kind: CoopKind
    room: str
    host: str
    component: str
    """The co-op's registry, e.g. coop.coop.test: who belongs to it is the registry's to say
    (components.queue.coopfeed follows it); a row here only records that the library joined."""

    @property
    def is_global(self) -> bool:
        return self.kind == CoopKind.GLOBAL


@dataclass(frozen=True)
class OperatorInfo:
    jid: str
    name: str
    nick: str
    chat_enabled: bool
    local_admin: bool = False
    """Administers the library's refdesk: may supervise its patrons' chats."""


@dataclass(frozen=True)
class Directory:
    domain: str
    name: str
    institution_id: int
    widgets: dict[str, WidgetInfo]
    departments: dict[str, str]
    """Department room JID -> department name."""
    coops: dict[str, CoopInfo]
    institutions: dict[str, str]
    """Domain -> name of this library and every co-op partner."""
    operators: dict[str, OperatorInfo]
    """This library's own operators by bare JID."""
    nicks: dict[str, str]
    """Bare JID -> the name patrons see, for every operator this database knows (its own,
    and co-op partners' where it hosts a co-op)."""

    def widget(self, widget_id: str) -> WidgetInfo:
        try:
            return self.widgets[widget_id]
        except KeyError:
            raise NotFound(f"There is no chat widget {widget_id!r} at {self.name}.") from None

    def institution_name(self, domain: str) -> str:
        return self.institutions.get(domain, domain)


class DirectoryStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def load(self, domain: str) -> Directory:
        async with self._sessions() as session:
            home = await session.scalar(select(Institution).where(Institution.domain == domain))
            if home is None:
                raise NotFound(f"the database has no institution {domain}; seed it first")
            departments = {
                d.id: d for d in await session.scalars(
                    select(Department).where(Department.institution_id == home.id))
            }
            coops = await self._coops(session)
            widgets = await session.scalars(select(Widget).where(Widget.institution_id == home.id))
            users = (await session.scalars(select(User))).all()
            institutions = await session.scalars(select(Institution))
            return Directory(
                domain=domain, name=home.name, institution_id=home.id,
                widgets={w.id: _widget(w, departments, coops) for w in widgets},
                departments={d.room: d.name for d in departments.values()},
                coops=coops,
                institutions={i.domain: i.name for i in institutions},
                operators={u.jid: OperatorInfo(u.jid, u.name, u.nick, u.chat_enabled,
                                               u.local_admin)
                           for u in users if u.institution_id == home.id},
                nicks={u.jid: u.nick for u in users},
            )

    @staticmethod
    async def _coops(session: AsyncSession) -> dict[str, CoopInfo]:
        coops = await session.scalars(select(Coop))
        return {c.id: CoopInfo(c.id, c.name, c.kind, c.room, c.host_domain, c.component)
                for c in coops}


def _widget(widget: Widget, departments: dict[int, Department],
            coops: dict[str, CoopInfo]) -> WidgetInfo:
    def step(kind: TargetKind, department_id: int | None, operator: str | None,
             coop_id: str | None) -> RouteStep:
        if kind == TargetKind.DEPARTMENT:
            department = departments[department_id or 0]
            return RouteStep(kind, department.room, department.name)
        if kind == TargetKind.OPERATOR:
            return RouteStep(kind, operator or "", operator or "")
        return RouteStep(kind, coop_id or "", coops[coop_id or ""].name)

    return WidgetInfo(
        widget.id, widget.name, widget.fallback_s,
        tuple(step(t.kind, t.department_id, t.operator_jid, t.coop_id) for t in widget.routing),
        tuple(widget.allowed_origins or ()), widget.keep_transcript,
    )
