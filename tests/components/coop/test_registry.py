"""The co-op registry (components.coop): its co-ops as pubsub nodes, read and followed only
by member libraries' queues, republished when anyone changes the host's database, with the
co-op room's member list kept in line; chat access reports from member libraries."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import xmlschema
from slixmpp import Iq
from slixmpp.xmlstream import ET, ElementBase, tostring

from components.coop import summary
from components.coop.component import POLL_S, CoopComponent
from components.coop.wire import NS, PUBSUB, PUBSUB_EVENT, read_coop
from refdesk.db import create_engine, create_sessionmaker, migrate
from refdesk.db.stores.activity import Summary
from refdesk.db.stores.registry import CoopRecord, RegistryStore
from refdesk.lab.sample import sample_federation
from refdesk.lab.seed import seed_site
from refdesk.settings import Settings
from tests.components.queue.harness import FakeServer, StreamHarness

HOST = "coop.test"
REGISTRY = f"coop.{HOST}"
ROOM = "coop-247@conference.coop.test"
ASKED = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
SCHEMA = xmlschema.XMLSchema(str(Path(__file__).parents[3] / "schemas" / "coop.xsd"))


async def _seeded(url: str) -> None:
    await migrate.upgrade(url)
    federation = sample_federation()
    await seed_site(url, federation, federation.site(HOST))


@pytest.fixture
def database(tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'coop.db'}"
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(_seeded(url))
    finally:
        loop.close()
    return url


@pytest.fixture
def registry(database: str) -> Iterator[StreamHarness]:
    """coop.coop.test on a test stream, started: in its room, the 24/7 co-op published."""
    settings = Settings.model_validate({
        "library": {"domain": HOST, "name": "24/7 Reference Co-op"},
        "components": {"secret": "unit-test-secret-0123456789"},
        "database": {"url": database}})
    harness = StreamHarness(FakeServer(HOST))

    async def build() -> CoopComponent:  # on the harness's loop, which slixmpp then keeps
        return CoopComponent(settings)

    component = harness.loop.run_until_complete(build())
    harness.connect(component, until=lambda: "coop-247" in component.publication.coops)
    harness.advance(0)  # the room's member list brought in line
    harness.sent_all()
    try:
        yield harness
        assert not harness.server.unexpected, harness.server.unexpected
    finally:
        async def dispose() -> None:
            component.close()
            await component.engine.dispose()
        harness.close(dispose)


def change(harness: StreamHarness, database: str, what: str, *args: object) -> None:
    """Change the registry's database as the command line does, behind the component's back."""
    async def run() -> None:
        engine = create_engine(database)
        try:
            await getattr(RegistryStore(create_sessionmaker(engine)), what)(*args)
        finally:
            await engine.dispose()
    harness.run(run())


def iq(kind: str, sender: str, payload: str, iq_id: str = "q1") -> str:
    return f"<iq type='{kind}' id='{iq_id}' from='{sender}' to='{REGISTRY}'>{payload}</iq>"


def items(sender: str) -> str:
    return iq("get", sender, f"<pubsub xmlns='{PUBSUB}'><items node='coop-247'/></pubsub>")


def published_coop(stanza: ET.Element, path: str) -> CoopRecord:
    element = stanza.find(path)
    assert element is not None, tostring(stanza)
    SCHEMA.validate(tostring(element))
    return read_coop(element, REGISTRY)


@pytest.mark.parametrize("follower", ["queue.gamma.test", "archive.gamma.test"])
def test_a_member_librarys_queue_or_archive_reads_the_coop_as_published(
        registry: StreamHarness, follower: str) -> None:
    registry.recv(items(follower))
    reply = registry.sent()
    assert reply["type"] == "result" and reply["to"] == follower, str(reply)
    coop = published_coop(reply.xml, f"{{{PUBSUB}}}pubsub/{{{PUBSUB}}}items/{{{PUBSUB}}}item"
                                      f"[@id='current']/{{{NS}}}coop")
    assert (coop.id, coop.kind.value, coop.host, coop.room) == ("coop-247", "global", HOST, ROOM)
    assert {(m.domain, m.contributing) for m in coop.members} == {
        ("alpha.test", True), ("beta.test", True), ("gamma.test", False)}
    assert {u.jid for u in coop.staff} == {"sam@coop.test", "sue@coop.test"}
    assert coop.user("gil@gamma.test") is not None


@pytest.mark.parametrize("asker", [
    "pat@guest.gamma.test/web",   # a patron
    "gil@gamma.test/desk",        # a librarian's own client: the queue reads it for them
    "queue.delta.test",           # a library that is no member
    "archive.delta.test",
    "archive.coop.test",          # the host is no member library: it keeps no transcripts
    "coop.alpha.test",            # another registry
])
def test_anyone_else_is_forbidden_to_read_who_belongs(registry: StreamHarness,
                                                      asker: str) -> None:
    registry.recv(items(asker))
    reply = registry.sent()
    assert (reply["type"], reply["error"]["condition"]) == ("error", "forbidden")


def test_an_unknown_node_is_item_not_found(registry: StreamHarness) -> None:
    registry.recv(iq("get", "queue.alpha.test",
                     f"<pubsub xmlns='{PUBSUB}'><items node='coop-nope'/></pubsub>"))
    assert registry.sent()["error"]["condition"] == "item-not-found"


def subscribe(registry: StreamHarness, queue: str) -> None:
    registry.recv(iq("set", queue, f"<pubsub xmlns='{PUBSUB}'><subscribe node='coop-247' "
                                   f"jid='{queue}'/></pubsub>"))
    registry.send(f"<iq type='result' id='q1' from='{REGISTRY}' to='{queue}'>"
                  f"<pubsub xmlns='{PUBSUB}'><subscription node='coop-247' jid='{queue}' "
                  "subscription='subscribed'/></pubsub></iq>")


def pushed(registry: StreamHarness) -> dict[str, CoopRecord]:
    """Subscriber -> the co-op pushed to it, for each push sent (affiliation changes aside)."""
    pushes = {}
    for stanza in registry.sent_all():
        if stanza.name == "message":
            pushes[str(stanza["to"])] = published_coop(
                stanza.xml, f"{{{PUBSUB_EVENT}}}event/{{{PUBSUB_EVENT}}}items"
                            f"/{{{PUBSUB_EVENT}}}item/{{{NS}}}coop")
    return pushes


def test_access_taken_away_is_pushed_to_subscribers_and_the_user_leaves_the_room(
    registry: StreamHarness, database: str,
) -> None:
    subscribe(registry, "queue.alpha.test")
    assert "ben@beta.test" in registry.server.members[ROOM]
    change(registry, database, "revoke", "coop-247", "ben@beta.test")
    registry.advance(POLL_S)
    coop = pushed(registry)["queue.alpha.test"]
    assert coop.user("ben@beta.test") is None
    assert "ben@beta.test" not in registry.server.members[ROOM]
    assert registry.server.affiliations_set[-1] == (ROOM, [("ben@beta.test", "none")])


def test_an_unsubscribed_queue_hears_nothing_more(registry: StreamHarness,
                                                  database: str) -> None:
    subscribe(registry, "queue.alpha.test")
    registry.recv(iq("set", "queue.alpha.test", f"<pubsub xmlns='{PUBSUB}'><unsubscribe "
                     "node='coop-247' jid='queue.alpha.test'/></pubsub>"))
    registry.send(f"<iq type='result' id='q1' from='{REGISTRY}' to='queue.alpha.test'/>")
    change(registry, database, "revoke", "coop-247", "ben@beta.test")
    registry.advance(POLL_S)
    assert set(pushed(registry)) == {"queue.beta.test", "queue.gamma.test", "archive.alpha.test",
                                     "archive.beta.test", "archive.gamma.test",
                                     "faq.alpha.test", "faq.beta.test", "faq.gamma.test"}


def test_a_started_registry_tells_every_member_library_of_a_change_unasked(
        registry: StreamHarness, database: str) -> None:
    # It forgot, restarting, who subscribed: every member's queue, archive and faq component
    # is told, none asked twice.
    change(registry, database, "revoke", "coop-247", "ben@beta.test")
    registry.advance(POLL_S)
    told = pushed(registry)
    assert set(told) == {f"{component}.{domain}" for component in ("queue", "archive", "faq")
                         for domain in ("alpha.test", "beta.test", "gamma.test")}
    assert all(coop.user("ben@beta.test") is None for coop in told.values())


def test_a_library_switches_chat_access_for_its_own_users_only(registry: StreamHarness) -> None:
    subscribe(registry, "queue.alpha.test")
    registry.recv(iq("set", "queue.beta.test", f"<access xmlns='{NS}'>"
                     "<user jid='ben@beta.test' chat='false'/>"
                     "<user jid='ada@alpha.test' chat='false'/></access>"))
    registry.send(f"<iq type='result' id='q1' from='{REGISTRY}' to='queue.beta.test'/>")
    registry.advance(0)
    coop = pushed(registry)["queue.alpha.test"]
    assert coop.user("ben@beta.test").chat_enabled is False  # type: ignore[union-attr]
    assert coop.user("ada@alpha.test").chat_enabled is True  # type: ignore[union-attr]
    assert "ben@beta.test" not in registry.server.members[ROOM]


def test_only_a_member_librarys_queue_reports_chat_access(registry: StreamHarness) -> None:
    registry.recv(iq("set", "bea@beta.test/desk", f"<access xmlns='{NS}'>"
                     "<user jid='ben@beta.test' chat='false'/></access>"))
    assert registry.sent()["error"]["condition"] == "forbidden"


def test_the_hosts_own_queue_switches_chat_access_for_the_coops_staff_only(
        registry: StreamHarness) -> None:
    subscribe(registry, "queue.alpha.test")
    registry.recv(iq("set", f"queue.{HOST}", f"<access xmlns='{NS}'>"
                     "<user jid='sue@coop.test' chat='false'/>"
                     "<user jid='ada@alpha.test' chat='false'/></access>"))
    registry.send(f"<iq type='result' id='q1' from='{REGISTRY}' to='queue.{HOST}'/>")
    registry.advance(0)
    coop = pushed(registry)["queue.alpha.test"]
    assert coop.user("sue@coop.test").chat_enabled is False  # type: ignore[union-attr]
    assert coop.user("ada@alpha.test").chat_enabled is True  # type: ignore[union-attr]
    assert "sue@coop.test" not in registry.server.members[ROOM]


def _summary_from_alpha(registry: StreamHarness, answered_by: str,
                        institution: str) -> ElementBase:
    """Alpha's queue reports a coop-247 chat answered by `answered_by` of `institution`."""
    summary.register()
    request = Iq(stype="set", sto=REGISTRY, sfrom="queue.alpha.test", sid="s1")
    summary.write(request["refdesk_summary"], Summary(
        "coop-247", "alpha.test", f"c-{answered_by}", "alpha-main", ASKED, ASKED, ASKED,
        answered_by, institution))
    registry.recv(str(request))
    return registry.sent()


@pytest.mark.parametrize(("answered_by", "institution", "condition"), [
    ("eve@delta.test", "beta.test", "bad-request"),     # a librarian of another library
    ("eve@delta.test", "delta.test", "forbidden"),      # a library outside the co-op
])
def test_a_member_cannot_name_someone_elses_librarian_as_the_one_who_answered(
        registry: StreamHarness, answered_by: str, institution: str, condition: str) -> None:
    # The Quality team's comments and the members' statistics go by who answered.
    reply = _summary_from_alpha(registry, answered_by, institution)
    assert (reply["type"], reply["error"]["condition"]) == ("error", condition)


def test_a_member_reports_a_chat_its_own_or_another_members_librarian_answered(
        registry: StreamHarness) -> None:
    assert _summary_from_alpha(registry, "bea@beta.test", "beta.test")["type"] == "result"
