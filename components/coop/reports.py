"""The co-op's reports at its registry: the report request, the ad-hoc `report` command and
`!report`, over the chat summaries the co-op was offered, scoped by the asker's level
(components.coop.reportscope)."""

from __future__ import annotations

from dataclasses import replace

from slixmpp import ComponentXMPP, Iq
from slixmpp.xmlstream import ET
from slixmpp.xmlstream.handler import CoroutineCallback
from slixmpp.xmlstream.matcher import MatchXPath
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from components.coop.levels import entitled_user
from components.coop.reportscope import NO_ACCESS, coop_scope
from components.errors import xmpp_errors
from components.stats.commands import ReportCommand
from components.stats.textcommands import ReportText
from components.stats.wire import NS, ReportRequest, payload, read_report, report_element
from refdesk.db.stores.registry import CoopRecord, RegistryStore
from refdesk.errors import InvalidInput, NotFound, NotPermitted
from refdesk.reports.engine import Labels, ReportEngine
from refdesk.reports.facts import summary_facts


class CoopReports:
    def __init__(self, xmpp: ComponentXMPP, registry: RegistryStore,
                 sessions: async_sessionmaker[AsyncSession], host: str) -> None:
        self.xmpp, self.registry, self.sessions, self.host = xmpp, registry, sessions, host

    def register(self) -> None:
        self.xmpp.register_handler(CoroutineCallback(
            "coop report", MatchXPath(f"{{{self.xmpp.default_ns}}}iq/{{{NS}}}report"),
            self._handle_report))  # type: ignore[arg-type]  # the matcher guarantees an Iq
        ReportCommand(self.xmpp, self.guessing, self.check, coops=True).register()
        ReportText(self.xmpp, self.guessing, self.check, help_too=False).register()

    async def answer(self, asker: str, request: ReportRequest) -> ET.Element:
        """The <report/> for `asker` (a bare JID) on the co-op the request names."""
        if request.filters.coop is None:
            raise InvalidInput("Name the co-op (the coop attribute).")
        coop = await self._coop(request.filters.coop)
        scope = coop_scope(coop, asker)
        assert coop is not None  # coop_scope refuses a co-op that is not here
        engine = ReportEngine(self.sessions, summary_facts(coop.id))
        report = await engine.report(request.kind, request.period, scope, request.filters,
                                     labels(coop))
        return report_element(request, report, scope)

    async def guessing(self, asker: str, request: ReportRequest) -> ET.Element:
        """answer(), for commands typed by people: the co-op may go unnamed when the asker
        has access to only one co-op here."""
        if request.filters.coop is None:
            theirs = [c.id for c in await self.registry.hosted(self.host)
                      if entitled_user(c, asker)]
            if len(theirs) != 1:
                raise NotPermitted(NO_ACCESS) if not theirs else InvalidInput(
                    f"Name the co-op: one of {', '.join(sorted(theirs))}.")
            request = replace(request, filters=replace(request.filters, coop=theirs[0]))
        return await self.answer(asker, request)

    async def check(self, asker: str) -> None:
        """Refuses someone with access to no co-op hosted here."""
        if not any(entitled_user(coop, asker)
                   for coop in await self.registry.hosted(self.host)):
            raise NotPermitted(NO_ACCESS)

    async def _coop(self, coop_id: str) -> CoopRecord | None:
        try:
            coop = await self.registry.coop(coop_id)
        except NotFound:
            return None
        return coop if coop.host == self.host else None

    @xmpp_errors
    async def _handle_report(self, iq: Iq) -> None:
        if iq["type"] not in ("get", "set"):
            return
        request = payload(iq)
        asker = iq["from"].bare
        coop_scope(await self._coop(request.get("coop", "")), asker)  # strangers learn nothing
        if iq["type"] == "set":
            raise InvalidInput("A report is asked for with an iq of type get.")
        reply = iq.reply(clear=True)
        reply.xml.append(await self.answer(asker, read_report(request)))
        reply.send()


def labels(coop: CoopRecord) -> Labels:
    """Librarians' nicks and libraries' names, as the registry knows them."""
    nicks = {user.jid: user.nick for user in coop.users}
    names = {member.domain: member.name for member in coop.members}
    names.setdefault(coop.host, f"{coop.name} staff")  # the co-op's own librarians
    return lambda table, key: (nicks if table == "user" else names).get(key)


def attach(xmpp: ComponentXMPP, registry: RegistryStore,
           sessions: async_sessionmaker[AsyncSession], host: str) -> CoopReports:
    """Give the registry the co-op's reports."""
    reports = CoopReports(xmpp, registry, sessions, host)
    reports.register()
    return reports
