"""Asking for reports (urn:refdesk:stats:0) from any lab client, at stats.<library> or at a
co-op's registry; every payload sent and received is validated against schemas/stats.xsd."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import xmlschema
from slixmpp import Iq
from slixmpp.exceptions import IqError
from slixmpp.xmlstream import ET, tostring

from tests.integration.xmpp import Session

NS = "urn:refdesk:stats:0"
Kind = Literal["get", "set"]
SCHEMA = xmlschema.XMLSchema(str(Path(__file__).parents[2] / "schemas" / "stats.xsd"))


def valid(element: ET.Element) -> ET.Element:
    SCHEMA.validate(tostring(element))
    return element


def element(name: str, **attributes: str) -> ET.Element:
    return ET.Element(f"{{{NS}}}{name}", {k.replace("_", "-"): v for k, v in attributes.items()})


def today() -> str:
    return datetime.now(UTC).date().isoformat()


def report_request(kind: str, first: str | None = None, last: str | None = None,
                   **attributes: str) -> ET.Element:
    """A <report/> request; the period defaults to today (UTC)."""
    return element("report", kind=kind, **{"from": first or today(), "to": last or today()},
                   **attributes)


async def ask(session: Session, to: str, payload: ET.Element, kind: Kind = "get",
              check: bool = True) -> Iq:
    """Send one stats request to `to`; the result (IqError if refused). `check` False sends
    a payload the schema refuses, to see the component refuse it too."""
    iq = session.xmpp.make_iq(ito=to, itype=kind)
    iq.xml.append(valid(payload) if check else payload)
    reply: Iq = await iq.send(timeout=15)
    for child in reply.xml:
        if child.tag.startswith(f"{{{NS}}}"):
            valid(child)
    return reply


async def outcome(session: Session, to: str, payload: ET.Element, kind: Kind = "get",
                  check: bool = True) -> str:
    """"ok" for a result, else the error condition the request was refused with."""
    try:
        await ask(session, to, payload, kind, check)
    except IqError as error:
        return str(error.iq["error"]["condition"])
    return "ok"


async def refusal(session: Session, to: str, payload: ET.Element,
                  check: bool = True) -> tuple[str, str]:
    """(condition, text) of a refused request."""
    try:
        await ask(session, to, payload, check=check)
    except IqError as error:
        return str(error.iq["error"]["condition"]), str(error.iq["error"]["text"])
    raise AssertionError(f"{session.jid} was answered by {to}")


@dataclass(frozen=True)
class Answer:
    """A report as received."""

    scope: str
    chats: int
    tables: dict[str, dict[str, dict[str, str]]]
    """table name -> row key -> the row's attributes."""

    def keys(self, table: str) -> set[str]:
        return set(self.tables[table])


async def report(session: Session, to: str, kind: str, first: str | None = None,
                 last: str | None = None, **attributes: str) -> Answer:
    reply = await ask(session, to, report_request(kind, first, last, **attributes))
    found = reply.xml.find(f"{{{NS}}}report")
    assert found is not None, str(reply)
    tables = {table.get("name", ""): {row.get("key", ""): dict(row.attrib)
                                      for row in table.findall(f"{{{NS}}}row")}
              for table in found.findall(f"{{{NS}}}table")}
    return Answer(found.get("scope", ""), int(found.get("chats", "0")), tables)
