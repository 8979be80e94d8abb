"""Each co-op account level can do what the seed says and nothing more (pure rules)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from components.coop import levels
from components.coop.levels import Actor, MemberAction
from refdesk.db.models import CoopAudience, CoopKind, CoopLevel, InstitutionKind
from refdesk.db.stores.registry import CoopMember, CoopRecord, CoopUser
from refdesk.errors import Conflict, NotPermitted

R, IA, CA = CoopLevel.REGULAR, CoopLevel.INSTITUTION_ADMIN, CoopLevel.COOP_ADMIN


def _user(jid: str, level: CoopLevel) -> CoopUser:
    return CoopUser(jid, jid.partition("@")[0], jid.partition("@")[2], level, True)


COOP = CoopRecord(
    "coop-247", "24/7 Reference", CoopKind.GLOBAL, CoopAudience.MIXED, "coop.test",
    "coop-247@conference.coop.test", "coop.coop.test",
    members=(CoopMember("alpha.test", "Alpha", InstitutionKind.ACADEMIC, True),
             CoopMember("beta.test", "Beta", InstitutionKind.PUBLIC, True)),
    users=(_user("sam@coop.test", CA), _user("ann@alpha.test", IA),
           _user("abe@alpha.test", R), _user("ace@alpha.test", CA),
           _user("bea@beta.test", IA), _user("ben@beta.test", R)),
)
ACTORS = {"regular": "abe@alpha.test", "institution-admin": "ann@alpha.test",
          "coop-admin": "sam@coop.test"}

Check = Callable[[Actor], None]
ACTIONS: dict[str, Check] = {
    "grant regular to own-library user":
        lambda a: levels.check_grant(COOP, a, "new@alpha.test", R),
    "grant institution admin to own-library user":
        lambda a: levels.check_grant(COOP, a, "new@alpha.test", IA),
    "grant to another library's user":
        lambda a: levels.check_grant(COOP, a, "new@beta.test", R),
    "make co-op admin":
        lambda a: levels.check_grant(COOP, a, "abe@alpha.test", CA),
    "revoke own-library user": lambda a: levels.check_revoke(COOP, a, "abe@alpha.test"),
    "revoke other library's user": lambda a: levels.check_revoke(COOP, a, "ben@beta.test"),
    "demote own library's co-op admin":
        lambda a: levels.check_grant(COOP, a, "ace@alpha.test", R),
    "invite a library": lambda a: levels.check_members(COOP, a, MemberAction.INVITE),
    "set contributing": lambda a: levels.check_members(COOP, a, MemberAction.CONTRIBUTING),
    "remove a member": lambda a: levels.check_members(COOP, a, MemberAction.REMOVE),
}
ALLOWED = {
    "regular": set(),
    "institution-admin": {"grant regular to own-library user",
                          "grant institution admin to own-library user",
                          "revoke own-library user"},
    "coop-admin": set(ACTIONS),
}
# Institution Admins' refusals that name the Co-Op Admin as the one who can.
SENTENCES = {
    "make co-op admin": "Only a Co-Op Admin of 24/7 Reference can make someone a Co-Op Admin.",
    "invite a library": "Only a Co-Op Admin of 24/7 Reference can invite a library.",
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("level", ALLOWED)
def test_each_level_may_do_what_the_seed_says_and_nothing_more(level: str, action: str) -> None:
    actor = Actor.of(COOP, ACTORS[level])
    if action in ALLOWED[level]:
        ACTIONS[action](actor)
        return
    with pytest.raises(NotPermitted) as refused:
        ACTIONS[action](actor)
    assert "Only " in str(refused.value)
    if level == "institution-admin" and action in SENTENCES:
        assert str(refused.value) == SENTENCES[action]


def test_a_user_without_access_manages_nothing_and_is_told_to_ask() -> None:
    outsider = Actor.of(COOP, "zed@alpha.test")
    with pytest.raises(NotPermitted, match="ask your library's Institution Admin"):
        levels.check_grant(COOP, outsider, "zed@alpha.test", R)


def test_the_last_coop_admin_cannot_remove_or_demote_themself() -> None:
    alone = CoopRecord(**{**COOP.__dict__, "users": (_user("sam@coop.test", CA),)})
    sam = Actor.of(alone, "sam@coop.test")
    with pytest.raises(Conflict, match="last Co-Op Admin"):
        levels.check_revoke(alone, sam, "sam@coop.test")
    with pytest.raises(Conflict, match="last Co-Op Admin"):
        levels.check_grant(alone, sam, "sam@coop.test", IA)
    levels.check_grant(alone, sam, "sam@coop.test", CA)


def test_a_coop_admin_may_step_down_while_another_remains() -> None:
    levels.check_revoke(COOP, Actor.of(COOP, "sam@coop.test"), "sam@coop.test")


def test_an_institution_admin_may_lower_their_own_access() -> None:
    ann = Actor.of(COOP, "ann@alpha.test")
    levels.check_grant(COOP, ann, "ann@alpha.test", R)
    levels.check_revoke(COOP, ann, "ann@alpha.test")


@pytest.mark.parametrize(("jid", "seen"), [
    ("abe@alpha.test", {"abe@alpha.test"}),
    ("ann@alpha.test", {"ann@alpha.test", "abe@alpha.test", "ace@alpha.test"}),
    ("sam@coop.test", {u.jid for u in COOP.users}),
])
def test_each_level_sees_the_roles_it_manages(jid: str, seen: set[str]) -> None:
    assert {u.jid for u in levels.visible_users(COOP, Actor.of(COOP, jid))} == seen


def test_only_coop_admins_may_grant_coop_admin() -> None:
    assert levels.grantable(Actor.of(COOP, "ann@alpha.test")) == (R, IA)
    assert levels.grantable(Actor.of(COOP, "sam@coop.test")) == (R, IA, CA)
    assert levels.grantable(Actor.of(COOP, "abe@alpha.test")) == ()


def test_a_user_whose_chat_access_is_off_counts_as_having_no_access_to_the_coop() -> None:
    off = CoopUser("bo@beta.test", "Bo", "beta.test", CA, False)
    coop = replace(COOP, users=(*COOP.users, off))
    assert Actor.entitled(coop, "bo@beta.test") == Actor("bo@beta.test", None)
    assert levels.entitled_user(coop, "bo@beta.test") is None
    assert Actor.entitled(coop, "sam@coop.test") == Actor("sam@coop.test", CA)
    # The registry's own admin commands keep their rule: Actor.of is unchanged.
    assert Actor.of(coop, "bo@beta.test") == Actor("bo@beta.test", CA)
