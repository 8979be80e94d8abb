"""`activity` of urn:refdesk:stats:0 at the registry (schemas/stats.xsd): a librarian's own
monitoring of a co-op by day, and the hours each member's librarians monitored against the
hours its shifts scheduled.

From the seed (LibChat, "Chat Monitoring Activity"): Co-Op Activity is the user's own time;
Institution Activity the hours covered by each institution, an Institution Admin seeing their
own library's, a Co-Op Admin every member's. A Regular has no institution figures."""

from __future__ import annotations

from xml.etree.ElementTree import Element

from slixmpp import ComponentXMPP, Iq
from slixmpp.xmlstream import ET
from slixmpp.xmlstream.handler import CoroutineCallback
from slixmpp.xmlstream.matcher import MatchXPath

from components.coop.access import CoopAccess
from components.coop.levels import Actor
from components.errors import xmpp_errors
from refdesk.db.models import CoopLevel
from refdesk.db.stores.monitoring import MonitoringStore
from refdesk.db.stores.registry import CoopRecord
from refdesk.db.stores.schedule import ScheduleStore
from refdesk.db.types import utcnow
from refdesk.errors import InvalidInput, NotPermitted
from refdesk.reports.period import Period, period

NS = "urn:refdesk:stats:0"
SCOPES = {CoopLevel.INSTITUTION_ADMIN: "institution", CoopLevel.COOP_ADMIN: "coop"}


class ActivityRequests:
    def __init__(self, xmpp: ComponentXMPP, access: CoopAccess, monitoring: MonitoringStore,
                 schedule: ScheduleStore) -> None:
        self.xmpp, self.access = xmpp, access
        self.monitoring, self.schedule = monitoring, schedule

    def register(self) -> None:
        self.xmpp.register_handler(CoroutineCallback(
            "stats activity", MatchXPath(f"{{{self.xmpp.default_ns}}}iq/{{{NS}}}activity"),
            self._handle_activity))  # type: ignore[arg-type]  # the matcher guarantees an Iq

    @xmpp_errors
    async def _handle_activity(self, iq: Iq) -> None:
        if iq["type"] == "set":
            raise InvalidInput("<activity/> is sent in an iq of type get.")
        if iq["type"] != "get":  # results and errors are no requests
            return
        request = iq.xml.find(f"{{{NS}}}activity")
        assert request is not None  # the matcher found it
        kind, coop_id = request.get("kind"), request.get("coop") or ""
        if kind not in ("mine", "institutions"):
            raise InvalidInput("An activity's kind is mine or institutions.")
        when = period(request.get("from"), request.get("to"), request.get("zone"))
        coop, actor = await self.access.entitled(iq["from"].bare, coop_id)
        answer = _answer(request, coop, when)
        if kind == "mine":
            await self._mine(answer, coop, actor, when)
        else:
            await self._institutions(answer, coop, actor, when)
        reply = iq.reply(clear=True)
        reply.append(answer)
        reply.send()

    async def _mine(self, answer: Element, coop: CoopRecord, actor: Actor,
                    when: Period) -> None:
        answer.set("scope", "mine")
        days = await self.monitoring.by_day(coop.id, actor.jid, (when.start, when.end),
                                            utcnow(), when.zone)
        table = _table(answer, "day")
        for day in days:
            ET.SubElement(table, f"{{{NS}}}row", {
                "key": day.day.isoformat(), "hours": _hours(day.hours),
                "sessions": str(day.sessions)})

    async def _institutions(self, answer: Element, coop: CoopRecord, actor: Actor,
                            when: Period) -> None:
        if actor.level not in SCOPES:
            raise NotPermitted(f"Institution activity of {coop.name} is for its Institution "
                               "Admins and Co-Op Admins; your own is under kind 'mine'.")
        answer.set("scope", SCOPES[actor.level])
        monitored = {row.institution: row for row in await self.monitoring.by_institution(
            coop.id, (when.start, when.end), utcnow())}
        scheduled = await self.schedule.scheduled_hours(coop.id, when.start, when.end)
        names = {m.domain: m.name for m in coop.members}
        if coop.host in monitored or coop.host in scheduled:
            names.setdefault(coop.host, coop.name)
        if actor.level != CoopLevel.COOP_ADMIN:
            names = {actor.domain: names.get(actor.domain, actor.domain)}
        table = _table(answer, "institution")
        for domain, name in sorted(names.items()):
            row = monitored.get(domain)
            ET.SubElement(table, f"{{{NS}}}row", {
                "key": domain, "label": name, "hours": _hours(row.hours if row else 0),
                "scheduled": _hours(scheduled.get(domain, 0)),
                "sessions": str(row.sessions if row else 0),
                "operators": str(row.operators if row else 0)})


def _answer(request: Element, coop: CoopRecord, when: Period) -> Element:
    return ET.Element(f"{{{NS}}}activity", {
        "kind": request.get("kind", ""), "coop": coop.id, "from": when.first.isoformat(),
        "to": when.last.isoformat(), "zone": str(when.zone)})


def _table(answer: Element, name: str) -> Element:
    return ET.SubElement(answer, f"{{{NS}}}table", {"name": name})


def _hours(value: float) -> str:
    return f"{value:.4f}"
