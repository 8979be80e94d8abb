"""The week of a co-op's schedule as text, for the `schedule` ad-hoc command and the
`!schedule` text command: the asker's own shifts first (what a Regular is told about),
then every shift, holidays, misses, hours owed and, for the coordinator, the gaps."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from components.coop.schedule_desk import WeekView
from refdesk import scheduling
from refdesk.db.models import CoopLevel
from refdesk.db.stores.schedule import MissedRecord, ShiftRecord
from refdesk.db.types import utcnow
from refdesk.errors import InvalidInput
from refdesk.scheduling import WEEKDAYS, Span, clock

USAGE = "!schedule [week]: the co-op's staffing schedule (week: next, last or a date)"


def week_of(word: str, zone: str, now: datetime | None = None) -> date:
    """The day a librarian means: this week, `next`, `last`, or a date."""
    today = (now or utcnow()).astimezone(scheduling.zone(zone)).date()
    shifts = {"": 0, "this": 0, "next": 7, "last": -7, "previous": -7}
    word = word.strip().lower()
    if word in shifts:
        return today + timedelta(days=shifts[word])
    try:
        return date.fromisoformat(word)
    except ValueError:
        raise InvalidInput(f"A week is `next`, `last` or a date (YYYY-MM-DD); not {word!r}.\n"
                           f"{USAGE}") from None


def week_text(view: WeekView) -> str:
    week = view.week
    head = f"{view.coop.name}, week of {week.monday.isoformat()} (times in {week.settings.zone})"
    lines = [head]
    mine = [s for s in week.shifts if s.id in view.mine]
    lines += ["Your shifts:"] + [f"  {_when(s)}" for s in mine] if mine else \
        ["You have no shift this week."]
    lines += ["Shifts:"] + [f"  {_shift_line(s, view)}" for s in week.shifts] if \
        week.shifts else ["No shifts yet."]
    lines += [f"Holiday: {WEEKDAYS[h.day.isoweekday() - 1]} {h.day.isoformat()}, {h.name}"
              for h in week.holidays]
    lines += [_missed_line(missed) for missed in week.missed]
    lines += [f"Hours: {m.name} owes {m.owed:g}, scheduled {m.scheduled:g}"
              for m in week.members if m.owed or m.scheduled]
    if view.level == CoopLevel.COOP_ADMIN:
        lines += [f"Gap: {WEEKDAYS[day - 1]} {_span(span)}" for day, span in week.gaps] or \
            ["No gaps: every hour is covered."]
    return "\n".join(lines)


def _when(shift: ShiftRecord) -> str:
    return f"{WEEKDAYS[shift.weekday - 1]} {_span(shift.span)} ({shift.institution})"


def _shift_line(shift: ShiftRecord, view: WeekView) -> str:
    nicks = view.nicks
    staff = ", ".join(nicks.get(jid, jid) for jid in shift.staff)
    backup = ", ".join(nicks.get(jid, jid) for jid in shift.backup)
    people = (f": {staff}" if staff else "") + (f"; back-up {backup}" if backup else "")
    mark = " (yours)" if shift.id in view.mine else ""
    return f"#{shift.id} {_when(shift)}{people}{mark}"


def _missed_line(missed: MissedRecord) -> str:
    line = f"Missed: shift #{missed.shift} on {missed.day.isoformat()}"
    line += f" ({missed.reason})" if missed.reason else ""
    if missed.make_up is not None:
        line += f", made up {missed.make_up.day.isoformat()} {_span(missed.make_up.span)}"
    return line


def _span(span: Span) -> str:
    return f"{clock(span.start)}-{clock(span.end)}"
