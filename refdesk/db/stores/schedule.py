"""A co-op's weekly staffing schedule at its registry (schemas/schedule.xsd): settings, the
hours members owe, shifts with their staff and back-ups, holidays, missed shifts and their
make-up; the week as the schedule shows it, and the hours scheduled over any period.

Who may ask for what is the caller's decision (components/coop/schedule_rules.py); this store
keeps the schedule consistent: a shift's library is a member or the host, its people have
access to the co-op and belong to that library, a miss falls on the shift's weekday."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from refdesk import scheduling
from refdesk.db.models import (
    Coop,
    CoopAccount,
    Holiday,
    Institution,
    Membership,
    MissedShift,
    Shift,
    ShiftPerson,
    ShiftRole,
    User,
)
from refdesk.errors import Conflict, InvalidInput, NotFound
from refdesk.scheduling import Span


@dataclass(frozen=True)
class Settings:
    coop: str
    zone: str
    served_per_hour: int


@dataclass(frozen=True)
class ShiftRecord:
    coop: str
    institution: str
    weekday: int
    span: Span
    staff: tuple[str, ...] = ()
    backup: tuple[str, ...] = ()
    id: int | None = None
    """None: a shift still to be created."""

    @property
    def people(self) -> frozenset[str]:
        return frozenset(self.staff + self.backup)


@dataclass(frozen=True)
class HolidayRecord:
    day: date
    name: str


@dataclass(frozen=True)
class MakeUp:
    day: date
    span: Span


@dataclass(frozen=True)
class MissedRecord:
    id: int
    shift: int
    institution: str
    day: date
    reason: str
    make_up: MakeUp | None = None


@dataclass(frozen=True)
class MemberHours:
    domain: str
    name: str
    contributing: bool
    served: int | None
    owed: float
    scheduled: float = 0.0


@dataclass(frozen=True)
class Week:
    settings: Settings
    monday: date
    members: tuple[MemberHours, ...]
    shifts: tuple[ShiftRecord, ...]
    holidays: tuple[HolidayRecord, ...]
    missed: tuple[MissedRecord, ...]
    gaps: tuple[tuple[int, Span], ...] = field(default=())


class ScheduleStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    # --- settings and hours owed ---------------------------------------------------------

    async def settings(self, coop_id: str) -> Settings:
        async with self._sessions() as session:
            coop = await _coop(session, coop_id)
            return Settings(coop.id, coop.zone, coop.served_per_hour)

    async def set_settings(self, coop_id: str, zone: str | None,
                           served_per_hour: int | None) -> Settings:
        if zone is not None:
            scheduling.zone(zone)
        if served_per_hour is not None and served_per_hour < 1:
            raise InvalidInput("served-per-hour is a whole number from 1.")
        async with self._sessions() as session, session.begin():
            coop = await _coop(session, coop_id)
            coop.zone = coop.zone if zone is None else zone
            coop.served_per_hour = served_per_hour or coop.served_per_hour
        return await self.settings(coop_id)

    async def set_member_hours(self, coop_id: str, domain: str, served: int | None,
                               hours: float | None) -> None:
        """A member's served figure (FTE or population) and its hours outright; absent hours
        put it back to the rule."""
        if hours is not None and not 0 <= hours <= 168:
            raise InvalidInput("Hours owed are between 0 and 168 a week.")
        async with self._sessions() as session, session.begin():
            membership = await session.scalar(
                select(Membership).join(Membership.institution)
                .where(Membership.coop_id == coop_id, Institution.domain == domain))
            if membership is None:
                raise NotFound(f"{domain} is not a member of {coop_id}.")
            membership.served = served if served is not None else membership.served
            membership.hours_owed = hours

    # --- shifts ----------------------------------------------------------------------------

    async def shift(self, coop_id: str, shift_id: int) -> ShiftRecord:
        async with self._sessions() as session:
            return _shift_record(await _shift(session, coop_id, shift_id),
                                 await _domains(session))

    async def save_shift(self, record: ShiftRecord) -> ShiftRecord:
        """Create the shift (no id) or replace the one with its id."""
        async with self._sessions() as session, session.begin():
            institution = await _shift_library(session, record.coop, record.institution)
            await _check_people(session, record)
            row = Shift(coop_id=record.coop) if record.id is None else \
                await _shift(session, record.coop, record.id)
            row.institution_id, row.weekday = institution.id, record.weekday
            row.start_minute, row.end_minute = record.span.start, record.span.end
            row.people = [ShiftPerson(jid=jid, role=ShiftRole.STAFF) for jid in
                          sorted(set(record.staff))] + [
                ShiftPerson(jid=jid, role=ShiftRole.BACKUP) for jid in sorted(set(record.backup))]
            session.add(row)
            await session.flush()
            shift_id = row.id
        return await self.shift(record.coop, shift_id)

    async def delete_shift(self, coop_id: str, shift_id: int) -> None:
        async with self._sessions() as session, session.begin():
            await session.delete(await _shift(session, coop_id, shift_id))

    # --- holidays --------------------------------------------------------------------------

    async def set_holiday(self, coop_id: str, holiday: HolidayRecord) -> None:
        async with self._sessions() as session, session.begin():
            await _coop(session, coop_id)
            row = await session.scalar(select(Holiday).where(
                Holiday.coop_id == coop_id, Holiday.day == holiday.day))
            if row is None:
                row = Holiday(coop_id=coop_id, day=holiday.day)
                session.add(row)
            row.name = holiday.name

    async def delete_holiday(self, coop_id: str, day: date) -> None:
        async with self._sessions() as session, session.begin():
            deleted = await session.execute(delete(Holiday).where(
                Holiday.coop_id == coop_id, Holiday.day == day))
            if not deleted.rowcount:  # type: ignore[attr-defined]  # a CursorResult
                raise NotFound(f"There is no holiday on {day.isoformat()}.")

    # --- missed shifts ---------------------------------------------------------------------

    async def missed(self, coop_id: str, missed_id: int) -> MissedRecord:
        async with self._sessions() as session:
            return _missed_record(await _missed(session, coop_id, missed_id),
                                  await _domains(session))

    async def record_missed(self, coop_id: str, shift_id: int, day: date, reason: str,
                            by: str) -> MissedRecord:
        async with self._sessions() as session, session.begin():
            shift = await _shift(session, coop_id, shift_id)
            if day.isoweekday() != shift.weekday:
                raise InvalidInput(f"That shift is on {scheduling.WEEKDAYS[shift.weekday - 1]}s;"
                                   f" {day.isoformat()} is a {day.strftime('%A')}.")
            if await session.scalar(select(MissedShift.id).where(
                    MissedShift.shift_id == shift_id, MissedShift.day == day)) is not None:
                raise Conflict(f"That shift's {day.isoformat()} is already recorded missed.")
            row = MissedShift(shift_id=shift_id, day=day, reason=reason, recorded_by=by)
            session.add(row)
            await session.flush()
            missed_id = row.id
        return await self.missed(coop_id, missed_id)

    async def make_up(self, coop_id: str, missed_id: int, make_up: MakeUp) -> MissedRecord:
        async with self._sessions() as session, session.begin():
            row = await _missed(session, coop_id, missed_id)
            row.makeup_day = make_up.day
            row.makeup_start_minute, row.makeup_end_minute = make_up.span.start, make_up.span.end
        return await self.missed(coop_id, missed_id)

    async def delete_missed(self, coop_id: str, missed_id: int) -> None:
        async with self._sessions() as session, session.begin():
            await session.delete(await _missed(session, coop_id, missed_id))

    # --- reading ---------------------------------------------------------------------------

    async def week(self, coop_id: str, day: date) -> Week:
        """The week from the Monday of `day`: every shift, the week's holidays, misses and
        make-ups, each member's hours owed and scheduled, and the gaps."""
        monday = scheduling.monday(day)
        async with self._sessions() as session:
            coop = await _coop(session, coop_id)
            settings = Settings(coop.id, coop.zone, coop.served_per_hour)
            shifts = await _shifts(session, coop_id)
            holidays = await _holidays(session, coop_id, monday, monday + timedelta(days=6))
            missed = await _misses(session, coop_id, monday, monday + timedelta(days=6))
            members = await _members(session, coop)
        period = scheduling.day_period(monday, monday + timedelta(days=6),
                                       scheduling.zone(settings.zone))
        scheduled = await self.scheduled_hours(coop_id, *period)
        return Week(settings, monday,
                    tuple(_with_scheduled(m, scheduled) for m in members), tuple(shifts),
                    tuple(holidays), tuple(missed), tuple(_gaps(shifts, holidays)))

    async def scheduled_hours(self, coop_id: str, start: datetime,
                              end: datetime) -> dict[str, float]:
        """Institution domain -> hours its shifts were scheduled in [start, end): each
        occurrence in the co-op's zone, less holidays and misses, plus make-ups."""
        async with self._sessions() as session:
            coop = await _coop(session, coop_id)
            tz = scheduling.zone(coop.zone)
            days = list(scheduling.local_days((start, end), tz))
            shifts = await _shifts(session, coop_id)
            holidays = {h.day for h in await _holidays(session, coop_id, days[0], days[-1])}
            misses = await _misses(session, coop_id, days[0] - timedelta(days=7), days[-1])
        return _scheduled(shifts, days, holidays, misses, tz, (start, end))


