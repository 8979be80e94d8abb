"""Staff rooms: configured members-only, their member list brought in line one item per
request (Prosody applies only the first item of a muc#admin set), admins and owners left
alone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slixmpp import ComponentXMPP

from components.staffrooms import keep_staff_room
from tests.components.queue.harness import MUC_ADMIN, MUC_OWNER, FakeServer, StreamHarness

ROOM = "reference@conference.alpha.test"
QUEUE = "queue.alpha.test"


@pytest.fixture
def stream() -> Iterator[StreamHarness]:
    """A bare component on a test stream, its server a fake one."""
    harness = StreamHarness(FakeServer("alpha.test"))

    async def build() -> ComponentXMPP:
        return ComponentXMPP(QUEUE, "secret", "127.0.0.1", 5347)

    harness.connect(harness.loop.run_until_complete(build()))
    try:
        yield harness
        harness.nothing_sent()
    finally:
        harness.close()


def keep(stream: StreamHarness, members: list[str]) -> bool:
    assert stream.xmpp is not None
    return stream.run(keep_staff_room(stream.xmpp, ROOM, "Reference (Alpha)", members))


def test_configures_the_room_members_only_then_adds_and_removes_one_item_per_request(
    stream: StreamHarness,
) -> None:
    stream.server.members[ROOM] = {"ada@alpha.test", "old@alpha.test"}
    assert keep(stream, ["ada@alpha.test/gajim", "ari@alpha.test", "abe@alpha.test"])
    config = stream.sent()
    assert (config["type"], config["to"].full) == ("set", ROOM)
    fields = {field.get("var"): field.findtext("{jabber:x:data}value")
              for field in config.xml.iter("{jabber:x:data}field")}
    assert fields["muc#roomconfig_membersonly"] == "1"
    assert fields["muc#roomconfig_publicroom"] == "0"
    assert fields["muc#roomconfig_whois"] == "anyone"
    assert fields["muc#roomconfig_allowinvites"] == "0"
    assert fields["muc#roomconfig_roomname"] == "Reference (Alpha)"
    assert config.xml.find(f"{{{MUC_OWNER}}}query") is not None
    for stanza_id, listed in [("2", "member"), ("3", "owner"), ("4", "admin")]:
        stream.send(f"<iq type='get' id='{stanza_id}' to='{ROOM}' from='{QUEUE}'>"
                    f"<query xmlns='{MUC_ADMIN}'><item affiliation='{listed}'/></query></iq>")
    for stanza_id, jid, affiliation in [("5", "abe@alpha.test", "member"),
                                        ("6", "ari@alpha.test", "member"),
                                        ("7", "old@alpha.test", "none")]:
        stream.send(f"<iq type='set' id='{stanza_id}' to='{ROOM}' from='{QUEUE}'>"
                    f"<query xmlns='{MUC_ADMIN}'><item jid='{jid}' affiliation='{affiliation}'/>"
                    "</query></iq>")
    assert stream.server.members[ROOM] == {"ada@alpha.test", "abe@alpha.test", "ari@alpha.test"}


def test_a_member_list_already_in_line_is_left_as_it_is(stream: StreamHarness) -> None:
    stream.server.members[ROOM] = {"ada@alpha.test", "ari@alpha.test"}
    assert keep(stream, ["ari@alpha.test", "ada@alpha.test"])
    # Configure; list members, owners and admins: no more.
    assert [s["type"] for s in stream.sent_all()] == ["set", "get", "get", "get"]
    assert stream.server.affiliations_set == []


def test_owners_and_admins_are_never_removed(stream: StreamHarness) -> None:
    stream.server.admins[ROOM] = {"ann@alpha.test"}
    assert keep(stream, ["ada@alpha.test"])
    stream.sent_all()
    assert stream.server.affiliations_set == [(ROOM, [("ada@alpha.test", "member")])]
    assert stream.server.admins[ROOM] == {"ann@alpha.test"}


def test_an_admin_or_owner_who_is_also_entitled_is_not_demoted_to_member(
    stream: StreamHarness,
) -> None:
    stream.server.admins[ROOM] = {"ann@alpha.test"}
    stream.server.owners[ROOM] = {"abe@alpha.test"}
    assert keep(stream, ["ann@alpha.test", "abe@alpha.test", "ada@alpha.test"])
    stream.sent_all()
    assert stream.server.affiliations_set == [(ROOM, [("ada@alpha.test", "member")])]
    assert stream.server.admins[ROOM] == {"ann@alpha.test"}
    assert stream.server.owners[ROOM] == {"abe@alpha.test"}


def test_a_server_that_refuses_the_configuration_is_reported_and_no_member_changes(
    stream: StreamHarness,
) -> None:
    stream.server.refused[MUC_OWNER] = "forbidden"
    assert not keep(stream, ["ada@alpha.test"])
    assert stream.sent()["type"] == "set"
    assert stream.server.affiliations_set == []
