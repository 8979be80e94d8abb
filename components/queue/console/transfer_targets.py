"""Where a claimed chat can be handed on to right now (schemas/console.xsd, transfer-targets):
what components.queue.transfer would accept, online at this moment, less the claimant."""

from __future__ import annotations

from slixmpp import JID
from slixmpp.xmlstream import ET

from components.queue.console.stanzas import child, element
from components.queue.desk import Desk
from components.queue.transfer import Destination, online_destinations


def targets_element(desk: Desk, claimant: str) -> ET.Element:
    made = element("transfer-targets")
    for destination in online_destinations(desk, claimant):
        child(made, "target", _target(desk, destination))
    return made


def _target(desk: Desk, destination: Destination) -> dict[str, str | None]:
    """The target's kind, what `transfer` takes as `to`, and how to show it."""
    directory = desk.directory
    target = destination.target
    if target.kind == "operator":
        domain = JID(target.ref).domain
        institution = None if domain == directory.domain else directory.institution_name(domain)
        return {"kind": "operator", "to": target.ref, "label": desk.entitlement.nick(target.ref),
                "institution": institution}
    if target.is_coop:
        coop = directory.coops[target.ref]
        return {"kind": "coop", "to": coop.name, "label": coop.name}
    name = directory.departments[target.ref]
    return {"kind": "department", "to": name, "label": name}
