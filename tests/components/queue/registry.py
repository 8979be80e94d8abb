"""The co-ops of the sample federation as their registries publish them, for the fake server."""

from __future__ import annotations

from refdesk.db.models import CoopAudience, CoopKind, CoopLevel, InstitutionKind
from refdesk.db.stores.registry import CoopMember, CoopRecord, CoopUser
from refdesk.lab.sample import Federation, sample_federation


def published(federation: Federation | None = None) -> dict[str, CoopRecord]:
    """Co-op id -> the co-op, every user given access with chat access on."""
    federation = federation or sample_federation()
    coops = {}
    for coop in federation.coops:
        members = tuple(
            CoopMember(domain, federation.site(domain).name,
                       InstitutionKind(federation.site(domain).kind), contributing)
            for domain, contributing in coop.members)
        users = tuple(sorted((
            CoopUser(site.jid(operator), operator.name.split()[0], site.domain,
                     CoopLevel(operator.coops[coop.id]), True)
            for site in federation.sites for operator in site.operators
            if coop.id in operator.coops), key=lambda user: user.jid))
        coops[coop.id] = CoopRecord(coop.id, coop.name, CoopKind(coop.kind),
                                    CoopAudience.MIXED, coop.host, coop.room, coop.component,
                                    members, users)
    return coops
