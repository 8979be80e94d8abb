"""The library's widgets as the gateway shows them: names and institution, nothing private."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.db.models import Institution, Widget


@dataclass(frozen=True)
class WidgetInfo:
    """What a page needs to show a widget; everything here is public."""

    id: str
    name: str
    institution: str
    domain: str


class WidgetDirectory:
    """The library's widgets, from its database.

    Belongs in refdesk/db/stores/widgets.py; kept here until that package is free to change.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def get(self, widget_id: str) -> WidgetInfo | None:
        query = (select(Widget.id, Widget.name, Institution.name, Institution.domain)
                 .join(Widget.institution).where(Widget.id == widget_id))
        async with self._sessions() as session:
            row = (await session.execute(query)).one_or_none()
        return None if row is None else WidgetInfo(*row)