def _scheduled(shifts: list[ShiftRecord], days: list[date], holidays: set[date],
               misses: list[MissedRecord], tz: ZoneInfo,
               period: tuple[datetime, datetime]) -> dict[str, float]:
    hours: dict[str, float] = defaultdict(float)
    missed = {(m.shift, m.day) for m in misses}
    for day in days:
        for shift in shifts:
            if shift.weekday == day.isoweekday() and day not in holidays and \
                    (shift.id, day) not in missed:
                occurrence = scheduling.instants(day, shift.span, tz)
                hours[shift.institution] += scheduling.overlap_hours(*occurrence, period)
    for miss in misses:
        if miss.make_up is not None:
            made = scheduling.instants(miss.make_up.day, miss.make_up.span, tz)
            hours[miss.institution] += scheduling.overlap_hours(*made, period)
    return {domain: round(value, 2) for domain, value in hours.items() if value}


def _with_scheduled(member: MemberHours, scheduled: dict[str, float]) -> MemberHours:
    return MemberHours(member.domain, member.name, member.contributing, member.served,
                       member.owed, scheduled.get(member.domain, 0.0))


def _gaps(shifts: list[ShiftRecord],
          holidays: list[HolidayRecord]) -> list[tuple[int, Span]]:
    spans: dict[int, list[Span]] = defaultdict(list)
    for shift in shifts:
        spans[shift.weekday].append(shift.span)
    off = {h.day.isoweekday() for h in holidays}
    return list(scheduling.gaps(spans, (d for d in range(1, 8) if d not in off)))


