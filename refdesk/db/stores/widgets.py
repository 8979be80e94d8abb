"""Widgets as the public web sees them: names for pages, and the origins allowed to embed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.db.models import Institution, Widget


@dataclass(frozen=True)
class PublicWidget:
    """What a page needs to show a widget; everything here is public."""

    id: str
    name: str
    institution: str
    domain: str


class WidgetStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def public(self, widget_id: str) -> PublicWidget | None:
        query = (select(Widget.id, Widget.name, Institution.name, Institution.domain)
                 .join(Widget.institution).where(Widget.id == widget_id))
        async with self._sessions() as session:
            row = (await session.execute(query)).one_or_none()
        return None if row is None else PublicWidget(*row)

    async def allowed_origins(self) -> list[str]:
        """Every widget's allowed origins, as the library entered them."""
        async with self._sessions() as session:
            lists = (await session.scalars(select(Widget.allowed_origins))).all()
        return [origin for origins in lists for origin in origins or ()]
