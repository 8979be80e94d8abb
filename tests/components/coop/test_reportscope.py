"""Whose chats each co-op account level sees in the co-op's reports, as a table."""

from __future__ import annotations

import pytest

from components.coop.reportscope import coop_scope
from refdesk.db.models import CoopAudience, CoopKind, CoopLevel
from refdesk.db.stores.registry import CoopRecord, CoopUser
from refdesk.errors import NotPermitted
from refdesk.reports.facts import Scope

COOP = CoopRecord(
    "coop-247", "24/7 Reference", CoopKind.GLOBAL, CoopAudience.MIXED, "coop.test",
    "coop-247@conference.coop.test", "coop.coop.test", members=(),
    users=(CoopUser("ann@alpha.test", "Ann", "alpha.test", CoopLevel.INSTITUTION_ADMIN, True),
           CoopUser("bea@beta.test", "Bea", "beta.test", CoopLevel.REGULAR, True),
           CoopUser("sam@coop.test", "Sam", "coop.test", CoopLevel.COOP_ADMIN, True),
           # Chat access switched off at their own library, at each level.
           CoopUser("bo@beta.test", "Bo", "beta.test", CoopLevel.REGULAR, False),
           CoopUser("al@alpha.test", "Al", "alpha.test", CoopLevel.INSTITUTION_ADMIN, False),
           CoopUser("sid@coop.test", "Sid", "coop.test", CoopLevel.COOP_ADMIN, False)))


@pytest.mark.parametrize(("asker", "scope"), [
    ("bea@beta.test", Scope("mine", answered_by="bea@beta.test")),
    ("ann@alpha.test", Scope("institution", institution="alpha.test")),
    ("sam@coop.test", Scope("coop")),
])
def test_each_level_sees_its_own_share_of_the_coop(asker: str, scope: Scope) -> None:
    assert coop_scope(COOP, asker) == scope


@pytest.mark.parametrize("asker", ["gus@gamma.test", "x@guest.alpha.test", "coop.test",
                                   "bo@beta.test", "al@alpha.test", "sid@coop.test"])
def test_anyone_without_access_is_refused_as_for_a_coop_not_hosted_here(asker: str) -> None:
    with pytest.raises(NotPermitted) as here:
        coop_scope(COOP, asker)
    with pytest.raises(NotPermitted) as absent:
        coop_scope(None, asker)
    assert str(here.value) == str(absent.value)
