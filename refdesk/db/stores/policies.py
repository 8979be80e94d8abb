"""A library's policy page (the seed's "Policy pages"): read by whoever covers its patrons,
replaced by its local admins (the faq component decides who is who)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from refdesk.db.models import PolicyEntry, PolicyField, PolicyPage
from refdesk.db.types import utcnow
from refdesk.errors import InvalidInput

MAX_FIELD = 10_000
"""schemas/faq.xsd's fieldText: a field is at most this many characters."""
ORDER = list(PolicyField)


@dataclass(frozen=True)
class PolicyRecord:
    """The page as read: its filled-in fields in the template's order; `updated` is None
    when the library has no page yet."""

    fields: dict[PolicyField, str] = field(default_factory=dict)
    updated: datetime | None = None
    updated_by: str | None = None


def checked_fields(fields: Mapping[str, str]) -> dict[PolicyField, str]:
    """The fields as kept: known names, text stripped, blank ones left out."""
    kept: dict[PolicyField, str] = {}
    for name, text in fields.items():
        try:
            known = PolicyField(name)
        except ValueError:
            raise InvalidInput(f"The policy page has no field {name[:40]!r}; its fields are "
                               f"{', '.join(ORDER)}.") from None
        if len(text) > MAX_FIELD:
            raise InvalidInput(f"The {known} field is {len(text)} characters long; a field "
                               f"holds at most {MAX_FIELD}.")
        if text.strip():
            kept[known] = text.strip()
    return kept


class PolicyStore:
    """The policy page of one library (its institution id), each call its own transaction."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def get(self, institution_id: int) -> PolicyRecord:
        async with self._sessions() as session:
            return _record(await _page(session, institution_id))

    async def replace(self, institution_id: int, fields: Mapping[str, str],
                      by: str) -> tuple[PolicyRecord, bool]:
        """Make the page hold exactly `fields` (a blank or absent one is removed); the
        page's date moves only when something changed. Returns the page and whether it
        changed."""
        wanted = checked_fields(fields)
        async with self._sessions() as session, session.begin():
            page = await _page(session, institution_id)
            if page is None and not wanted:
                return PolicyRecord(), False
            if page is None:
                page = PolicyPage(institution_id=institution_id, fields=[])
                session.add(page)
            changed = _apply(page, wanted)
            if changed:
                page.updated_at, page.updated_by = utcnow(), by
            await session.flush()
            return _record(page), changed


def _apply(page: PolicyPage, wanted: dict[PolicyField, str]) -> bool:
    have = {entry.field: entry for entry in page.fields}
    changed = page.id is None
    for name, entry in have.items():
        if name not in wanted:
            page.fields.remove(entry)
            changed = True
    for name, text in wanted.items():
        if name not in have:
            page.fields.append(PolicyEntry(field=name, text=text))
            changed = True
        elif have[name].text != text:
            have[name].text, changed = text, True
    return changed


async def _page(session: AsyncSession, institution_id: int) -> PolicyPage | None:
    return await session.scalar(
        select(PolicyPage).options(selectinload(PolicyPage.fields))
        .where(PolicyPage.institution_id == institution_id))


def _record(page: PolicyPage | None) -> PolicyRecord:
    if page is None:
        return PolicyRecord()
    texts = {entry.field: entry.text for entry in page.fields}
    return PolicyRecord({name: texts[name] for name in ORDER if name in texts},
                        page.updated_at, page.updated_by)
