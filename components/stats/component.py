"""The stats component of a library's refdesk: reports and monitoring activity."""

from __future__ import annotations

from components.base import RefdeskComponent

NS = "urn:refdesk:stats:0"


class StatsComponent(RefdeskComponent):
    """Reports chat statistics and operators' monitoring activity."""

    name = "stats"
    description = "statistics"
    features = (NS,)
