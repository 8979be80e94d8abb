"""The Contribution Percentage, the co-op dashboard and fair offering at coop.<host>
(urn:refdesk:stats:0: contribution, dashboard, fairness).

Who sees what (stats.xsd): a member's users, at any level, see their own library's row and
the co-op's totals; Co-Op Admins every row; anyone else (a user whose chat access is switched
off at their library too) is refused exactly as for a co-op that does not exist, so that
asking tells an outsider nothing. Fairness is read by any of the co-op's users and set by its
Co-Op Admins.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from slixmpp import ComponentXMPP, Iq
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from components.coop import statswire
from components.coop.fairness import Standings
from components.coop.levels import entitled_user
from components.coop.publication import Publication
from components.coop.statswire import DashboardCoop, MemberRow
from components.errors import xmpp_errors
from components.iqroutes import register_iq_routes
from refdesk.db.models import CoopLevel
from refdesk.db.stores.contribution import ContributionStore, Figures
from refdesk.db.stores.registry import CoopRecord, CoopUser
from refdesk.db.types import utcnow
from refdesk.errors import NotPermitted
from refdesk.reports.period import month_so_far, period
from refdesk.reports.period import zone as zone_named

Hosted = Callable[[], dict[str, CoopRecord]]


class ContributionRequests:
    def __init__(self, xmpp: ComponentXMPP, store: ContributionStore, hosted: Hosted,
                 standings: Standings) -> None:
        self.xmpp, self.store, self._hosted, self.standings = xmpp, store, hosted, standings

    def register(self) -> None:
        statswire.register()
        register_iq_routes(self.xmpp, {
            ("get", "refdesk_contribution"): self._handle_contribution,
            ("get", "refdesk_dashboard"): self._handle_dashboard,
            ("get", "refdesk_fairness"): self._handle_fairness,
            ("set", "refdesk_fairness"): self._handle_set_fairness,
        })

    def _user(self, coop_id: str, asker: str) -> tuple[CoopRecord, CoopUser]:
        """The co-op and the asker's account in it; the same refusal whether the co-op is
        not here or the asker has no account in it."""
        coop = self._hosted().get(coop_id)
        user = entitled_user(coop, asker) if coop is not None else None
        if coop is None or user is None:
            raise NotPermitted(f"Only users given access to the co-op {coop_id!r} may see "
                               "its figures.")
        return coop, user

    @xmpp_errors
    async def _handle_contribution(self, iq: Iq) -> None:
        asked = iq["refdesk_contribution"]
        coop, user = self._user(asked["coop"], iq["from"].bare)
        when = period(asked["from"], asked["to"], asked["zone"])
        figures = await self.store.contribution(coop.id, when.start, when.end)
        reply = iq.reply()
        answer = reply["refdesk_contribution"]
        for key in ("coop", "from", "to", "zone"):
            answer[key] = asked[key] or "UTC"
        statswire.write_figures(answer.xml, figures.total)
        for member in coop.members:
            if user.level == CoopLevel.COOP_ADMIN or member.domain == user.institution:
                statswire.write_member(answer.xml, MemberRow(
                    member.domain, member.name, member.contributing,
                    figures.members.get(member.domain, Figures()), figures.target))
        reply.send()

    @xmpp_errors
    async def _handle_dashboard(self, iq: Iq) -> None:
        asker, zone = iq["from"].bare, zone_named(iq["refdesk_dashboard"]["zone"])
        month = month_so_far(zone, utcnow())
        reply = iq.reply()
        answer = reply["refdesk_dashboard"]
        answer["zone"] = zone.key
        answer.xml.set("month", month.first.strftime("%Y-%m"))
        for coop in sorted(self._hosted().values(), key=lambda c: c.id):
            user = entitled_user(coop, asker)
            if user is not None:
                statswire.write_dashboard_coop(answer.xml, await self._summary(
                    coop, user, month.start, month.end))
        reply.send()

    async def _summary(self, coop: CoopRecord, user: CoopUser, start: datetime,
                       end: datetime) -> DashboardCoop:
        figures = await self.store.contribution(coop.id, start, end)
        answered = await self.store.answered_by(coop.id, user.jid, start, end)
        monitored = await self.store.monitored_s(coop.id, user.jid, start, end, utcnow())
        own = figures.members.get(user.institution)
        return DashboardCoop(coop.id, coop.name, user.level.value, user.institution, answered,
                             monitored / 3600, own.percent if own else None,
                             figures.total.requested, len(coop.members))

    @xmpp_errors
    async def _handle_fairness(self, iq: Iq) -> None:
        coop, _ = self._user(iq["refdesk_fairness"]["coop"], iq["from"].bare)
        await self._answer_fairness(iq, coop.id)

    @xmpp_errors
    async def _handle_set_fairness(self, iq: Iq) -> None:
        coop, user = self._user(iq["refdesk_fairness"]["coop"], iq["from"].bare)
        if user.level != CoopLevel.COOP_ADMIN:
            raise NotPermitted(f"Only a Co-Op Admin of {coop.name} changes its fair offering.")
        change = statswire.read_fairness_change(iq["refdesk_fairness"])
        await self.store.set_fairness(coop.id, change.enabled, change.delay_s, change.target)
        self.standings.refresh_soon()
        await self._answer_fairness(iq, coop.id)

    async def _answer_fairness(self, iq: Iq, coop: str) -> None:
        fairness = await self.store.fairness(coop)
        reply = iq.reply()
        statswire.write_fairness(reply["refdesk_fairness"], coop, fairness.enabled,
                                 fairness.delay_s, fairness.target)
        reply.send()


def attach(xmpp: ComponentXMPP, publication: Publication,
           sessions: async_sessionmaker[AsyncSession]) -> Standings:
    """Answer the contribution, dashboard and fairness requests, and keep members'
    standings; the standings, for the component to close."""
    store = ContributionStore(sessions)
    standings = Standings(store, publication)
    ContributionRequests(xmpp, store, lambda: publication.coops, standings).register()
    return standings
