"""The Quality team's requests, checked against the registry's record of the requester
(components/coop/quality_rules.py), then done on the host's database. No XMPP here: the
handlers (components/coop/quality.py) and the `quality` command both go through it."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from datetime import datetime

from components.coop import quality_rules as rules
from components.coop.access import CoopAccess
from components.coop.quality_wire import Forward
from refdesk.db.models import CaseState
from refdesk.db.stores.activity import Summary
from refdesk.db.stores.quality import Case, QualityStore, Rotation
from refdesk.db.stores.registry import CoopRecord, RegistryStore
from refdesk.db.types import utcnow

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


class QualityDesk:
    """The co-op's Quality team's work at its registry, for the co-ops hosted here."""

    def __init__(self, registry: RegistryStore, store: QualityStore, host: str,
                 clock: Clock = utcnow, seed: int | None = None) -> None:
        self.access, self.store, self._host = CoopAccess(registry, host), store, host
        self._registry, self._clock = registry, clock
        self._rng = random.Random(seed)

    async def forward(self, jid: str, forward: Forward) -> Case:
        """Put a session of the co-op before the team, with the librarian and institution
        that the co-op's summary of the chat names."""
        coop = await self.access.coop(forward.coop)
        rules.check_forward(coop, jid, forward.library)
        summary = await self.store.summary(coop.id, forward.library, forward.chat)
        if summary is None:
            raise rules.no_such_chat(coop, forward.library)
        return await self.store.forward(summary, forward.concern, jid, self._clock())

    async def cases(self, jid: str, coop_id: str | None, state: CaseState | None) -> list[Case]:
        """The cases `jid` may see, of one co-op or of every co-op hosted here."""
        coops = [await self.access.coop(coop_id)] if coop_id else \
            await self._registry.hosted(self._host)
        found: list[Case] = []
        for coop in coops:
            found += rules.visible_cases(coop, jid, await self.store.cases(coop.id, state))
        return found

    async def reviewable(self, jid: str) -> list[Case]:
        """The open cases of the co-ops hosted here whose Quality team `jid` is on."""
        found: list[Case] = []
        for coop in await self._registry.hosted(self._host):
            if rules.on_team(coop, jid):
                found += await self.store.cases(coop.id, CaseState.OPEN)
        return found

    async def review(self, jid: str, case_id: int, comments: str) -> Case:
        coop, case = await self._case(case_id)
        rules.check_review(coop, jid, case)
        return await self.store.review(case_id, jid, comments, self._clock())

    async def rotation(self, jid: str, coop_id: str) -> Rotation:
        coop = await self.access.coop(coop_id)
        rules.check_rotation(coop, jid, change=False)
        return await self.store.rotation(coop.id)

    async def set_rotation(self, jid: str, rotation: Rotation) -> Rotation:
        coop = await self.access.coop(rotation.coop)
        rules.check_rotation(coop, jid, change=True)
        return await self.store.set_rotation(rotation)

    async def draw(self, jid: str, coop_id: str) -> list[Case]:
        coop = await self.access.coop(coop_id)
        rules.check_rotation(coop, jid, change=False)
        return await self.store.draw(coop.id, self._clock(), self._sample)

    async def draw_due(self) -> list[Case]:
        """Draw for every co-op hosted here whose period has passed since its last draw."""
        drawn: list[Case] = []
        now = self._clock()
        for coop in await self._registry.hosted(self._host):
            if (await self.store.rotation(coop.id)).due(now):
                cases = await self.store.draw(coop.id, now, self._sample)
                log.info("drew %d sessions of %s for review", len(cases), coop.id)
                drawn += cases
        return drawn

    def _sample(self, rotation: Rotation, pool: list[Summary],
                drawn: set[tuple[str, str]]) -> list[Summary]:
        return rules.draw(rotation, pool, drawn, self._rng)

    async def _case(self, case_id: int) -> tuple[CoopRecord, Case]:
        """The case and its co-op, if the co-op is hosted here."""
        case = await self.store.case(case_id)
        coops = {coop.id: coop for coop in await self._registry.hosted(self._host)}
        if case.coop not in coops:
            raise rules.no_such_case(case_id)
        return coops[case.coop], case
