"""The registry's quality requests, XML in and XML out: a forward answered with the case, a
review answered and its comments sent to the librarian, and the registry's own draw when the
rotation's period has passed on a moved clock."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import xmlschema
from slixmpp.xmlstream import tostring

from components.coop.component import CoopComponent
from components.coop.quality import DRAW_CHECK_S, NS
from components.coop.quality_desk import QualityDesk
from refdesk.db import create_engine, create_sessionmaker
from refdesk.db.stores.activity import ActivityStore, Summary
from refdesk.db.stores.quality import Case, QualityStore, Rotation
from refdesk.db.types import utcnow
from refdesk.settings import Settings
from tests.components.coop.test_registry import HOST, REGISTRY, _seeded
from tests.components.queue.harness import FakeServer, StreamHarness

SCHEMA = xmlschema.XMLSchema(str(Path(__file__).parents[3] / "schemas" / "quality.xsd"))
START = utcnow()
LIBRARIANS = ("bea@beta.test", "gus@gamma.test")


@dataclass
class Registry:
    harness: StreamHarness
    component: CoopComponent
    database: str
    now: datetime = START


def _summaries(since: datetime, prefix: str) -> list[Summary]:
    return [Summary("coop-247", "alpha.test", f"{prefix}-{who[:3]}-{n}", "alpha-main",
                    since + timedelta(days=n * 3, minutes=1),
                    since + timedelta(days=n * 3, minutes=9), None, who,
                    who.partition("@")[2]) for who in LIBRARIANS for n in range(3)]


async def _prepare(url: str) -> None:
    await _seeded(url)
    engine = create_engine(url)
    try:
        sessions = create_sessionmaker(engine)
        for summary in _summaries(START - timedelta(days=20), "before"):
            await ActivityStore(sessions).record_summary(summary)
        await QualityStore(sessions).set_rotation(Rotation("coop-247", 0, 1, 28))
    finally:
        await engine.dispose()


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[Registry]:
    """coop.coop.test started on a test stream, its quality desk on a clock of the test's."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'coop.db'}"
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(_prepare(url))
    finally:
        loop.close()
    settings = Settings.model_validate({
        "library": {"domain": HOST, "name": "24/7 Reference Co-op"},
        "components": {"secret": "unit-test-secret-0123456789"},
        "database": {"url": url}})
    harness = StreamHarness(FakeServer(HOST))

    async def build() -> CoopComponent:
        return CoopComponent(settings)

    component = harness.loop.run_until_complete(build())
    harness.connect(component, until=lambda: "coop-247" in component.publication.coops)
    harness.advance(0)
    harness.sent_all()
    state = Registry(harness, component, url)
    component.quality.desk = QualityDesk(component.registry, component.quality.desk.store,
                                         HOST, clock=lambda: state.now, seed=5)
    try:
        yield state
    finally:
        async def dispose() -> None:
            component.close()
            await component.engine.dispose()
        harness.close(dispose)


def _cases(registry: Registry) -> list[Case]:
    async def read() -> list[Case]:
        engine = create_engine(registry.database)
        try:
            return await QualityStore(create_sessionmaker(engine)).cases("coop-247", None)
        finally:
            await engine.dispose()
    return registry.harness.run(read())


def test_the_registry_drew_at_start_and_draws_again_once_the_period_has_passed(
        registry: Registry) -> None:
    first = _cases(registry)
    assert sorted(str(c.librarian) for c in first) == sorted(LIBRARIANS)
    later = _summaries(START + timedelta(minutes=1), "after")

    async def record() -> None:
        engine = create_engine(registry.database)
        try:
            for summary in later:
                await ActivityStore(create_sessionmaker(engine)).record_summary(summary)
        finally:
            await engine.dispose()
    registry.harness.run(record())
    registry.now = START + timedelta(days=27)
    registry.harness.advance(DRAW_CHECK_S)
    assert len(_cases(registry)) == 2  # not yet: the period is 28 days
    registry.now = START + timedelta(days=28, minutes=1)
    registry.harness.advance(DRAW_CHECK_S)
    new = [c for c in _cases(registry) if c not in first]
    assert sorted(str(c.librarian) for c in new) == sorted(LIBRARIANS)
    assert all(c.chat_id.startswith("after-") for c in new)


def _iq(kind: str, sender: str, payload: str) -> str:
    return f"<iq type='{kind}' id='q1' from='{sender}' to='{REGISTRY}'>{payload}</iq>"


def test_a_forward_is_answered_with_the_case_and_a_review_reaches_the_librarian(
        registry: Registry) -> None:
    harness = registry.harness
    harness.recv(_iq("set", "ann@alpha.test/desk", (
        f"<forward xmlns='{NS}' coop='coop-247' library='alpha.test' chat='before-gus-1'>"
        "<concern>Rushed.</concern></forward>")))
    reply = harness.sent()
    case = reply.xml.find(f"{{{NS}}}case")
    assert reply["type"] == "result" and case is not None, str(reply)
    SCHEMA.validate(tostring(case))
    assert (case.get("librarian"), case.get("source")) == ("gus@gamma.test", "forwarded")

    harness.recv(_iq("set", "sue@coop.test/desk",
                     f"<review xmlns='{NS}' case='{case.get('id')}'>Slow down.</review>"))
    answered, message = harness.sent(), harness.sent()
    assert answered["type"] == "result", str(answered)
    assert (message["to"], message["from"]) == ("gus@gamma.test", REGISTRY)
    sent = message.xml.find(f"{{{NS}}}case")
    assert sent is not None and "Slow down." in message["body"]
    SCHEMA.validate(tostring(sent))
    assert sent.find(f"{{{NS}}}concern") is None


def test_a_review_by_a_regular_user_hears_of_no_case_and_nothing_is_sent(
        registry: Registry) -> None:
    case = _cases(registry)[0]  # drawn at start; a Regular user sees no open case
    registry.harness.recv(_iq("set", "ben@beta.test/desk",
                              f"<review xmlns='{NS}' case='{case.id}'>Fine.</review>"))
    reply = registry.harness.sent()
    assert reply["type"] == "error" and reply["error"]["condition"] == "item-not-found"
    registry.harness.nothing_sent()
