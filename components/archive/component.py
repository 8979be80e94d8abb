"""The archive component of a library's refdesk."""

from __future__ import annotations

from components.base import RefdeskComponent

NS = "urn:refdesk:archive:0"


class ArchiveComponent(RefdeskComponent):
    """Keeps transcripts, ratings and follow-up tickets of the library's chats."""

    name = "archive"
    description = "transcripts"
    features = (NS,)
