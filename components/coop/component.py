"""The coop component of a library's refdesk."""

from __future__ import annotations

from components.base import RefdeskComponent

NS = "urn:refdesk:coop:0"


class CoopComponent(RefdeskComponent):
    """The registry of the co-ops this domain hosts: members, account levels, schedule."""

    name = "coop"
    description = "co-op registry"
    features = (NS,)
