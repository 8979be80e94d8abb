"""Every component refdesk can run, by the name used in `components.enabled`."""

from __future__ import annotations

from components.archive.component import ArchiveComponent
from components.base import RefdeskComponent
from components.coop.component import CoopComponent
from components.faq.component import FaqComponent
from components.queue.component import QueueComponent
from components.stats.component import StatsComponent

COMPONENTS: dict[str, type[RefdeskComponent]] = {
    cls.name: cls
    for cls in (QueueComponent, FaqComponent, ArchiveComponent, StatsComponent, CoopComponent)
}
