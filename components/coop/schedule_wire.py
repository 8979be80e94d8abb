"""urn:refdesk:schedule:0 (schemas/schedule.xsd) read from requests and written in answers;
anything malformed is refused with a sentence saying what is expected."""

from __future__ import annotations

from datetime import date
from xml.etree.ElementTree import Element

from slixmpp.xmlstream import ET

from refdesk import scheduling
from refdesk.db.stores.schedule import (
    HolidayRecord,
    MakeUp,
    MemberHours,
    MissedRecord,
    Settings,
    ShiftRecord,
)
from refdesk.errors import InvalidInput
from refdesk.reports.period import YEARS, quoted
from refdesk.scheduling import Span

NS = "urn:refdesk:schedule:0"
MAX_TEXT = 255
MAX_DIGITS = 9
"""Ids and counts fit a 32-bit integer column on every backend."""


def q(name: str) -> str:
    return f"{{{NS}}}{name}"


def required(element: Element, name: str) -> str:
    value = element.get(name)
    if not value:
        raise InvalidInput(f"<{element.tag.split('}')[-1]}/> needs its {name!r} attribute.")
    return value


def number(element: Element, name: str, optional: bool = False) -> int | None:
    value = element.get(name)
    if value is None and optional:
        return None
    if value is None or not (value.isascii() and value.isdigit()) or len(value) > MAX_DIGITS:
        raise InvalidInput(f"{name!r} is a whole number; not {quoted(value)}.")
    return int(value)


def identifier(element: Element, name: str = "id") -> int:
    value = number(element, name)
    if not value:
        raise InvalidInput(f"{name!r} is a positive whole number.")
    return value


def day(element: Element, name: str = "date") -> date:
    """A date within the years a schedule can be about (refdesk.reports.period.YEARS)."""
    value = required(element, name)
    try:
        found = date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        found = None
    if found is None or found.year not in YEARS:
        raise InvalidInput(f"{name!r} is a date, YYYY-MM-DD, between {YEARS.start} and "
                           f"{YEARS.stop - 1}; not {quoted(value)}.")
    return found


def text(element: Element, name: str) -> str:
    value = (element.get(name) or "").strip()
    if len(value) > MAX_TEXT:
        raise InvalidInput(f"{name!r} is at most {MAX_TEXT} characters.")
    return value


def hours(element: Element) -> float | None:
    value = element.get("hours")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        raise InvalidInput("'hours' is a number of hours a week; not "
                           f"{quoted(value)}.") from None


def read_shift(element: Element) -> ShiftRecord:
    weekday = number(element, "weekday") or 0
    if not 1 <= weekday <= 7:
        raise InvalidInput("'weekday' is 1 to 7, Monday 1.")
    return ShiftRecord(
        required(element, "coop"), required(element, "institution"), weekday,
        scheduling.span(required(element, "start"), required(element, "end")),
        _people(element, "staff"), _people(element, "backup"),
        identifier(element) if element.get("id") is not None else None)


def read_make_up(element: Element) -> MakeUp:
    return MakeUp(day(element), scheduling.span(required(element, "start"),
                                               required(element, "end")))


def _people(element: Element, role: str) -> tuple[str, ...]:
    return tuple(required(person, "jid") for person in element.findall(q(role)))


def settings_element(settings: Settings) -> Element:
    return ET.Element(q("settings"), {"coop": settings.coop, "zone": settings.zone,
                                      "served-per-hour": str(settings.served_per_hour)})


def shift_element(shift: ShiftRecord, mine: bool = False,
                  nicks: dict[str, str] | None = None) -> Element:
    element = ET.Element(q("shift"), {
        "coop": shift.coop, "id": str(shift.id), "institution": shift.institution,
        "weekday": str(shift.weekday), "start": scheduling.clock(shift.span.start),
        "end": scheduling.clock(shift.span.end), "mine": "true" if mine else "false"})
    for role, people in (("staff", shift.staff), ("backup", shift.backup)):
        for jid in people:
            person = ET.SubElement(element, q(role), {"jid": jid})
            if nicks and jid in nicks:
                person.set("nick", nicks[jid][:MAX_TEXT])
    return element


def holiday_element(coop: str, holiday: HolidayRecord) -> Element:
    return ET.Element(q("holiday"), {"coop": coop, "date": holiday.day.isoformat(),
                                     "name": holiday.name})


def missed_element(coop: str, missed: MissedRecord) -> Element:
    element = ET.Element(q("missed"), {"coop": coop, "id": str(missed.id),
                                       "shift": str(missed.shift),
                                       "date": missed.day.isoformat()})
    if missed.reason:
        element.set("reason", missed.reason)
    if missed.make_up is not None:
        ET.SubElement(element, q("make-up"), {"date": missed.make_up.day.isoformat(),
                                               **_times(missed.make_up.span)})
    return element


def member_element(member: MemberHours) -> Element:
    element = ET.Element(q("member"), {
        "domain": member.domain, "name": member.name[:MAX_TEXT],
        "contributing": "true" if member.contributing else "false",
        "owed": _decimal(member.owed), "scheduled": _decimal(member.scheduled)})
    if member.served is not None:
        element.set("served", str(member.served))
    return element


def gap_element(weekday: int, span: Span) -> Element:
    return ET.Element(q("gap"), {"weekday": str(weekday), **_times(span)})


def _times(span: Span) -> dict[str, str]:
    return {"start": scheduling.clock(span.start), "end": scheduling.clock(span.end)}


def _decimal(value: float) -> str:
    return f"{min(value, 168):.2f}".rstrip("0").rstrip(".")

