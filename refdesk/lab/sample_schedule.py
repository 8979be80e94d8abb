"""The lab's sample staffing schedule of the 24/7 co-op, at its host: weekday shifts covered
by Alpha's and Beta's librarians with back-ups, hours owed by the rule and outright, a
holiday next week, a shift of Beta's missed last week and made up two days later, and the
nights and weekends left open, which the coordinator sees as gaps."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from refdesk.db.models import Coop, Holiday, Institution, MissedShift, Shift, ShiftPerson
from refdesk.db.models import ShiftRole as Role
from refdesk.db.types import utcnow

COOP = "coop-247"
SHIFTS = (
    # (library, weekdays, start, end in minutes, staff, back-up)
    ("alpha.test", (1, 2, 3, 4, 5), 9 * 60, 13 * 60, "abe@alpha.test", "ann@alpha.test"),
    ("beta.test", (1, 2, 3, 4, 5), 13 * 60, 17 * 60, "ben@beta.test", "bea@beta.test"),
    ("beta.test", (6,), 10 * 60, 14 * 60, "bea@beta.test", None),
)


def add_sample_schedule(session: AsyncSession, coops: dict[str, Coop],
                        institutions: dict[str, Institution]) -> None:
    """The sample schedule, where the 24/7 co-op is hosted (institutions already flushed)."""
    coop = coops.get(COOP)
    if coop is None:
        return
    coop.served_per_hour = 5000
    for membership in coop.memberships:
        membership.served = {"alpha.test": 18000, "beta.test": 42000}.get(
            membership.institution.domain)
        if membership.institution.domain == "gamma.test":
            membership.hours_owed = 0.0  # it sends chats and staffs nothing
    shifts = [_shift(institutions[library], day, start, end, staff, backup)
              for library, days, start, end, staff, backup in SHIFTS for day in days]
    session.add_all(shifts)
    monday = date.fromisoformat(f"{utcnow():%Y-%m-%d}")
    monday -= timedelta(days=monday.isoweekday() - 1)
    session.add(Holiday(coop_id=COOP, day=monday + timedelta(days=9), name="Founders' Day"))
    missed = shifts[5]  # Beta's Monday afternoon
    session.add(MissedShift(
        shift=missed, day=monday - timedelta(days=7), reason="Branch closed by a storm",
        recorded_by="bea@beta.test", makeup_day=monday - timedelta(days=4),
        makeup_start_minute=17 * 60, makeup_end_minute=21 * 60))


def _shift(library: Institution, weekday: int, start: int, end: int, staff: str,
           backup: str | None) -> Shift:
    people = [ShiftPerson(jid=staff, role=Role.STAFF)]
    if backup is not None:
        people.append(ShiftPerson(jid=backup, role=Role.BACKUP))
    return Shift(coop_id=COOP, institution_id=library.id, weekday=weekday,
                 start_minute=start, end_minute=end, people=people)
