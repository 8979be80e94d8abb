"""The queue component of a library's refdesk."""

from __future__ import annotations

from components.base import RefdeskComponent

NS = "urn:refdesk:queue:0"


class QueueComponent(RefdeskComponent):
    """Routes patrons' chats to operators and relays the conversation once claimed."""

    name = "queue"
    description = "chat queue"
    features = (NS,)
