"""The Quality team's rules: who forwards, who sees which case, who reviews, and how the
sample is drawn; no XMPP, no database."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from components.coop import quality_rules as rules
from refdesk.db.models import CaseSource, CaseState, CoopAudience, CoopKind, CoopLevel
from refdesk.db.stores.activity import Summary
from refdesk.db.stores.quality import Case, Rotation
from refdesk.db.stores.registry import CoopRecord, CoopUser
from refdesk.errors import NotFound, NotPermitted

T0 = datetime(2026, 2, 1, tzinfo=UTC)
COOP = CoopRecord(
    "coop-247", "24/7 Reference", CoopKind.GLOBAL, CoopAudience.MIXED, "coop.test",
    "coop-247@conference.coop.test", "coop.coop.test", members=(),
    users=(
        CoopUser("ann@alpha.test", "Ann", "alpha.test", CoopLevel.INSTITUTION_ADMIN, True),
        CoopUser("al@alpha.test", "Al", "alpha.test", CoopLevel.REGULAR, True),
        CoopUser("bea@beta.test", "Bea", "beta.test", CoopLevel.INSTITUTION_ADMIN, True),
        CoopUser("ben@beta.test", "Ben", "beta.test", CoopLevel.REGULAR, True),
        CoopUser("gus@gamma.test", "Gus", "gamma.test", CoopLevel.INSTITUTION_ADMIN, True),
        CoopUser("sam@coop.test", "Sam", "coop.test", CoopLevel.COOP_ADMIN, True),
        CoopUser("sue@coop.test", "Sue", "coop.test", CoopLevel.REGULAR, True, quality=True),
    ))
CASE = Case(1, "coop-247", "alpha.test", "c1", CaseSource.FORWARDED, CaseState.OPEN, T0,
            "ben@beta.test", "beta.test", "Curt answer", "ann@alpha.test")


def _refusal(jid: str) -> str:
    with pytest.raises(NotFound) as refused:
        rules.check_forward(COOP, jid, "alpha.test")
    return str(refused.value)


def test_the_patrons_institution_admin_and_coop_admins_forward_a_session() -> None:
    rules.check_forward(COOP, "ann@alpha.test", "alpha.test")
    rules.check_forward(COOP, "sam@coop.test", "alpha.test")


def test_anyone_else_forwarding_is_told_the_chat_does_not_exist() -> None:
    nobody = str(rules.no_such_chat(COOP, "alpha.test"))
    for jid in ("al@alpha.test", "bea@beta.test", "sue@coop.test", "x@guest.alpha.test"):
        assert _refusal(jid) == nobody


def test_the_team_and_coop_admins_see_every_case_and_admins_their_librarys() -> None:
    for jid in ("sue@coop.test", "sam@coop.test", "ann@alpha.test", "bea@beta.test"):
        assert rules.visible(COOP, jid, CASE) == CASE
    for jid in ("gus@gamma.test", "al@alpha.test", "ben@beta.test", "x@guest.alpha.test"):
        assert rules.visible(COOP, jid, CASE) is None


def test_the_librarian_sees_a_reviewed_case_with_the_comments_only() -> None:
    reviewed = Case(**{**CASE.__dict__, "state": CaseState.REVIEWED, "comments": "Cite it."})
    shown = rules.visible(COOP, "ben@beta.test", reviewed)
    assert shown is not None and shown.comments == "Cite it."
    assert (shown.concern, shown.forwarded_by) == (None, None)


def test_only_the_team_reviews_and_strangers_hear_of_no_case() -> None:
    rules.check_review(COOP, "sue@coop.test", CASE)
    with pytest.raises(NotPermitted):
        rules.check_review(COOP, "sam@coop.test", CASE)
    with pytest.raises(NotFound, match="no case 1"):
        rules.check_review(COOP, "gus@gamma.test", CASE)


def test_coop_admins_set_the_rotation_and_the_team_only_reads_it() -> None:
    rules.check_rotation(COOP, "sam@coop.test", change=True)
    rules.check_rotation(COOP, "sue@coop.test", change=False)
    with pytest.raises(NotPermitted):
        rules.check_rotation(COOP, "sue@coop.test", change=True)
    with pytest.raises(NotPermitted):
        rules.check_rotation(COOP, "ann@alpha.test", change=False)


def _month() -> list[Summary]:
    """Six chats of each librarian over February, and unanswered ones."""
    librarians = ("bea@beta.test", "ben@beta.test", "gus@gamma.test", "sam@coop.test")
    chats = [Summary("coop-247", "alpha.test", f"{who.split('@')[0]}-{n}", "alpha-main",
                     T0 + timedelta(days=n * 4, hours=i), T0 + timedelta(days=n * 4, hours=i + 1),
                     T0, who, who.partition("@")[2])
             for i, who in enumerate(librarians) for n in range(6)]
    return chats + [Summary("coop-247", "gamma.test", f"lost-{n}", "gamma-main",
                            T0 + timedelta(days=n), T0 + timedelta(days=n, hours=1))
                    for n in range(5)]


def test_the_sample_takes_each_librarian_then_tops_each_library_up() -> None:
    drawn = rules.draw(Rotation("coop-247", 3, 1, 30), _month(), set(), random.Random(7))
    by_librarian = {who: sum(s.answered_by == who for s in drawn)
                    for who in {s.answered_by for s in _month() if s.answered_by}}
    by_library = {lib: sum(s.answered_institution == lib for s in drawn)
                  for lib in ("beta.test", "gamma.test", "coop.test")}
    assert min(by_librarian.values()) >= 1
    assert by_library == {"beta.test": 3, "gamma.test": 3, "coop.test": 3}
    assert all(s.answered_by for s in drawn)
    assert len({(s.home, s.chat_id) for s in drawn}) == len(drawn) == 9


def test_the_same_seed_draws_the_same_sample_and_never_one_drawn_before() -> None:
    rotation = Rotation("coop-247", 2, 2, 30)
    first = rules.draw(rotation, _month(), set(), random.Random(3))
    assert first == rules.draw(rotation, _month(), set(), random.Random(3))
    before = {(s.home, s.chat_id) for s in first}
    again = rules.draw(rotation, _month(), before, random.Random(3))
    assert again and not before & {(s.home, s.chat_id) for s in again}


def test_a_rotation_is_due_once_its_period_has_passed_and_only_if_it_asks_for_some() -> None:
    assert not Rotation("coop-247").due(T0)
    rotation = Rotation("coop-247", 1, 0, 30, last_drawn_at=T0)
    assert not rotation.due(T0 + timedelta(days=29, hours=23))
    assert rotation.due(T0 + timedelta(days=30))
