"""The co-op's reporting and schedule requests (issue 12) refuse a co-op that is not here and
one the asker has no access to alike, while the registry's admin commands keep their rule."""

from __future__ import annotations

from typing import cast

import pytest

from components.coop.access import CoopAccess, no_access
from components.coop.levels import Actor
from refdesk.db.models import CoopAudience, CoopKind, CoopLevel
from refdesk.db.stores.registry import CoopRecord, CoopUser, RegistryStore
from refdesk.errors import NotFound, NotPermitted

HERE = "coop.test"


def _coop(coop_id: str, host: str) -> CoopRecord:
    return CoopRecord(
        coop_id, coop_id.title(), CoopKind.GLOBAL, CoopAudience.MIXED, host,
        f"{coop_id}@conference.{host}", f"coop.{host}", members=(),
        users=(CoopUser("sam@coop.test", "Sam", "coop.test", CoopLevel.COOP_ADMIN, True),
               CoopUser("bea@beta.test", "Bea", "beta.test", CoopLevel.COOP_ADMIN, False)))


class Registry:
    """The two reads CoopAccess makes of the registry's store."""

    def __init__(self, *coops: CoopRecord) -> None:
        self._coops = {coop.id: coop for coop in coops}

    async def coop(self, coop_id: str) -> CoopRecord:
        try:
            return self._coops[coop_id]
        except KeyError:
            raise NotFound(f"There is no co-op {coop_id!r}.") from None

    async def hosted(self, host: str) -> list[CoopRecord]:
        return [coop for coop in self._coops.values() if coop.host == host]


ACCESS = CoopAccess(cast(RegistryStore, Registry(_coop("coop-247", HERE),
                                                 _coop("coop-local", "alpha.test"))), HERE)


async def test_a_user_with_access_and_chat_on_is_let_in() -> None:
    coop, actor = await ACCESS.entitled("sam@coop.test", "coop-247")
    assert (coop.id, actor) == ("coop-247", Actor("sam@coop.test", CoopLevel.COOP_ADMIN))


@pytest.mark.parametrize(("asker", "coop_id"), [
    ("gus@gamma.test", "coop-247"),  # no access
    ("bea@beta.test", "coop-247"),  # chat access switched off at her library
    ("gus@gamma.test", "coop-nowhere"),  # no such co-op
    ("sam@coop.test", "coop-local"),  # hosted elsewhere
])
async def test_everyone_else_is_refused_alike_whether_the_coop_exists_or_not(
        asker: str, coop_id: str) -> None:
    with pytest.raises(NotPermitted) as refused:
        await ACCESS.entitled(asker, coop_id)
    assert str(refused.value) == no_access(coop_id)


async def test_only_coops_whose_access_counts_are_listed_for_the_schedule() -> None:
    assert [c.id for c in await ACCESS.entitled_coops_of("sam@coop.test")] == ["coop-247"]
    assert await ACCESS.entitled_coops_of("bea@beta.test") == []


async def test_the_registrys_members_command_keeps_its_own_rule() -> None:
    assert (await ACCESS.members("bea@beta.test", "coop-247")).id == "coop-247"
    with pytest.raises(NotFound):
        await ACCESS.members("gus@gamma.test", "coop-nowhere")
