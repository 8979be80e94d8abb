"""The registry's Contribution Percentage, dashboard and fair offering as a librarian's client
asks for them (urn:refdesk:stats:0), every answer validated against schemas/stats.xsd."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import xmlschema
from slixmpp import Iq
from slixmpp.exceptions import IqError
from slixmpp.xmlstream import ET, tostring

from components.coop import statswire
from tests.integration.xmpp import Session

NS = statswire.NS
SCHEMA = xmlschema.XMLSchema(str(Path(__file__).parents[2] / "schemas" / "stats.xsd"))
statswire.register()


def _answer(reply: Iq, name: str) -> ET.Element:
    element = reply.xml.find(f"{{{NS}}}{name}")
    assert element is not None, f"no {name} in {reply}"
    SCHEMA.validate(tostring(element))
    return element


def today() -> str:
    return datetime.now(UTC).date().isoformat()


async def contribution(session: Session, registry: str, coop: str, first: str | None = None,
                       last: str | None = None) -> ET.Element:
    """The co-op's contribution, today unless a period is named."""
    iq = session.xmpp.make_iq_get(ito=registry)
    asked = iq["refdesk_contribution"]
    asked["coop"], asked["from"], asked["to"] = coop, first or today(), last or today()
    SCHEMA.validate(tostring(asked.xml))
    return _answer(await iq.send(timeout=15), "contribution")


def rows(answer: ET.Element) -> dict[str, tuple[int, int, str | None]]:
    """Member domain -> (requested, accepted, percent)."""
    return {m.get("domain", ""): (int(m.get("requested", "")), int(m.get("accepted", "")),
                                  m.get("percent"))
            for m in answer.iterfind(f"{{{NS}}}member")}


def totals(answer: ET.Element) -> tuple[int, int]:
    return int(answer.get("requested", "")), int(answer.get("accepted", ""))


async def dashboard(session: Session, registry: str, zone: str = "UTC") -> ET.Element:
    iq = session.xmpp.make_iq_get(ito=registry)
    iq["refdesk_dashboard"]["zone"] = zone
    SCHEMA.validate(tostring(iq["refdesk_dashboard"].xml))
    return _answer(await iq.send(timeout=15), "dashboard")


async def fairness(session: Session, registry: str, coop: str, valid: bool = True,
                   **change: str) -> ET.Element:
    """Read the co-op's fair offering, or change what `change` names (enabled, delay,
    target); a request meant to be invalid is sent unchecked."""
    iq = session.xmpp.make_iq_set(ito=registry) if change else \
        session.xmpp.make_iq_get(ito=registry)
    iq["refdesk_fairness"]["coop"] = coop
    for key, value in change.items():
        iq["refdesk_fairness"][key] = value
    if valid:
        SCHEMA.validate(tostring(iq["refdesk_fairness"].xml))
    return _answer(await iq.send(timeout=15), "fairness")


async def refused(asking: object) -> tuple[str, str]:
    """The error condition and text a request was refused with."""
    try:
        await asking  # type: ignore[misc]
    except IqError as error:
        return str(error.condition), str(error.text)
    raise AssertionError("the registry answered")
