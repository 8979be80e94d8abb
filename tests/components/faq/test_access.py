"""Who reads which of alpha's FAQ groups: every kind of asker against every availability,
as a table (schemas/faq.xsd's header, the seed's "Preparing your 24/7 Staffing FAQ group")."""

from __future__ import annotations

import pytest

from components.faq.access import SEARCHABLE, Standing, listable, require, standing
from refdesk.db.models import Availability, CoopAudience, CoopKind, CoopLevel, InstitutionKind
from refdesk.db.stores.directory import Directory, OperatorInfo
from refdesk.db.stores.registry import CoopMember, CoopRecord, CoopUser
from refdesk.errors import NotPermitted

A = Availability
HOME = "alpha.test"
COOP = CoopRecord(
    "coop-247", "24/7", CoopKind.GLOBAL, CoopAudience.MIXED, "coop.test",
    "coop-247@conference.coop.test", "coop.coop.test",
    (CoopMember(HOME, "Alpha", InstitutionKind.ACADEMIC, True),
     CoopMember("beta.test", "Beta", InstitutionKind.PUBLIC, True),
     CoopMember("gamma.test", "Gamma", InstitutionKind.PUBLIC, False)),
    (CoopUser("ben@beta.test", "Ben", "beta.test", CoopLevel.REGULAR, True),
     # Gamma does not staff the co-op: its librarians answer only their own patrons.
     CoopUser("gil@gamma.test", "Gil", "gamma.test", CoopLevel.INSTITUTION_ADMIN, True),
     CoopUser("bo@beta.test", "Bo", "beta.test", CoopLevel.REGULAR, False),
     CoopUser("sue@coop.test", "Sue", "coop.test", CoopLevel.REGULAR, True),
     # A registry naming a guest address must not lift a patron above ANYONE.
     CoopUser("p1@guest.alpha.test", "P", "alpha.test", CoopLevel.COOP_ADMIN, True)))
ALPHA = Directory(
    HOME, "Alpha", 1, {}, {}, {}, {},
    {"ann@alpha.test": OperatorInfo("ann@alpha.test", "Ann", "Ann", True, local_admin=True),
     "abe@alpha.test": OperatorInfo("abe@alpha.test", "Abe", "Abe", True),
     "ada@alpha.test": OperatorInfo("ada@alpha.test", "Ada", "Ada", False)},
    {})

# asker: (standing, what a search looks in)
TABLE = {
    "p1@guest.alpha.test": (Standing.ANYONE, {A.PUBLIC}),
    "eve@elsewhere.test": (Standing.ANYONE, {A.PUBLIC}),
    "bo@beta.test": (Standing.ANYONE, {A.PUBLIC}),
    "gil@gamma.test": (Standing.ANYONE, {A.PUBLIC}),
    "ada@alpha.test": (Standing.ANYONE, {A.PUBLIC}),
    "ben@beta.test": (Standing.COOP_STAFF, {A.PUBLIC, A.STAFFING}),
    "sue@coop.test": (Standing.COOP_STAFF, {A.PUBLIC, A.STAFFING}),
    "abe@alpha.test": (Standing.OPERATOR, {A.PUBLIC, A.STAFFING, A.INTERNAL}),
    "ann@alpha.test": (Standing.LOCAL_ADMIN, {A.PUBLIC, A.STAFFING, A.INTERNAL,
                                              A.RESTRICTED_INTERNAL}),
}


@pytest.mark.parametrize(("asker", "expected"), TABLE.items())
def test_each_asker_searches_only_the_groups_of_their_standing(
        asker: str, expected: tuple[Standing, set[Availability]]) -> None:
    found = standing(ALPHA, {"coop-247": COOP}, asker)

    assert (found, set(SEARCHABLE[found])) == expected


def test_hidden_groups_are_searched_by_no_one_and_listed_to_local_admins_only() -> None:
    assert all(A.HIDDEN not in searched for searched in SEARCHABLE.values())
    assert [s for s in Standing if A.HIDDEN in listable(s)] == [Standing.LOCAL_ADMIN]
    assert listable(Standing.LOCAL_ADMIN) == frozenset(Availability)


def test_staffing_never_reaches_anyone_but_staff() -> None:
    assert A.STAFFING not in listable(Standing.ANYONE)


def test_only_local_admins_change_anything() -> None:
    require(Standing.LOCAL_ADMIN, Standing.LOCAL_ADMIN, "edit")
    for below in (Standing.ANYONE, Standing.COOP_STAFF, Standing.OPERATOR):
        with pytest.raises(NotPermitted, match="local admins"):
            require(below, Standing.LOCAL_ADMIN, "change the library's FAQs")
