"""The report request at stats.<library>: its patrons' chats, as far as the asker may see
them (components.stats.askers)."""

from __future__ import annotations

from slixmpp import ComponentXMPP, Iq
from slixmpp.xmlstream import ET
from slixmpp.xmlstream.handler import CoroutineCallback
from slixmpp.xmlstream.matcher import MatchXPath

from components.errors import xmpp_errors
from components.stats.askers import Askers
from components.stats.wire import NS, ReportRequest, payload, read_report, report_element
from refdesk.errors import InvalidInput
from refdesk.reports.engine import ReportEngine


class LibraryReports:
    """Answers reports on the library's chats; the ad-hoc and text commands ask it too."""

    def __init__(self, askers: Askers, engine: ReportEngine) -> None:
        self.askers, self.engine = askers, engine

    async def answer(self, asker: str, request: ReportRequest) -> ET.Element:
        """The <report/> for `asker` (a bare JID): who they are is checked first."""
        scope = await self.askers.scope(asker)
        report = await self.engine.report(request.kind, request.period, scope,
                                          request.filters, await self.askers.labels())
        return report_element(request, report, scope)


class ReportRequests:
    def __init__(self, xmpp: ComponentXMPP, reports: LibraryReports) -> None:
        self.xmpp, self.reports = xmpp, reports

    def register(self) -> None:
        self.xmpp.register_handler(CoroutineCallback(
            "stats report", MatchXPath(f"{{{self.xmpp.default_ns}}}iq/{{{NS}}}report"),
            self._handle_report))  # type: ignore[arg-type]  # the matcher guarantees an Iq

    @xmpp_errors
    async def _handle_report(self, iq: Iq) -> None:
        if iq["type"] not in ("get", "set"):
            return
        asker = iq["from"].bare
        await self.reports.askers.scope(asker)  # strangers learn nothing, bad input included
        if iq["type"] == "set":
            raise InvalidInput("A report is asked for with an iq of type get.")
        request = read_report(payload(iq))
        reply = iq.reply(clear=True)
        reply.xml.append(await self.reports.answer(asker, request))
        reply.send()