async def _coop(session: AsyncSession, coop_id: str) -> Coop:
    coop = await session.get(Coop, coop_id)
    if coop is None:
        raise NotFound(f"There is no co-op {coop_id!r} here.")
    return coop


async def _shift(session: AsyncSession, coop_id: str, shift_id: int) -> Shift:
    shift = await session.scalar(
        select(Shift).options(selectinload(Shift.people))
        .where(Shift.id == shift_id, Shift.coop_id == coop_id))
    if shift is None:
        raise NotFound(f"There is no shift {shift_id} in {coop_id}.")
    return shift


async def _missed(session: AsyncSession, coop_id: str, missed_id: int) -> MissedShift:
    missed = await session.scalar(
        select(MissedShift).join(MissedShift.shift)
        .options(selectinload(MissedShift.shift))
        .where(MissedShift.id == missed_id, Shift.coop_id == coop_id))
    if missed is None:
        raise NotFound(f"There is no missed shift {missed_id} in {coop_id}.")
    return missed


async def _domains(session: AsyncSession) -> dict[int, str]:
    rows = await session.execute(select(Institution.id, Institution.domain))
    return {row.id: row.domain for row in rows}


async def _shifts(session: AsyncSession, coop_id: str) -> list[ShiftRecord]:
    domains = await _domains(session)
    rows = await session.scalars(
        select(Shift).options(selectinload(Shift.people)).where(Shift.coop_id == coop_id)
        .order_by(Shift.weekday, Shift.start_minute, Shift.id))
    return [_shift_record(row, domains) for row in rows]


