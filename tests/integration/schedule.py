"""Asking a co-op's registry about its staffing schedule (urn:refdesk:schedule:0) from any
lab client; every payload sent and received is validated against schemas/schedule.xsd."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Literal

import xmlschema
from slixmpp import JID, Iq
from slixmpp.exceptions import IqError
from slixmpp.xmlstream import ET, tostring

from tests.integration.xmpp import Session

NS = "urn:refdesk:schedule:0"
REGISTRY = "coop.coop.test"
COOP = "coop-247"
Kind = Literal["get", "set"]
SCHEMA = xmlschema.XMLSchema(str(Path(__file__).parents[2] / "schemas" / "schedule.xsd"))


def valid(element: ET.Element) -> ET.Element:
    SCHEMA.validate(tostring(element))
    return element


def element(tag: str, /, **attributes: str) -> ET.Element:
    return ET.Element(f"{{{NS}}}{tag}", {"coop": COOP, **{
        k.replace("_", "-"): v for k, v in attributes.items()}})


def monday(weeks_ahead: int = 0) -> date:
    today = datetime.now(UTC).date()
    return today - timedelta(days=today.isoweekday() - 1) + timedelta(weeks=weeks_ahead)


def shift(institution: str, weekday: int, start: str, end: str, staff: tuple[str, ...] = (),
          backup: tuple[str, ...] = (), **attributes: str) -> ET.Element:
    made = element("shift", institution=institution, weekday=str(weekday), start=start,
                   end=end, **attributes)
    for role, people in (("staff", staff), ("backup", backup)):
        for jid in people:
            ET.SubElement(made, f"{{{NS}}}{role}", {"jid": jid})
    return made


async def ask(session: Session, payload: ET.Element, kind: Kind = "set",
              check: bool = True) -> ET.Element | None:
    """Send one schedule request to the 24/7 registry; the result's payload, if any
    (IqError if refused). `check` False sends what the schema refuses, to see it refused."""
    iq = session.xmpp.make_iq(ito=JID(REGISTRY), itype=kind)
    iq.xml.append(valid(payload) if check else payload)
    reply: Iq = await iq.send(timeout=15)
    found = next((c for c in reply.xml if c.tag.startswith(f"{{{NS}}}")), None)
    return valid(found) if found is not None else None


async def outcome(session: Session, payload: ET.Element, kind: Kind = "set",
                  check: bool = True) -> str:
    """"ok" for a result, else "condition: text" of the refusal."""
    try:
        await ask(session, payload, kind, check)
    except IqError as error:
        return f"{error.iq['error']['condition']}: {error.iq['error']['text']}"
    return "ok"


@dataclass(frozen=True)
class Shift:
    id: int
    institution: str
    weekday: int
    start: str
    end: str
    mine: bool
    staff: tuple[str, ...]
    backup: tuple[str, ...]

    @property
    def hours(self) -> float:
        return (_minutes(self.end) - _minutes(self.start)) / 60


@dataclass(frozen=True)
class Week:
    """A week as received."""

    shifts: tuple[Shift, ...]
    members: dict[str, dict[str, str]]
    holidays: dict[str, str]
    """date -> name."""
    missed: tuple[dict[str, str], ...]
    """Each miss's attributes, with its make-up's as make-up-date, -start, -end."""
    gaps: tuple[tuple[int, str, str], ...]

    def shift(self, shift_id: int) -> Shift:
        return next(s for s in self.shifts if s.id == shift_id)


async def week(session: Session, day: date | None = None) -> Week:
    found = await ask(session, element("schedule", week=(day or monday()).isoformat()), "get")
    assert found is not None
    return Week(
        tuple(_shift(s) for s in found.findall(f"{{{NS}}}shift")),
        {m.get("domain", ""): dict(m.attrib) for m in found.findall(f"{{{NS}}}member")},
        {h.get("date", ""): h.get("name", "") for h in found.findall(f"{{{NS}}}holiday")},
        tuple(_missed(m) for m in found.findall(f"{{{NS}}}missed")),
        tuple((int(g.get("weekday", "0")), g.get("start", ""), g.get("end", ""))
              for g in found.findall(f"{{{NS}}}gap")))


async def add_shift(session: Session, payload: ET.Element) -> int:
    found = await ask(session, payload)
    assert found is not None and found.get("id"), found
    return int(found.get("id", "0"))


def _shift(found: ET.Element) -> Shift:
    return Shift(int(found.get("id", "0")), found.get("institution", ""),
                 int(found.get("weekday", "0")), found.get("start", ""), found.get("end", ""),
                 found.get("mine") == "true",
                 tuple(p.get("jid", "") for p in found.findall(f"{{{NS}}}staff")),
                 tuple(p.get("jid", "") for p in found.findall(f"{{{NS}}}backup")))


def _missed(found: ET.Element) -> dict[str, str]:
    seen = dict(found.attrib)
    make_up = found.find(f"{{{NS}}}make-up")
    if make_up is not None:
        seen.update({f"make-up-{k}": v for k, v in make_up.attrib.items()})
    return seen


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)
