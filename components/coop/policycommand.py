"""The `policies` ad-hoc command at coop.<host>, for Co-Op Admins in stock clients (Gajim,
poezio): each co-op they administer with every member's last policy page update, those out
of date marked, and a field per co-op to change its age limit."""

from __future__ import annotations

from typing import Any

from slixmpp import ComponentXMPP, Iq
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from components.adhoc_sessions import offer_command
from components.coop.policies import PolicyAges, PolicyRequests, days
from components.coop.policyalerts import PolicyAlerts
from components.errors import command_errors
from components.forms import COLUMN, add_text
from refdesk.db.stores.policystatus import CoopPolicies
from refdesk.errors import NotFound

Session = dict[str, Any]


def policies_text(name: str, policies: CoopPolicies) -> str:
    """Each member on a line of its own, its date and flag on the next, so that a form
    narrower than a line (poezio's) cuts nothing in the middle of one."""
    lines = [f"{name}: pages older than {policies.max_age_days} days are out of date."]
    for member in policies.members:
        when = "no page reported" if member.updated is None else (
            f"updated {member.updated:%Y-%m-%d}")
        flag = ", OUT OF DATE" if member.stale else ""
        lines += [f"  {member.name} ({member.domain}):", f"    {when}{flag}"]
    return "\n".join(lines)


def limit_label(coop_name: str) -> str:
    """The age limit's label, short enough for poezio's label column (half of 80)."""
    label = f"{coop_name} (days)"
    return label if len(label) <= COLUMN else f"{coop_name[:COLUMN - 8]}… (days)"


def attach(xmpp: ComponentXMPP, sessions: async_sessionmaker[AsyncSession],
           host: str) -> PolicyAlerts:
    """Give the registry the policy requests, the `policies` command and the daily alerts
    (returned, to be closed with the registry)."""
    ages = PolicyAges(sessions, host)
    PolicyRequests(xmpp, ages).register()
    PolicyCommand(xmpp, ages).register()
    alerts = PolicyAlerts(xmpp, ages, host)
    alerts.register()
    return alerts


class PolicyCommand:
    def __init__(self, xmpp: ComponentXMPP, ages: PolicyAges) -> None:
        self.xmpp, self.ages = xmpp, ages
        self._forms = xmpp.plugin["xep_0004"]

    def register(self) -> None:
        offer_command(self.xmpp, "policies", "Members' policy pages", self.command_policies)

    async def command_policies(self, iq: Iq, session: Session) -> Session:
        with command_errors("policies command"):
            coops = await self.ages.administered(iq["from"].bare)
            if not coops:
                raise NotFound("You are Co-Op Admin of no co-op here.")
            listed = [(coop, await self.ages.status.policies(coop.id)) for coop in coops]
        form = self._forms.make_form("form", "Members' policy pages")
        add_text(form, "\n".join(policies_text(coop.name, policies)
                                 for coop, policies in listed))
        for coop, policies in listed:
            form.add_field(var=f"max-age-days:{coop.id}", ftype="text-single",
                           label=limit_label(coop.name),
                           desc=f"Age limit of {coop.name}: pages older than this many days "
                                "are out of date.",
                           value=str(policies.max_age_days))
        session.update(payload=form, next=self._changed, has_next=False,
                       allow_complete=True, by=iq["from"].bare)
        return session

    async def _changed(self, form: Any, session: Session) -> Session:
        values = form.get_values()
        with command_errors("policies command"):
            for var, value in values.items():
                if var.startswith("max-age-days:") and value:
                    coop = await self.ages.admin(session["by"], var.partition(":")[2])
                    await self.ages.status.set_max_age(coop.id, days(str(value)))
        session.update(payload=None, next=None, has_next=False,
                       notes=[("info", "Age limits saved.")])
        return session
