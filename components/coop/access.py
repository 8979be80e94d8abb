"""Administrative requests of users, checked against their co-op account level, then done.

The level is the registry's own record of the requester; nothing the request says about
them counts. The host's sysadmin goes to RegistryStore directly (`refdesk coop`).
"""

from __future__ import annotations

from components.coop import levels
from components.coop.levels import Actor, MemberAction
from refdesk.db.models import CoopLevel
from refdesk.db.stores.registry import CoopRecord, CoopUser, RegistryStore
from refdesk.errors import NotFound, NotPermitted


class CoopAccess:
    def __init__(self, store: RegistryStore, host: str) -> None:
        self._store, self._host = store, host

    async def coops_of(self, jid: str) -> list[CoopRecord]:
        """The co-ops hosted here that `jid` has access to."""
        return [coop for coop in await self._store.hosted(self._host) if coop.user(jid)]

    async def coop(self, coop_id: str) -> CoopRecord:
        coop = await self._store.coop(coop_id)
        if coop.host != self._host:
            raise NotFound(f"There is no co-op {coop_id!r} here.")
        return coop

    async def entitled_coops_of(self, jid: str) -> list[CoopRecord]:
        """The co-ops hosted here whose access counts for `jid`: chat on at their library."""
        return [coop for coop in await self._store.hosted(self._host)
                if levels.entitled_user(coop, jid)]

    async def entitled(self, jid: str, coop_id: str) -> tuple[CoopRecord, Actor]:
        """The co-op and `jid` in it, for the co-op's reporting and schedule requests: a
        co-op that is not here and one `jid` has no access to are refused alike, so that
        asking tells an outsider nothing (schedule.xsd: anyone else is forbidden)."""
        try:
            coop: CoopRecord | None = await self.coop(coop_id)
        except NotFound:
            coop = None
        actor = Actor.entitled(coop, jid) if coop is not None else None
        if coop is None or actor is None or actor.level is None:
            raise NotPermitted(no_access(coop_id))
        return coop, actor

    async def members(self, jid: str, coop_id: str) -> CoopRecord:
        coop = await self.coop(coop_id)
        levels.check_access(coop, Actor.of(coop, jid))
        return coop

    async def users(self, jid: str, coop_id: str) -> tuple[CoopUser, ...]:
        coop = await self.coop(coop_id)
        actor = Actor.of(coop, jid)
        levels.check_access(coop, actor)
        return levels.visible_users(coop, actor)

    async def invite(self, jid: str, coop_id: str, domain: str, contributing: bool) -> None:
        await self._check_members(jid, coop_id, MemberAction.INVITE)
        await self._store.invite(coop_id, domain, contributing)

    async def set_contributing(self, jid: str, coop_id: str, domain: str,
                               contributing: bool) -> None:
        await self._check_members(jid, coop_id, MemberAction.CONTRIBUTING)
        await self._store.set_contributing(coop_id, domain, contributing)

    async def remove_member(self, jid: str, coop_id: str, domain: str) -> None:
        await self._check_members(jid, coop_id, MemberAction.REMOVE)
        await self._store.remove_member(coop_id, domain)

    async def grant(self, jid: str, coop_id: str, target: str, nick: str,
                    level: CoopLevel) -> None:
        coop = await self.coop(coop_id)
        levels.check_grant(coop, Actor.of(coop, jid), target, level)
        await self._store.grant(coop_id, target, nick, level)

    async def revoke(self, jid: str, coop_id: str, target: str) -> None:
        coop = await self.coop(coop_id)
        levels.check_revoke(coop, Actor.of(coop, jid), target)
        await self._store.revoke(coop_id, target)

    async def set_quality(self, jid: str, coop_id: str, target: str, on: bool) -> None:
        coop = await self.coop(coop_id)
        levels.check_quality(coop, Actor.of(coop, jid))
        await self._store.set_quality(coop_id, target, on)

    async def _check_members(self, jid: str, coop_id: str, action: MemberAction) -> None:
        coop = await self.coop(coop_id)
        levels.check_members(coop, Actor.of(coop, jid), action)


def no_access(coop_id: str) -> str:
    """The one refusal of a co-op's requests, whether the co-op exists or not."""
    return f"Only users given access to the co-op {coop_id!r} may see or use it."
