"""A small library's set-up, made by hand for the rule modules' tests."""

from __future__ import annotations

from refdesk.db.models import CoopKind
from refdesk.db.stores.directory import CoopInfo, Directory, OperatorInfo

REFERENCE = "reference@conference.alpha.test"
ADULT = "adult@conference.alpha.test"
ADULT_SERVICES = "adult-services@conference.alpha.test"
LOCAL_ROOM = "coop-local@conference.alpha.test"
GLOBAL_ROOM = "coop-247@conference.coop.test"


def alpha() -> Directory:
    """Alpha: Ada (chat on), Ann (chat switched off); the Valley co-op with Beta; the 24/7
    co-op hosted by coop.test with Beta and Gamma."""
    return Directory(
        domain="alpha.test", name="Alpha University Library", institution_id=1, widgets={},
        departments={REFERENCE: "Reference", ADULT: "Adult", ADULT_SERVICES: "Adult Services"},
        coops={
            "coop-local": CoopInfo("coop-local", "Valley Libraries Co-op", CoopKind.LOCAL,
                                   LOCAL_ROOM, "alpha.test", "coop.alpha.test"),
            "coop-247": CoopInfo("coop-247", "24/7 Reference", CoopKind.GLOBAL, GLOBAL_ROOM,
                                 "coop.test", "coop.coop.test"),
        },
        institutions={"alpha.test": "Alpha University Library",
                      "beta.test": "Beta Public Library", "gamma.test": "Gamma County Library"},
        operators={
            "ada@alpha.test": OperatorInfo("ada@alpha.test", "Ada Ames", "Ada", True),
            "ann@alpha.test": OperatorInfo("ann@alpha.test", "Ann Archer", "Ann", False),
        },
        nicks={"ada@alpha.test": "Ada", "ann@alpha.test": "Ann", "ben@beta.test": "Benjamin"},
    )
