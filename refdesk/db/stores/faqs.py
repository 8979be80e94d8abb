"""A library's FAQ groups and FAQs: kept, listed, searched, imported and exported.

Every read takes the availabilities the asker may read (components/faq/access.py decides);
a group or FAQ outside them is NotFound, exactly like one that does not exist. A change is
searchable once its transaction commits: the index is the database's own (migration 0010).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.db.models import Availability, Faq, FaqGroup
from refdesk.db.stores import faqsearch
from refdesk.db.types import utcnow
from refdesk.errors import Conflict, InvalidInput, NotFound

NO_SUCH_GROUP = "There is no such FAQ group."
NO_SUCH_FAQ = "There is no such FAQ."
FAQ_PAGE = 200
"""FAQs of a group read at once; the faq component sends as many as fit one stanza."""


@dataclass(frozen=True)
class GroupRecord:
    id: int
    name: str
    availability: Availability
    count: int
    """How many FAQs the group holds."""


@dataclass(frozen=True)
class FaqRecord:
    id: int
    group_id: int
    group_name: str
    availability: Availability
    question: str
    answer: str
    keywords: str
    updated_at: datetime
    updated_by: str | None

    @classmethod
    def of(cls, faq: Faq, group: FaqGroup) -> FaqRecord:
        return cls(faq.id, group.id, group.name, group.availability, faq.question, faq.answer,
                   faq.keywords, faq.updated_at, faq.updated_by)


@dataclass(frozen=True)
class FaqPage:
    faqs: list[FaqRecord]
    total: int
    """How many FAQs the whole group holds."""


@dataclass(frozen=True)
class FaqDraft:
    """An FAQ to save: a new one when id is None."""

    group_id: int
    question: str
    answer: str
    keywords: str = ""
    id: int | None = None


@dataclass(frozen=True)
class ImportRow:
    """One row of an import, with the line of the file it came from."""

    line: int
    group: str
    availability: Availability
    question: str
    answer: str
    keywords: str = ""


@dataclass(frozen=True)
class Imported:
    faqs: int
    groups: int
    """How many groups the import created."""


class FaqStore:
    """The FAQs of one library (its institution id); each method is one transaction."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], institution_id: int) -> None:
        self._sessions = sessions
        self.institution_id = institution_id

    async def groups(self, listable: Collection[Availability]) -> list[GroupRecord]:
        """The groups of these availabilities, by name, with their counts."""
        count = func.count(Faq.id)
        async with self._sessions() as session:
            rows = await session.execute(
                select(FaqGroup, count).outerjoin(Faq, Faq.group_id == FaqGroup.id)
                .where(FaqGroup.institution_id == self.institution_id,
                       FaqGroup.availability.in_(list(listable)))
                .group_by(FaqGroup.id).order_by(FaqGroup.name, FaqGroup.id))
            return [GroupRecord(g.id, g.name, g.availability, n) for g, n in rows]

    async def save_group(self, name: str, availability: Availability,
                         group_id: int | None = None) -> GroupRecord:
        """Create a group (no id), or rename one or change its availability."""
        try:
            return await self._save_group(name, availability, group_id)
        except IntegrityError:  # another admin took the name or made the group meanwhile
            raise Conflict(f"Another group is named {name!r} or is the library's 24/7 "
                           "Staffing group already; reload and try again.") from None

    async def _save_group(self, name: str, availability: Availability,
                          group_id: int | None) -> GroupRecord:
        async with self._sessions() as session, session.begin():
            group = (FaqGroup(institution_id=self.institution_id) if group_id is None
                     else await self._group(session, group_id, frozenset(Availability)))
            await self._check_free(session, name, availability, group_id)
            group.name, group.availability = name, availability
            session.add(group)
            await session.flush()
            count = await session.scalar(select(func.count(Faq.id))
                                         .where(Faq.group_id == group.id))
            return GroupRecord(group.id, group.name, group.availability, count or 0)

    async def delete_group(self, group_id: int) -> None:
        """A group and every FAQ in it."""
        async with self._sessions() as session, session.begin():
            await session.delete(await self._group(session, group_id, frozenset(Availability)))

    async def group(self, group_id: int, readable: Collection[Availability]) -> GroupRecord:
        """One group, if of these availabilities."""
        async with self._sessions() as session:
            group = await self._group(session, group_id, readable)
            count = await session.scalar(select(func.count(Faq.id))
                                         .where(Faq.group_id == group.id))
            return GroupRecord(group.id, group.name, group.availability, count or 0)

    async def faqs(self, group_id: int, listable: Collection[Availability],
                   after: int = 0, limit: int = FAQ_PAGE) -> FaqPage:
        """One group's FAQs made after the FAQ `after` (0: from the first), in the order
        they were made, at most `limit`, with how many the group holds."""
        async with self._sessions() as session:
            group = await self._group(session, group_id, listable)
            faqs = await session.scalars(select(Faq).where(
                Faq.group_id == group.id, Faq.id > after).order_by(Faq.id).limit(limit))
            total = await session.scalar(select(func.count()).select_from(Faq).where(
                Faq.group_id == group.id))
            return FaqPage([FaqRecord.of(faq, group) for faq in faqs], total or 0)

    async def faq(self, faq_id: int, readable: Collection[Availability]) -> FaqRecord:
        async with self._sessions() as session:
            faq = await session.get(Faq, faq_id)
            if faq is None:
                raise NotFound(NO_SUCH_FAQ)
            group = await self._group(session, faq.group_id, readable, NO_SUCH_FAQ)
            return FaqRecord.of(faq, group)

    async def save_faq(self, draft: FaqDraft, by: str | None) -> FaqRecord:
        """Create (no id) or replace one FAQ, maybe moving it to another group."""
        everything = frozenset(Availability)
        async with self._sessions() as session, session.begin():
            group = await self._group(session, draft.group_id, everything)
            faq = Faq() if draft.id is None else await self._faq(session, draft.id)
            faq.group_id, faq.question, faq.answer = group.id, draft.question, draft.answer
            faq.keywords, faq.updated_at, faq.updated_by = draft.keywords, utcnow(), by
            session.add(faq)
            await session.flush()
            return FaqRecord.of(faq, group)

    async def delete_faq(self, faq_id: int) -> None:
        async with self._sessions() as session, session.begin():
            await session.delete(await self._faq(session, faq_id))

    async def search(self, words: str, searchable: Collection[Availability],
                     limit: int) -> list[FaqRecord]:
        """The FAQs of these availabilities matching the words, best first: one query."""
        return await self._found(words, searchable, limit, ranked=True)

    async def scan(self, words: str, searchable: Collection[Availability],
                   limit: int) -> list[FaqRecord]:
        """The same with a plain LIKE scan and no ranking (for bench/faq_search.py)."""
        return await self._found(words, searchable, limit, ranked=False)

    async def _found(self, words: str, searchable: Collection[Availability], limit: int,
                     ranked: bool) -> list[FaqRecord]:
        terms = faqsearch.terms(words)
        if not terms or not searchable:
            return []
        async with self._sessions() as session:
            dialect = session.get_bind().dialect.name
            query = (faqsearch.ranked(dialect, self.institution_id, searchable, terms, limit)
                     if ranked else
                     faqsearch.scanned(self.institution_id, searchable, terms, limit))
            rows = await session.execute(query)
            return [FaqRecord.of(faq, group) for faq, group in rows]

    async def export(self) -> list[FaqRecord]:
        """Every FAQ of every group, group by group."""
        async with self._sessions() as session:
            rows = await session.execute(
                select(Faq, FaqGroup).join(FaqGroup, Faq.group_id == FaqGroup.id)
                .where(FaqGroup.institution_id == self.institution_id)
                .order_by(FaqGroup.name, Faq.id))
            return [FaqRecord.of(faq, group) for faq, group in rows]

    async def import_rows(self, rows: Sequence[ImportRow], by: str | None) -> Imported:
        """Add every row, making groups as needed, or none: a bad row names its line."""
        async with self._sessions() as session, session.begin():
            groups = {g.name: g for g in await session.scalars(
                select(FaqGroup).where(FaqGroup.institution_id == self.institution_id))}
            before = len(groups)
            for row in rows:
                group = await self._import_group(session, groups, row)
                session.add(Faq(group_id=group.id, question=row.question, answer=row.answer,
                                keywords=row.keywords, updated_at=utcnow(), updated_by=by))
            await session.flush()
            return Imported(len(rows), len(groups) - before)

    async def _import_group(self, session: AsyncSession, groups: dict[str, FaqGroup],
                            row: ImportRow) -> FaqGroup:
        group = groups.get(row.group)
        if group is not None and group.availability != row.availability:
            raise InvalidInput(f"Line {row.line}: the group {row.group!r} is "
                               f"{group.availability.value}, not {row.availability.value}.")
        if group is None:
            if row.availability == Availability.STAFFING and any(
                    g.availability == Availability.STAFFING for g in groups.values()):
                raise InvalidInput(f"Line {row.line}: the library has its 24/7 Staffing "
                                   "group already; there is one per library.")
            group = FaqGroup(institution_id=self.institution_id, name=row.group,
                             availability=row.availability)
            session.add(group)
            await session.flush()
            groups[row.group] = group
        return group

    async def _group(self, session: AsyncSession, group_id: int,
                     readable: Collection[Availability], missing: str = NO_SUCH_GROUP
                     ) -> FaqGroup:
        group = await session.get(FaqGroup, group_id)
        if (group is None or group.institution_id != self.institution_id
                or group.availability not in readable):
            raise NotFound(missing)
        return group

    async def _faq(self, session: AsyncSession, faq_id: int) -> Faq:
        faq = await session.get(Faq, faq_id)
        if faq is None:
            raise NotFound(NO_SUCH_FAQ)
        await self._group(session, faq.group_id, frozenset(Availability), NO_SUCH_FAQ)
        return faq

    async def _check_free(self, session: AsyncSession, name: str, availability: Availability,
                          group_id: int | None) -> None:
        others = await session.scalars(select(FaqGroup).where(
            FaqGroup.institution_id == self.institution_id, FaqGroup.id != (group_id or 0)))
        for other in others:
            if other.name == name:
                raise Conflict(f"The library already has a group named {name!r}.")
            if availability == other.availability == Availability.STAFFING:
                raise Conflict(f"The library already has its 24/7 Staffing group "
                               f"({other.name!r}); there is one per library.")
