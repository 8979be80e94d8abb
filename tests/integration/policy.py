"""What the policy page stories share: the policy requests of urn:refdesk:faq:0 to a
library's faq component or a co-op's registry, every payload sent and received validated
against schemas/faq.xsd."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Literal

import xmlschema
from slixmpp import Iq
from slixmpp.exceptions import IqError
from slixmpp.xmlstream import ET, tostring

from components.faq.stanzas import NS
from tests.integration.xmpp import Session

Kind = Literal["get", "set"]
SCHEMA = xmlschema.XMLSchema(str(Path(__file__).parents[2] / "schemas" / "faq.xsd"))
REGISTRY = "coop.coop.test"


def valid(element: ET.Element) -> ET.Element:
    SCHEMA.validate(tostring(element))
    return element


def element(name: str, **attributes: str) -> ET.Element:
    return ET.Element(f"{{{NS}}}{name}", {k.replace("_", "-"): v for k, v in attributes.items()})


def policy(fields: dict[str, str] | None = None) -> ET.Element:
    made = element("policy")
    for name, text in (fields or {}).items():
        ET.SubElement(made, f"{{{NS}}}field", {"name": name}).text = text
    return made


async def ask(session: Session, to: str, payload: ET.Element, kind: Kind = "get",
              invalid: bool = False) -> Iq:
    """One request; the result (IqError if refused), its payload validated. `invalid`: a
    request the schema refuses, sent as an attacker or a buggy client would."""
    iq = session.xmpp.make_iq(ito=to, itype=kind)
    if invalid:
        assert not SCHEMA.is_valid(tostring(payload))
    iq.xml.append(payload if invalid else valid(payload))
    reply: Iq = await iq.send(timeout=15)
    for child in reply.xml:
        if child.tag.startswith(f"{{{NS}}}"):
            valid(child)
    return reply


async def refused(session: Session, to: str, payload: ET.Element, kind: Kind = "get",
                  invalid: bool = False) -> str:
    """The error condition a request is refused with."""
    try:
        await ask(session, to, payload, kind, invalid)
    except IqError as error:
        return str(error.iq["error"]["condition"])
    raise AssertionError(f"{session.jid} was answered by {to}")


async def page(session: Session, domain: str) -> ET.Element:
    """The library's policy page as `session` reads it."""
    reply = await ask(session, f"faq.{domain}", policy())
    found = reply.xml.find(f"{{{NS}}}policy")
    assert found is not None
    return found


def fields(answer: ET.Element) -> dict[str, str]:
    return {f.get("name", ""): f.text or "" for f in answer.iterfind(f"{{{NS}}}field")}


def stale(answer: ET.Element) -> dict[str, int]:
    return {s.get("coop", ""): int(s.get("max-age-days", "0"))
            for s in answer.iterfind(f"{{{NS}}}stale")}


def when(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text.replace("Z", "+00:00"))


async def members(session: Session, coop: str) -> dict[str, tuple[datetime | None, bool]]:
    """The registry's policies of `coop` as its Co-Op Admin reads them: domain -> (last
    update, out of date)."""
    reply = await ask(session, REGISTRY, element("policies", coop=coop))
    found = reply.xml.find(f"{{{NS}}}policies")
    assert found is not None
    return {m.get("domain", ""): (when(m.get("updated")), m.get("stale") == "true")
            for m in found.iterfind(f"{{{NS}}}member")}
