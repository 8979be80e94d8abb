"""The Quality team's desk on a co-op host's database: a month of chat summaries sampled per
library and per librarian, never a chat twice, on the rotation's period as a moved clock
shows it; forwarded cases taken from the summaries, reviewed by the team."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta

import pytest

from components.coop.quality_desk import QualityDesk
from components.coop.quality_wire import Forward
from refdesk.db import create_engine, create_sessionmaker, migrate
from refdesk.db.models import CaseSource, CaseState
from refdesk.db.stores.activity import ActivityStore, Summary
from refdesk.db.stores.quality import Case, QualityStore, Rotation
from refdesk.db.stores.registry import RegistryStore
from refdesk.errors import Conflict, NotFound
from refdesk.lab.sample import sample_federation
from refdesk.lab.seed import seed_site

MARCH = datetime(2026, 3, 1, tzinfo=UTC)
LIBRARIANS = ("bea@beta.test", "ben@beta.test", "gus@gamma.test", "sam@coop.test")


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _month(start: datetime, prefix: str) -> list[Summary]:
    """Seven chats of each librarian over the 28 days from `start`, and unanswered ones."""
    answered = [Summary("coop-247", "alpha.test", f"{prefix}-{who.split('@')[0]}-{n}",
                        "alpha-main", start + timedelta(days=n * 4, hours=i),
                        start + timedelta(days=n * 4, hours=i + 1), start, who,
                        who.partition("@")[2])
                for i, who in enumerate(LIBRARIANS) for n in range(7)]
    return answered + [Summary("coop-247", "gamma.test", f"{prefix}-lost-{n}", "gamma-main",
                               start + timedelta(days=n), start + timedelta(days=n, hours=1))
                       for n in range(4)]


@pytest.fixture
async def desk(db_url: str) -> AsyncIterator[tuple[QualityDesk, Clock]]:
    """coop.test's registry database, seeded with the lab's sample and February's chats."""
    await migrate.upgrade(db_url)
    federation = sample_federation()
    await seed_site(db_url, federation, federation.site("coop.test"))
    engine = create_engine(db_url)
    sessions = create_sessionmaker(engine)
    activity = ActivityStore(sessions)
    for summary in _month(MARCH - timedelta(days=28), "feb"):
        await activity.record_summary(summary)
    clock = Clock(MARCH)
    yield QualityDesk(RegistryStore(sessions), QualityStore(sessions), "coop.test", clock,
                      seed=11), clock
    await engine.dispose()


def _counts(cases: Sequence[Case], key: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for case in cases:
        value = str(getattr(case, key))
        counts[value] = counts.get(value, 0) + 1
    return counts


async def test_a_month_is_sampled_per_library_and_librarian_and_never_twice(
        desk: tuple[QualityDesk, Clock]) -> None:
    quality, _ = desk
    await quality.set_rotation("sam@coop.test", Rotation("coop-247", 3, 1, 28))
    drawn = await quality.draw("sue@coop.test", "coop-247")
    assert _counts(drawn, "institution") == {"beta.test": 3, "gamma.test": 3, "coop.test": 3}
    assert set(_counts(drawn, "librarian")) == set(LIBRARIANS)
    assert {(c.source, c.state) for c in drawn} == {(CaseSource.SAMPLE, CaseState.OPEN)}
    again = await quality.draw("sue@coop.test", "coop-247")
    first = {(c.home, c.chat_id) for c in drawn}
    assert len(again) == 9 and not first & {(c.home, c.chat_id) for c in again}
    listed = await quality.cases("sue@coop.test", "coop-247", CaseState.OPEN)
    assert len(listed) == 18


async def test_the_registry_draws_on_its_own_when_the_rotation_comes_round(
        desk: tuple[QualityDesk, Clock], db_url: str) -> None:
    quality, clock = desk
    assert await quality.draw_due() == []  # nothing asked for yet
    await quality.set_rotation("sam@coop.test", Rotation("coop-247", 0, 1, 28))
    first = await quality.draw_due()
    assert sorted(str(c.librarian) for c in first) == sorted(LIBRARIANS)
    clock.now = MARCH + timedelta(days=27)
    assert await quality.draw_due() == []
    engine = create_engine(db_url)
    try:
        for summary in _month(MARCH, "mar"):
            await ActivityStore(create_sessionmaker(engine)).record_summary(summary)
    finally:
        await engine.dispose()
    clock.now = MARCH + timedelta(days=28)
    second = await quality.draw_due()
    assert {c.chat_id.split("-")[0] for c in second} == {"mar"}
    assert sorted(str(c.librarian) for c in second) == sorted(LIBRARIANS)
    rotation = await quality.rotation("sue@coop.test", "coop-247")
    assert rotation.last_drawn_at == clock.now


async def test_a_forwarded_session_is_reviewed_and_its_librarian_sees_the_comments(
        desk: tuple[QualityDesk, Clock]) -> None:
    quality, _ = desk
    forward = Forward("coop-247", "alpha.test", "feb-bea-2", "The patron left unanswered.")
    case = await quality.forward("ann@alpha.test", forward)
    assert (case.librarian, case.institution, case.forwarded_by) == (
        "bea@beta.test", "beta.test", "ann@alpha.test")
    with pytest.raises(Conflict):
        await quality.forward("sam@coop.test", forward)
    assert await quality.cases("bea@beta.test", "coop-247", None) == [case]  # her library's
    assert await quality.cases("ben@beta.test", "coop-247", None) == []
    reviewed = await quality.review("sue@coop.test", case.id, "Offer a follow-up next time.")
    assert reviewed.state == CaseState.REVIEWED and reviewed.reviewed_by == "sue@coop.test"
    [seen] = await quality.cases("ann@alpha.test", "coop-247", CaseState.REVIEWED)
    assert seen.comments == "Offer a follow-up next time."


async def test_forwarding_a_chat_the_registry_has_no_summary_of_is_not_found(
        desk: tuple[QualityDesk, Clock]) -> None:
    quality, _ = desk
    unknown = Forward("coop-247", "alpha.test", "nope", "?")
    refused = Forward("coop-247", "alpha.test", "feb-bea-2", "?")
    with pytest.raises(NotFound) as missing:
        await quality.forward("ann@alpha.test", unknown)
    with pytest.raises(NotFound) as other_library:
        await quality.forward("gus@gamma.test", refused)
    assert str(other_library.value) == str(missing.value)


async def test_a_chat_answered_at_home_before_the_coops_turn_is_not_the_coops_to_review(
        desk: tuple[QualityDesk, Clock], db_url: str) -> None:
    quality, _ = desk
    at_home = Summary("coop-247", "alpha.test", "home-1", "alpha-main",
                      MARCH - timedelta(days=2), MARCH - timedelta(days=2) + timedelta(hours=1),
                      MARCH - timedelta(days=2), "ann@alpha.test", "alpha.test", offered=False)
    engine = create_engine(db_url)
    try:
        await ActivityStore(create_sessionmaker(engine)).record_summary(at_home)
    finally:
        await engine.dispose()
    with pytest.raises(NotFound):
        await quality.forward("ann@alpha.test", Forward("coop-247", "alpha.test", "home-1", "?"))
    await quality.set_rotation("sam@coop.test", Rotation("coop-247", 50, 50, 28))
    drawn = await quality.draw("sue@coop.test", "coop-247")
    assert "home-1" not in {case.chat_id for case in drawn}
    assert "alpha.test" not in _counts(drawn, "institution")
