"""urn:refdesk:schedule:0 at the registry (schemas/schedule.xsd): the week, and every change
to the co-op's staffing schedule, each checked by components/coop/schedule_desk.py.

The requester is the bare JID their own server vouches for."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from xml.etree.ElementTree import Element

from slixmpp import ComponentXMPP, Iq
from slixmpp.xmlstream import ET
from slixmpp.xmlstream.handler import CoroutineCallback
from slixmpp.xmlstream.matcher import MatchXPath
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from components.coop import schedule_wire as wire
from components.coop.activity_requests import ActivityRequests
from components.coop.schedule_commands import ScheduleCommands
from components.coop.schedule_desk import ScheduleDesk, WeekView
from components.coop.textcommands import CoopTextCommands
from components.errors import xmpp_errors
from refdesk.db.stores.monitoring import MonitoringStore
from refdesk.db.stores.registry import RegistryStore
from refdesk.db.stores.schedule import HolidayRecord, ScheduleStore
from refdesk.errors import InvalidInput

NS = wire.NS
Answer = Callable[[str, Element], Awaitable[Element | None]]
"""(the asker's bare JID, the request) -> the result's payload, if any."""


def attach(xmpp: ComponentXMPP, registry: RegistryStore,
           sessions: async_sessionmaker[AsyncSession], host: str) -> None:
    """Give the registry the schedule's requests, its `schedule` and `!schedule` commands,
    and the monitoring activity, which sets hours monitored against hours scheduled."""
    store = ScheduleStore(sessions)
    desk = ScheduleDesk(registry, store, host)
    ScheduleRequests(xmpp, desk).register()
    text = CoopTextCommands(xmpp)
    text.register()
    ScheduleCommands(xmpp, desk).register(text)
    ActivityRequests(xmpp, desk.access, MonitoringStore(sessions), store).register()


class ScheduleRequests:
    """The schedule requests of one registry component."""

    def __init__(self, xmpp: ComponentXMPP, desk: ScheduleDesk) -> None:
        self.xmpp, self.desk = xmpp, desk
        self._answers: dict[str, tuple[str, Answer]] = {
            "schedule": ("get", self._schedule), "settings": ("set", self._settings),
            "member-hours": ("set", self._member_hours), "shift": ("set", self._shift),
            "delete-shift": ("set", self._delete_shift), "holiday": ("set", self._holiday),
            "delete-holiday": ("set", self._delete_holiday), "missed": ("set", self._missed),
            "make-up": ("set", self._make_up), "delete-missed": ("set", self._delete_missed)}

    def register(self) -> None:
        for name in self._answers:
            self.xmpp.register_handler(CoroutineCallback(
                f"schedule {name}", MatchXPath(f"{{{self.xmpp.default_ns}}}iq/{wire.q(name)}"),
                self._handle))  # type: ignore[arg-type]  # the matcher guarantees an Iq

    @xmpp_errors
    async def _handle(self, iq: Iq) -> None:
        if iq["type"] not in ("get", "set"):
            return
        request = next(child for child in iq.xml if child.tag.startswith(f"{{{NS}}}"))
        name = request.tag.split("}")[1]
        kind, answer = self._answers[name]
        if iq["type"] != kind:
            raise InvalidInput(f"<{name}/> is sent in an iq of type {kind}.")
        payload = await answer(iq["from"].bare, request)
        reply = iq.reply(clear=True)
        if payload is not None:
            reply.append(payload)
        reply.send()

    async def _schedule(self, jid: str, request: Element) -> Element:
        view = await self.desk.week(jid, wire.required(request, "coop"), wire.day(request, "week"))
        return week_element(view)

    async def _settings(self, jid: str, request: Element) -> Element:
        settings = await self.desk.set_settings(
            jid, wire.required(request, "coop"), request.get("zone"),
            wire.number(request, "served-per-hour", optional=True))
        return wire.settings_element(settings)

    async def _member_hours(self, jid: str, request: Element) -> None:
        await self.desk.set_member_hours(
            jid, wire.required(request, "coop"), wire.required(request, "institution"),
            wire.number(request, "served", optional=True), wire.hours(request))

    async def _shift(self, jid: str, request: Element) -> Element:
        shift = await self.desk.save_shift(jid, wire.read_shift(request))
        return wire.shift_element(shift, jid in shift.people)

    async def _delete_shift(self, jid: str, request: Element) -> None:
        await self.desk.delete_shift(jid, wire.required(request, "coop"),
                                     wire.identifier(request))

    async def _holiday(self, jid: str, request: Element) -> None:
        name = wire.text(request, "name")
        if not name:
            raise InvalidInput("A holiday has a name, e.g. 'New Year's Day'.")
        await self.desk.set_holiday(jid, wire.required(request, "coop"),
                                    HolidayRecord(wire.day(request), name))

    async def _delete_holiday(self, jid: str, request: Element) -> None:
        await self.desk.delete_holiday(jid, wire.required(request, "coop"), wire.day(request))

    async def _missed(self, jid: str, request: Element) -> Element:
        coop = wire.required(request, "coop")
        make_up = request.find(wire.q("make-up"))
        missed = await self.desk.record_missed(
            jid, coop, wire.identifier(request, "shift"), wire.day(request),
            wire.text(request, "reason"))
        if make_up is not None:
            missed = await self.desk.make_up(jid, coop, missed.id, wire.read_make_up(make_up))
        return wire.missed_element(coop, missed)

    async def _make_up(self, jid: str, request: Element) -> Element:
        coop = wire.required(request, "coop")
        missed = await self.desk.make_up(jid, coop, wire.identifier(request, "missed"),
                                         wire.read_make_up(request))
        return wire.missed_element(coop, missed)

    async def _delete_missed(self, jid: str, request: Element) -> None:
        await self.desk.delete_missed(jid, wire.required(request, "coop"),
                                      wire.identifier(request))


def week_element(view: WeekView) -> Element:
    """The week as schemas/schedule.xsd writes it, in its order of children."""
    week, coop = view.week, view.coop.id
    element = ET.Element(wire.q("schedule"), {"coop": coop, "week": week.monday.isoformat()})
    element.append(wire.settings_element(week.settings))
    for member in week.members:
        element.append(wire.member_element(member))
    for shift in week.shifts:
        element.append(wire.shift_element(shift, shift.id in view.mine, view.nicks))
    for holiday in week.holidays:
        element.append(wire.holiday_element(coop, holiday))
    for missed in week.missed:
        element.append(wire.missed_element(coop, missed))
    for weekday, span in week.gaps:
        element.append(wire.gap_element(weekday, span))
    return element
