"""Who may read and who may manage a chat kept at alpha: every level, at home and elsewhere,
against chats answered at home, by another library through a co-op, and by co-op staff."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from components.archive.access import Action, allowed_actions, may_manage, may_see, visibility
from refdesk.db.models import ChatState, CoopAudience, CoopKind, CoopLevel, InstitutionKind
from refdesk.db.stores.directory import Directory, OperatorInfo
from refdesk.db.stores.registry import CoopMember, CoopRecord, CoopUser
from refdesk.db.stores.transcripts import Summary, Visibility

HOME = "alpha.test"
LEVELS: dict[str, tuple[CoopLevel | None, CoopLevel | None, bool]] = {
    # jid: (level in coop-local, level in coop-247, on coop-247's Quality team)
    "ann@alpha.test": (CoopLevel.COOP_ADMIN, CoopLevel.INSTITUTION_ADMIN, False),
    "abe@alpha.test": (CoopLevel.REGULAR, CoopLevel.REGULAR, False),
    "amy@alpha.test": (CoopLevel.INSTITUTION_ADMIN, None, False),
    "bea@beta.test": (CoopLevel.INSTITUTION_ADMIN, CoopLevel.INSTITUTION_ADMIN, False),
    "ben@beta.test": (CoopLevel.REGULAR, CoopLevel.REGULAR, False),
    "bob@beta.test": (CoopLevel.REGULAR, CoopLevel.REGULAR, True),
    "gus@gamma.test": (None, CoopLevel.INSTITUTION_ADMIN, False),
    "sam@coop.test": (None, CoopLevel.COOP_ADMIN, False),
    "sue@coop.test": (None, CoopLevel.REGULAR, False),
}


def _coop(coop_id: str, host: str, column: int) -> CoopRecord:
    users = tuple(
        CoopUser(jid, jid.split("@")[0], jid.split("@")[1], level, True,
                 quality=column == 1 and quality)
        for jid, (local, global_, quality) in LEVELS.items()
        if (level := (local, global_)[column]) is not None)
    return CoopRecord(coop_id, coop_id, CoopKind.LOCAL, CoopAudience.MIXED, host,
                      f"{coop_id}@conference.{host}", f"coop.{host}",
                      (CoopMember(HOME, "Alpha", InstitutionKind.ACADEMIC, True),
                       CoopMember("beta.test", "Beta", InstitutionKind.PUBLIC, True)),
                      users)


COOPS = {"coop-local": _coop("coop-local", HOME, 0), "coop-247": _coop("coop-247", "coop.test", 1)}
ALPHA = Directory(
    HOME, "Alpha", 1, {}, {}, {}, {},
    {"ann@alpha.test": OperatorInfo("ann@alpha.test", "Ann", "Ann", True),
     "abe@alpha.test": OperatorInfo("abe@alpha.test", "Abe", "Abe", True),
     "amy@alpha.test": OperatorInfo("amy@alpha.test", "Amy", "Amy", True),
     "ali@alpha.test": OperatorInfo("ali@alpha.test", "Ali", "Ali", True, local_admin=True)},
    {})


def _chat(librarian: str | None, coops: tuple[str, ...]) -> Summary:
    institution = librarian.split("@")[1] if librarian else None
    return Summary("c1", "alpha-main", "Ask Alpha", ChatState.ENDED,
                   datetime(2026, 3, 1, tzinfo=UTC), "Hours?", librarian=librarian,
                   institution=institution, coops=coops)


AT_HOME = _chat("abe@alpha.test", ())                       # answered by the Reference desk
LOCAL_BY_BEN = _chat("ben@beta.test", ("coop-local",))       # Beta answered via coop-local
BY_SUE = _chat("sue@coop.test", ("coop-local", "coop-247"))  # 24/7 staff answered
BY_BOB = _chat("bob@beta.test", ("coop-local",))             # Beta's Bob, via coop-local
UNCLAIMED = _chat(None, ("coop-247",))
CHATS = {"home": AT_HOME, "ben": LOCAL_BY_BEN, "sue": BY_SUE, "bob": BY_BOB,
         "unclaimed": UNCLAIMED}

# asker -> which chats they see
SEES = {
    "ali@alpha.test": {"home", "ben", "sue", "bob", "unclaimed"},  # local admin
    "ann@alpha.test": {"home", "ben", "sue", "bob", "unclaimed"},  # Co-Op/Institution Admin
    "amy@alpha.test": {"home", "ben", "sue", "bob", "unclaimed"},  # Institution Admin at home
    "abe@alpha.test": {"home"},                                    # Regular: own chats
    "bea@beta.test": {"ben", "bob"},             # Institution Admin: Beta users' co-op chats
    "ben@beta.test": {"ben"},                    # Regular elsewhere: own chats
    "bob@beta.test": {"bob", "sue", "unclaimed"},  # Quality team of coop-247
    "gus@gamma.test": set(),                     # Institution Admin, no Gamma user answered
    "sam@coop.test": {"sue", "unclaimed"},       # Co-Op Admin of coop-247: its chats
    "sue@coop.test": {"sue"},
    "pat@guest.alpha.test": set(),               # a patron
    "eve@delta.test": set(),                     # an outsider
}


@pytest.mark.parametrize(("asker", "chat"),
                         [(asker, chat) for asker in SEES for chat in CHATS])
def test_each_level_at_home_and_elsewhere_sees_exactly_what_the_seed_says(
        asker: str, chat: str) -> None:
    visible = visibility(ALPHA, COOPS, asker)
    assert may_see(visible, CHATS[chat]) == (chat in SEES[asker])


@pytest.mark.parametrize("asker", sorted(SEES))
def test_only_home_local_admins_manage_and_everyone_else_reads_only(asker: str) -> None:
    # ann and amy read every Alpha chat as Alpha's own co-op admins, but a co-op level (which
    # any co-op admin may give) never lets anyone edit, delete, email or purge.
    home_admin = asker == "ali@alpha.test"
    assert may_manage(ALPHA, asker) == home_admin
    expected = tuple(Action) if home_admin else ()
    assert allowed_actions(ALPHA, COOPS, asker, LOCAL_BY_BEN) == expected


def test_feedback_is_left_on_what_the_co_op_answered_not_on_a_home_chat() -> None:
    assert Action.FEEDBACK not in allowed_actions(ALPHA, COOPS, "ali@alpha.test", AT_HOME)
    assert Action.EDIT in allowed_actions(ALPHA, COOPS, "ali@alpha.test", AT_HOME)


def test_an_institution_admin_at_another_library_gets_a_filter_not_everything() -> None:
    assert visibility(ALPHA, COOPS, "bea@beta.test") == Visibility(
        answered_by="bea@beta.test", answered_in=frozenset(
            {("coop-local", "beta.test"), ("coop-247", "beta.test")}))


def test_a_librarian_whose_chat_access_is_off_keeps_only_the_chats_they_answered() -> None:
    switched_off = {coop_id: CoopRecord(
        coop.id, coop.name, coop.kind, coop.audience, coop.host, coop.room, coop.component,
        coop.members, tuple(CoopUser(u.jid, u.nick, u.institution, u.level,
                                     u.jid != "bea@beta.test", u.quality)
                            for u in coop.users))
        for coop_id, coop in COOPS.items()}
    visible = visibility(ALPHA, switched_off, "bea@beta.test")
    assert visible == Visibility(answered_by="bea@beta.test")


def test_a_patron_of_the_library_may_see_nothing_and_costs_no_search() -> None:
    assert visibility(ALPHA, COOPS, "pat@guest.alpha.test") == Visibility()
