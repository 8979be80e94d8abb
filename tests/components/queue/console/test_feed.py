"""The Patron Chats feed's bookkeeping (components.queue.console.feed): who is told what, and
the bounds on feeds."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from slixmpp.xmlstream import ET

from components.queue.console.feed import Feeds, TooManyFeeds
from refdesk.db.models import ChatState
from refdesk.db.stores.chats import ChatRecord

CHAT = ChatRecord("1", "alpha-main", "pat@guest.alpha.test/w", None, None, "Maps?", None,
                  None, ChatState.WAITING, datetime(2025, 1, 1, tzinfo=UTC), None, None, None,
                  None, None, None, None, {}, None)


class World:
    """Who sees which chat, set by the test."""

    def __init__(self) -> None:
        self.seen_by: set[str] = set()

    def sees(self, chat: ChatRecord, operator: str) -> bool:
        return chat.state in (ChatState.WAITING, ChatState.ACTIVE) and operator in self.seen_by

    def render(self, chat: ChatRecord, operator: str) -> ET.Element:
        state = {ChatState.CANCELLED: "withdrawn"}.get(chat.state, chat.state.value)
        return ET.Element("chat", {"jid": chat.id, "state": state,
                                   "nick": chat.claimed_nick or ""})


@pytest.fixture
def world() -> World:
    return World()


def told(feeds: Feeds, chat: ChatRecord) -> list[tuple[str, str | None]]:
    return [(jid, element.get("state")) for jid, element in feeds.changed(chat)]


def test_subscribing_lists_only_the_chats_the_librarian_sees(world: World) -> None:
    feeds = Feeds(world.sees, world.render)
    world.seen_by = {"ann@alpha.test"}
    assert [e.get("jid") for e in feeds.subscribe("ann@alpha.test/console", [CHAT])] == ["1"]
    assert feeds.subscribe("gus@gamma.test/console", [CHAT]) == []


def test_a_change_reaches_those_who_see_it_once_and_a_chat_out_of_reach_is_withdrawn(
    world: World,
) -> None:
    feeds = Feeds(world.sees, world.render)
    feeds.subscribe("ann@alpha.test/a", [])
    feeds.subscribe("ben@beta.test/b", [])
    world.seen_by = {"ann@alpha.test"}
    assert told(feeds, CHAT) == [("ann@alpha.test/a", "waiting")]
    assert told(feeds, CHAT) == []  # nothing new: nothing pushed
    world.seen_by = {"ann@alpha.test", "ben@beta.test"}
    assert told(feeds, CHAT) == [("ben@beta.test/b", "waiting")]
    world.seen_by = {"ann@alpha.test"}  # transferred away from Ben's co-op
    taken = replace(CHAT, state=ChatState.ACTIVE, claimed_nick="Ada")
    assert told(feeds, taken) == [("ann@alpha.test/a", "active"), ("ben@beta.test/b", "withdrawn")]
    assert told(feeds, replace(CHAT, state=ChatState.ENDED)) == [("ann@alpha.test/a", "ended")]
    assert told(feeds, replace(CHAT, state=ChatState.ENDED)) == []


def test_a_closed_chat_is_told_only_to_feeds_that_were_shown_it(world: World) -> None:
    feeds = Feeds(world.sees, world.render)
    world.seen_by = {"ann@alpha.test"}
    feeds.subscribe("ann@alpha.test/a", [CHAT])
    feeds.subscribe("gus@gamma.test/g", [CHAT])
    assert told(feeds, replace(CHAT, state=ChatState.CANCELLED)) == [
        ("ann@alpha.test/a", "withdrawn")]


def test_unsubscribed_feeds_hear_nothing(world: World) -> None:
    feeds = Feeds(world.sees, world.render)
    world.seen_by = {"ann@alpha.test"}
    feeds.subscribe("ann@alpha.test/a", [])
    assert feeds.unsubscribe("ann@alpha.test/a")
    assert not feeds.unsubscribe("ann@alpha.test/a")
    assert told(feeds, CHAT) == []


def test_a_librarians_oldest_feed_gives_way_and_the_total_is_bounded(world: World) -> None:
    feeds = Feeds(world.sees, world.render, per_jid=2, total=3)
    for resource in ("one", "two", "three"):
        feeds.subscribe(f"ann@alpha.test/{resource}", [])
    assert "ann@alpha.test/one" not in feeds and "ann@alpha.test/three" in feeds
    assert len(feeds) == 2
    feeds.subscribe("ben@beta.test/b", [])
    with pytest.raises(TooManyFeeds):
        feeds.subscribe("bea@beta.test/b", [])
    feeds.subscribe("ben@beta.test/b", [])  # subscribing again replaces, never adds
    assert len(feeds) == 3
