"""The staffing schedule's requests, checked against the registry's record of the requester,
then done on the host's database; no XMPP here (the handlers, the `schedule` command and the
`!schedule` text command all go through it).

From schemas/schedule.xsd: every user with access to the co-op reads the week, every member's
shifts, but the staff and back-ups of their own library's shifts only; Institution Admins
record their own library's misses and make-ups; the coordinator (Co-Op Admin) does the rest
and alone sees the gaps. A shift or miss of another library is answered as a missing one."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from components.coop import levels
from components.coop.access import CoopAccess
from components.coop.levels import Actor
from refdesk.db.models import CoopLevel
from refdesk.db.stores.registry import CoopRecord, RegistryStore
from refdesk.db.stores.schedule import (
    HolidayRecord,
    MakeUp,
    MissedRecord,
    ScheduleStore,
    Settings,
    ShiftRecord,
    Week,
)
from refdesk.errors import NotFound, NotPermitted


@dataclass(frozen=True)
class WeekView:
    """The week as one asker may see it."""

    coop: CoopRecord
    week: Week
    mine: frozenset[int]
    """The ids of the shifts the asker is on, as staff or back-up."""
    level: CoopLevel

    @property
    def nicks(self) -> dict[str, str]:
        return {user.jid: user.nick for user in self.coop.users}


class ScheduleDesk:
    def __init__(self, registry: RegistryStore, store: ScheduleStore, host: str) -> None:
        self.access, self.store = CoopAccess(registry, host), store

    async def coops_of(self, jid: str) -> list[CoopRecord]:
        return await self.access.entitled_coops_of(jid)

    async def week(self, jid: str, coop_id: str, day: date) -> WeekView:
        coop, actor = await self._actor(jid, coop_id)
        week = await self.store.week(coop.id, day)
        if actor.level != CoopLevel.COOP_ADMIN:
            own = {s.id for s in week.shifts if s.institution == actor.domain}
            week = replace(
                week, gaps=(),
                shifts=tuple(s if s.id in own else replace(s, staff=(), backup=())
                             for s in week.shifts),
                missed=tuple(m for m in week.missed if m.shift in own))
        mine = frozenset(s.id for s in week.shifts if s.id is not None and jid in s.people)
        assert actor.level is not None  # _actor refused anyone without access
        return WeekView(coop, week, mine, actor.level)

    async def set_settings(self, jid: str, coop_id: str, zone: str | None,
                           served_per_hour: int | None) -> Settings:
        await self._coordinator(jid, coop_id)
        return await self.store.set_settings(coop_id, zone, served_per_hour)

    async def set_member_hours(self, jid: str, coop_id: str, domain: str, served: int | None,
                               hours: float | None) -> None:
        await self._coordinator(jid, coop_id)
        await self.store.set_member_hours(coop_id, domain, served, hours)

    async def save_shift(self, jid: str, shift: ShiftRecord) -> ShiftRecord:
        await self._coordinator(jid, shift.coop)
        return await self.store.save_shift(shift)

    async def delete_shift(self, jid: str, coop_id: str, shift_id: int) -> None:
        await self._coordinator(jid, coop_id)
        await self.store.delete_shift(coop_id, shift_id)

    async def set_holiday(self, jid: str, coop_id: str, holiday: HolidayRecord) -> None:
        await self._coordinator(jid, coop_id)
        await self.store.set_holiday(coop_id, holiday)

    async def delete_holiday(self, jid: str, coop_id: str, day: date) -> None:
        await self._coordinator(jid, coop_id)
        await self.store.delete_holiday(coop_id, day)

    async def record_missed(self, jid: str, coop_id: str, shift_id: int, day: date,
                            reason: str) -> MissedRecord:
        actor = await self._recorder(jid, coop_id)
        shift = await self.store.shift(coop_id, shift_id)
        _check_library(actor, shift.institution, f"There is no shift {shift_id} in {coop_id}.")
        return await self.store.record_missed(coop_id, shift_id, day, reason, jid)

    async def make_up(self, jid: str, coop_id: str, missed_id: int,
                      make_up: MakeUp) -> MissedRecord:
        await self._missed(jid, coop_id, missed_id)
        return await self.store.make_up(coop_id, missed_id, make_up)

    async def delete_missed(self, jid: str, coop_id: str, missed_id: int) -> None:
        await self._missed(jid, coop_id, missed_id)
        await self.store.delete_missed(coop_id, missed_id)

    async def _missed(self, jid: str, coop_id: str, missed_id: int) -> MissedRecord:
        actor = await self._recorder(jid, coop_id)
        missed = await self.store.missed(coop_id, missed_id)
        _check_library(actor, missed.institution,
                       f"There is no missed shift {missed_id} in {coop_id}.")
        return missed

    async def _actor(self, jid: str, coop_id: str) -> tuple[CoopRecord, Actor]:
        return await self.access.entitled(jid, coop_id)

    async def _coordinator(self, jid: str, coop_id: str) -> None:
        coop, actor = await self._actor(jid, coop_id)
        if actor.level != CoopLevel.COOP_ADMIN:
            raise NotPermitted(f"Only a Co-Op Admin of {coop.name} changes its schedule.")

    async def _recorder(self, jid: str, coop_id: str) -> Actor:
        """Misses and make-ups: an Institution Admin's, for their library, or a Co-Op
        Admin's. The level is checked before anything is looked up."""
        coop, actor = await self._actor(jid, coop_id)
        if actor.level not in levels.ADMINS:
            raise NotPermitted(f"Only an Institution Admin or a Co-Op Admin of {coop.name} "
                               "records a missed shift; tell your library's Institution Admin.")
        return actor


def _check_library(actor: Actor, institution: str, missing: str) -> None:
    """Another library's shift is, to an Institution Admin, one that does not exist."""
    if actor.level != CoopLevel.COOP_ADMIN and institution != actor.domain:
        raise NotFound(missing)
