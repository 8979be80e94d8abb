"""The stats component of a library's refdesk: reports and monitoring activity."""

from __future__ import annotations

from components.coopfollowing import CoopFollowingComponent
from components.stats.askers import Askers
from components.stats.commands import ReportCommand
from components.stats.requests import LibraryReports, ReportRequests
from components.stats.textcommands import ReportText
from refdesk.db import create_engine, create_sessionmaker
from refdesk.reports.engine import ReportEngine
from refdesk.reports.facts import chat_facts

NS = "urn:refdesk:stats:0"


class StatsComponent(CoopFollowingComponent):
    """Reports chat statistics and operators' monitoring activity."""

    name = "stats"
    description = "statistics"
    features = (NS,)
    plugins = ("xep_0004",)
    serves = "the statistics"

    def register_handlers(self) -> None:
        self.engine = create_engine(self.settings.database.url)
        self.sessions = create_sessionmaker(self.engine)
        self.askers = Askers()
        self.follow_coops(self.sessions, self.askers)
        self._register_requests()

    def _register_requests(self) -> None:
        """One line per module that answers a part of urn:refdesk:stats:0."""
        domain = self.settings.library.domain
        reports = LibraryReports(self.askers, ReportEngine(self.sessions, chat_facts(domain)))
        ReportRequests(self, reports).register()
        ReportCommand(self, reports.answer, self.askers.scope, coops=False).register()
        ReportText(self, reports.answer, self.askers.scope, help_too=True).register()
