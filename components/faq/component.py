"""The faq component of a library's refdesk: FAQ groups, the policy page and scripts."""

from __future__ import annotations

from components.base import RefdeskComponent

NS = "urn:refdesk:faq:0"


class FaqComponent(RefdeskComponent):
    """Answers FAQ searches and serves the co-op policy page and scripts."""

    name = "faq"
    description = "FAQ and policies"
    features = (NS,)
