"""The API's query strings, checked and turned into the stats.xsd and schedule.xsd requests the
components answer. The components check everything again: this only gives a web developer a
clear sentence for a typo before anything is sent."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Final
from xml.etree.ElementTree import Element

from gateway.api.problems import bad_request

STATS_NS: Final = "urn:refdesk:stats:0"
SCHEDULE_NS: Final = "urn:refdesk:schedule:0"
REPORT_KINDS: Final = ("distributions", "sources", "staff")
ACTIVITY_KINDS: Final = ("mine", "institutions")
FORMATS: Final = ("json", "csv")
PERIOD: Final = ("from", "to", "zone")
SLUG_CHARS: Final = 64
JID_CHARS: Final = 3071
FIRST_YEAR: Final = 2000
LAST_YEAR: Final = 2100
# Anything XML 1.0 cannot carry would end the librarian's own link to the server mid-request.
NOT_XML: Final = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
Query = Mapping[str, str]


def report(query: Query, coop: str | None = None) -> Element:
    """A report at stats.<library> (coop a filter) or at coop.<host> (coop from the path)."""
    allowed = (*PERIOD, "kind", "widget", "institution", "format") + (() if coop else ("coop",))
    _only(query, allowed)
    attrs = {"kind": _choice(query, "kind", REPORT_KINDS), **_period(query)}
    attrs |= _texts(query, {"coop": SLUG_CHARS, "widget": SLUG_CHARS, "institution": JID_CHARS})
    if coop:
        attrs["coop"] = coop
    return Element(f"{{{STATS_NS}}}report", attrs)


def activity(query: Query, coop: str) -> Element:
    _only(query, (*PERIOD, "kind", "format"))
    attrs = {"kind": _choice(query, "kind", ACTIVITY_KINDS), "coop": coop, **_period(query)}
    return Element(f"{{{STATS_NS}}}activity", attrs)


def contribution(query: Query, coop: str) -> Element:
    _only(query, (*PERIOD, "format"))
    return Element(f"{{{STATS_NS}}}contribution", {"coop": coop, **_period(query)})


def dashboard(query: Query) -> Element:
    _only(query, ("zone", "format"))
    return Element(f"{{{STATS_NS}}}dashboard", _texts(query, {"zone": SLUG_CHARS}))


def schedule(query: Query, coop: str, today: datetime.date) -> Element:
    """The week of `week` (any day of it; this week when absent), as its Monday."""
    _only(query, ("week", "format"))
    day = _date(query, "week") if "week" in query else today
    monday = day - datetime.timedelta(days=day.weekday())
    return Element(f"{{{SCHEDULE_NS}}}schedule", {"coop": coop, "week": monday.isoformat()})


def is_slug(value: str) -> bool:
    """Whether value could be a co-op's or a widget's id."""
    return 0 < len(value) <= SLUG_CHARS and not NOT_XML.search(value)


def output_format(query: Query) -> str:
    return _choice(query, "format", FORMATS) if "format" in query else "json"


def _only(query: Query, allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(query) - set(allowed))
    if unknown:
        raise bad_request(f"Unknown parameter {unknown[0]!r}; this request takes "
                          f"{', '.join(sorted(allowed))}.")
    for name in allowed:
        if NOT_XML.search(query.get(name, "")):
            raise bad_request(f"{name} must not contain control characters.")
    output_format(query)


def _choice(query: Query, name: str, choices: tuple[str, ...]) -> str:
    value = query.get(name)
    if value not in choices:
        raise bad_request(f"{name} must be one of {', '.join(choices)}.")
    return value


def _period(query: Query) -> dict[str, str]:
    start, end = _date(query, "from"), _date(query, "to")
    if end < start:
        raise bad_request("to must not be before from.")
    return {"from": start.isoformat(), "to": end.isoformat(),
            **_texts(query, {"zone": SLUG_CHARS})}


def _date(query: Query, name: str) -> datetime.date:
    value = query.get(name, "")
    try:
        if len(value) != 10:
            raise ValueError(value)
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise bad_request(f"{name} must be a date, YYYY-MM-DD.") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise bad_request(f"{name} must be a date from {FIRST_YEAR} to {LAST_YEAR}.")
    return day


def _texts(query: Query, limits: dict[str, int]) -> dict[str, str]:
    texts = {}
    for name, limit in limits.items():
        value = query.get(name)
        if value is None:
            continue
        if not 0 < len(value) <= limit:
            raise bad_request(f"{name} must be 1 to {limit} characters.")
        texts[name] = value
    return texts