async def _holidays(session: AsyncSession, coop_id: str, first: date,
                    last: date) -> list[HolidayRecord]:
    rows = await session.scalars(select(Holiday).where(
        Holiday.coop_id == coop_id, Holiday.day >= first, Holiday.day <= last)
        .order_by(Holiday.day))
    return [HolidayRecord(row.day, row.name) for row in rows]


async def _misses(session: AsyncSession, coop_id: str, first: date,
                  last: date) -> list[MissedRecord]:
    """The misses of these days, and those made up on them."""
    rows = await session.scalars(
        select(MissedShift).join(MissedShift.shift).options(selectinload(MissedShift.shift))
        .where(Shift.coop_id == coop_id,
               ((MissedShift.day >= first) & (MissedShift.day <= last))
               | ((MissedShift.makeup_day >= first) & (MissedShift.makeup_day <= last)))
        .order_by(MissedShift.day, MissedShift.id))
    domains = await _domains(session)
    return [_missed_record(row, domains) for row in rows]


async def _members(session: AsyncSession, coop: Coop) -> list[MemberHours]:
    rows = await session.execute(
        select(Membership, Institution).join(Membership.institution)
        .where(Membership.coop_id == coop.id).order_by(Institution.domain))
    return [MemberHours(i.domain, i.name, m.contributing, m.served,
                        scheduling.owed(m.served, m.hours_owed, coop.served_per_hour))
            for m, i in rows]


async def _shift_library(session: AsyncSession, coop_id: str, domain: str) -> Institution:
    """A shift's library: a member of the co-op, or its host (the co-op's own staff)."""
    coop = await _coop(session, coop_id)
    institution = await session.scalar(select(Institution).where(Institution.domain == domain))
    member = institution is not None and (domain == coop.host_domain or await session.scalar(
        select(Membership.id).where(Membership.coop_id == coop_id,
                                    Membership.institution_id == institution.id)) is not None)
    if institution is None or not member:
        raise InvalidInput(f"{domain} is not a member of {coop_id}: a shift is a member's.")
    return institution


async def _check_people(session: AsyncSession, record: ShiftRecord) -> None:
    """Everyone on a shift has access to the co-op and is of the shift's library."""
    rows = await session.scalars(
        select(User.jid).join(CoopAccount, CoopAccount.user_id == User.id)
        .join(User.institution)
        .where(CoopAccount.coop_id == record.coop, Institution.domain == record.institution,
               User.jid.in_(record.people)))
    strangers = sorted(record.people - set(rows))
    if strangers:
        raise InvalidInput(f"{', '.join(strangers)}: not a user of {record.institution} with "
                           f"access to {record.coop}; give them access first.")


def _shift_record(row: Shift, domains: dict[int, str]) -> ShiftRecord:
    people = sorted(row.people, key=lambda p: p.jid)
    return ShiftRecord(
        row.coop_id, domains.get(row.institution_id, ""), row.weekday,
        Span(row.start_minute, row.end_minute),
        tuple(p.jid for p in people if p.role == ShiftRole.STAFF),
        tuple(p.jid for p in people if p.role == ShiftRole.BACKUP), row.id)


def _missed_record(row: MissedShift, domains: dict[int, str]) -> MissedRecord:
    make_up = None
    if row.makeup_day is not None and row.makeup_start_minute is not None \
            and row.makeup_end_minute is not None:
        make_up = MakeUp(row.makeup_day, Span(row.makeup_start_minute, row.makeup_end_minute))
    return MissedRecord(row.id, row.shift_id, domains.get(row.shift.institution_id, ""),
                        row.day, row.reason, make_up)
