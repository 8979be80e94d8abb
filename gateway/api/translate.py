"""The components' stats.xsd and schedule.xsd answers as JSON, and a JSON answer's rows as CSV.

The translation follows the schemas: attributes become members (hyphens as underscores),
counts and decimals numbers, booleans booleans; a report's or activity's tables become
`tables: {name: [rows]}`, repeated children a list under their plural name."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final
from xml.etree.ElementTree import Element

Json = dict[str, Any]

NUMBERS: Final = frozenset({
    "chats", "answered", "wait", "duration", "ratings", "rating", "hours", "scheduled",
    "sessions", "operators", "requested", "accepted", "percent", "target", "members",
    "coop-chats", "delay", "served", "served-per-hour", "owed", "id", "shift", "missed",
    "weekday",
})
BOOLEANS: Final = frozenset({"contributing", "mine", "enabled"})
PLURALS: Final = {"member": "members", "coop": "coops", "shift": "shifts", "staff": "staff",
                  "backup": "backups", "holiday": "holidays", "missed": "missed",
                  "gap": "gaps", "row": "rows"}
SINGLES: Final = frozenset({"settings", "make-up"})
# Members in the schemas' order, whatever order the component wrote its attributes in.
ORDER: Final = {name: n for n, name in enumerate((
    "kind", "coop", "id", "week", "domain", "name", "jid", "nick", "institution", "level",
    "contributing", "from", "to", "zone", "month", "scope", "key", "label", "weekday", "date",
    "start", "end", "shift", "reason", "mine", "chats", "answered", "wait", "duration",
    "ratings", "rating", "hours", "scheduled", "sessions", "operators", "requested", "accepted",
    "percent", "target", "served", "served-per-hour", "owed", "coop-chats", "members"))}
INTEGER: Final = re.compile(r"-?[0-9]+")
DECIMAL: Final = re.compile(r"-?[0-9]*\.[0-9]+")
# What a spreadsheet would run as a formula (OWASP's CSV injection list).
FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r", "\n")


def to_json(element: Element) -> Json:
    """One answer (report, activity, contribution, dashboard, schedule) as JSON."""
    document = _attributes(element)
    for child in element:
        name = _local(child.tag)
        if name == "table":
            document.setdefault("tables", {})[child.get("name", "")] = [
                _attributes(row) for row in child]
        elif name in SINGLES:
            document[_member(name)] = to_json(child)
        else:
            document.setdefault(PLURALS.get(name, name), []).append(to_json(child))
    return document


def _attributes(element: Element) -> Json:
    names = sorted(element.attrib, key=lambda name: ORDER.get(name, len(ORDER)))
    return {_member(name): _value(name, element.attrib[name]) for name in names}


def _value(name: str, text: str) -> Any:
    if name in BOOLEANS:
        return text in ("true", "1")
    # A row's key stays text even where it looks like a number (weekday "1", hour "09"), and
    # so does a co-op's id.
    if name in NUMBERS and INTEGER.fullmatch(text):
        return int(text)
    if name in NUMBERS and DECIMAL.fullmatch(text):
        return float(text)
    return text


def _member(name: str) -> str:
    return name.replace("-", "_")


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def csv_rows(document: Json, collection: str) -> list[Json]:
    """The rows a CSV holds: every table's rows (with the table's name) for `tables`, or the
    list `collection` (members, coops, shifts) with nested lists joined."""
    if collection == "tables":
        tables: Mapping[str, list[Json]] = document.get("tables", {})
        return [{"table": name, **row} for name, rows in tables.items() for row in rows]
    return [_flat(item) for item in document.get(collection, [])]


def _flat(item: Json) -> Json:
    flat: Json = {}
    for name, value in item.items():
        if isinstance(value, list):
            flat[name] = " ".join(str(person.get("jid", "")) for person in value)
        elif isinstance(value, dict):
            flat.update({f"{name}_{key}": inner for key, inner in value.items()})
        else:
            flat[name] = value
    return flat


def to_csv(rows: Sequence[Json], columns: Sequence[str]) -> str:
    """RFC 4180 CSV with a header row; a text cell a spreadsheet would take for a formula is
    quoted with a leading apostrophe. Columns missing from a row are left empty."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([_cell(row.get(column)) for column in columns] for row in rows)
    return out.getvalue()


def columns_of(rows: Iterable[Json], first: Sequence[str]) -> list[str]:
    """`first`, then any other member the rows have, in the order they appear."""
    columns = list(first)
    for row in rows:
        columns.extend(name for name in row if name not in columns)
    return columns


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text
