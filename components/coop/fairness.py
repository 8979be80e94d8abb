"""Fair offering's standings: which members are below the co-op's contribution target over
the last 30 days. Reckoned from the chat summaries on a timer and whenever a Co-Op Admin
changes the fairness, kept in memory (they are figures of the moment, never stored), and
published with the co-op (coop.xsd: below-target on each member, fair-delay on the co-op)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError

from components.coop.publication import Publication
from components.failures import Failures
from refdesk.db.stores.contribution import Contribution, ContributionStore
from refdesk.db.stores.registry import CoopRecord
from refdesk.db.types import utcnow

log = logging.getLogger(__name__)

REFRESH_S = 600.0
"""Ten minutes: a member's standing over 30 days moves slowly."""
WINDOW = timedelta(days=30)


def below_target(figures: Contribution) -> frozenset[str]:
    """Members whose patrons asked something and whose librarians answered less than the
    target share of it. A member whose patrons asked nothing has no percentage and is not
    below: it takes nothing from the co-op."""
    return frozenset(domain for domain, member in figures.members.items()
                     if member.percent is not None and member.percent < figures.target)


class Standings:
    def __init__(self, store: ContributionStore, publication: Publication) -> None:
        self._store, self._publication = store, publication
        self.below: dict[str, frozenset[str]] = {}
        """Co-op id -> its members below target, as last reckoned."""
        self._failures = Failures(log)
        self._timer: asyncio.TimerHandle | None = None
        self._task: asyncio.Task[None] | None = None
        publication.standing = self.apply

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self._task is not None:
            self._task.cancel()

    def apply(self, coop: CoopRecord) -> CoopRecord:
        """`coop` with its members' standing: none below when fair offering is off."""
        if coop.fair_delay_s and coop.id not in self.below:
            self.refresh_soon()  # a co-op just turned on, or the registry just started
        below = self.below.get(coop.id, frozenset()) if coop.fair_delay_s else frozenset()
        return replace(coop, members=tuple(replace(m, below_target=m.domain in below)
                                           for m in coop.members))

    def refresh_soon(self, seconds: float = 0.0) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = asyncio.get_running_loop().call_later(seconds, self._start)

    def _start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._refresh())
        else:  # one is under way: look again once it is done
            self.refresh_soon(1.0)

    async def _refresh(self) -> None:
        try:
            for coop in list(self._publication.coops.values()):
                await self._reckon(coop)
        except SQLAlchemyError as error:
            self._failures.failed("reckoning members' contribution", error)
        else:
            self._failures.recovered("reckoning members' contribution")
        self.refresh_soon(REFRESH_S)

    async def _reckon(self, coop: CoopRecord) -> None:
        now = utcnow()
        below = below_target(await self._store.contribution(coop.id, now - WINDOW, now))
        if self.below.get(coop.id) != below:
            self.below[coop.id] = below
            self._publication.publish(coop)
