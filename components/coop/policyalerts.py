"""Once a day the registry tells each co-op's Co-Op Admins which members' policy pages have
gone out of date since it last looked (a message from coop.<host>, readable in any client).
What it looked at last is kept in memory only: after a restart it looks back one day, so a
member may be named twice, never missed."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from slixmpp import ComponentXMPP
from sqlalchemy.exc import SQLAlchemyError

from components.coop.policies import PolicyAges
from components.failures import Failures
from refdesk.db.models import CoopLevel
from refdesk.db.stores.policystatus import CoopPolicies, MemberPolicy
from refdesk.db.types import utcnow

log = logging.getLogger(__name__)

CHECK_S = 86_400.0
FIRST_LOOK_BACK = timedelta(days=1)


def newly_out_of_date(policies: CoopPolicies, since: datetime,
                      now: datetime) -> list[MemberPolicy]:
    """The members whose page passed the co-op's age limit after `since`, up to `now`. A
    member with no page at all was never current, so it is never news."""
    limit = timedelta(days=policies.max_age_days)
    return [member for member in policies.members
            if member.updated is not None and since < member.updated + limit <= now]


def alert_text(name: str, policies: CoopPolicies, members: list[MemberPolicy]) -> str:
    head = f"Policy pages now out of date in {name} (older than {policies.max_age_days} days):"
    lines = [head]
    lines += [f"- {m.name} ({m.domain}), last updated {m.updated:%Y-%m-%d}" for m in members]
    return "\n".join(lines)


class PolicyAlerts:
    def __init__(self, xmpp: ComponentXMPP, ages: PolicyAges, host: str) -> None:
        self.xmpp, self.ages, self.host = xmpp, ages, host
        self.now: Callable[[], datetime] = utcnow
        self._since: datetime | None = None
        self._next: asyncio.TimerHandle | None = None
        self._task: asyncio.Task[None] | None = None
        self._failures = Failures(log)

    def register(self) -> None:
        self.xmpp.add_event_handler("session_start", lambda _: self.follow(0))
        self.xmpp.add_event_handler("disconnected", lambda _: self.close())

    def close(self) -> None:
        if self._next is not None:
            self._next.cancel()
        if self._task is not None:
            self._task.cancel()
        self._next = self._task = None

    def follow(self, seconds: float) -> None:
        """Look now (after `seconds`) and then every day."""
        if self._next is not None:
            self._next.cancel()
        self._next = asyncio.get_running_loop().call_later(seconds, self._start)

    def _start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._look())
        self.follow(CHECK_S)

    async def _look(self) -> None:
        now = self.now()
        since = self._since or now - FIRST_LOOK_BACK
        try:
            for coop in await self.ages.registry.hosted(self.ages.host):
                policies = await self.ages.status.policies(coop.id, now)
                news = newly_out_of_date(policies, since, now)
                admins = [u.jid for u in coop.users if u.level == CoopLevel.COOP_ADMIN]
                for admin in admins if news else []:
                    self.xmpp.make_message(mto=admin, mfrom=self.xmpp.boundjid.bare,
                                           mtype="chat",
                                           mbody=alert_text(coop.name, policies, news)).send()
        except (SQLAlchemyError, OSError) as error:
            self._failures.failed("looking for policy pages out of date", error)
            return
        self._failures.recovered("looking for policy pages out of date")
        self._since = now
