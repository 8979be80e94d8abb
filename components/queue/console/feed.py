"""The Patron Chats feed: who follows this queue's list of chats, and what each must be told
when a chat changes.

A feed belongs to one full JID (one open console) and lasts until it unsubscribes, goes
unavailable, or a push to it bounces. Each feed remembers what it was last shown of each
chat, so a change pushes only what differs, and a chat it may no longer see leaves its list
(withdrawn) instead of lingering. Feeds are bounded per bare JID (the oldest of that
librarian's feeds gives way: a console that reconnected under a new resource replaces the
stale one) and in total (a new feed is refused), so that nobody grows the queue's memory.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import ClassVar

from slixmpp import JID
from slixmpp.types import ErrorConditions, ErrorTypes
from slixmpp.xmlstream import ET, tostring

from refdesk.db.stores.chats import ChatRecord
from refdesk.errors import RefdeskError

MAX_FEEDS_PER_JID = 4
MAX_FEEDS = 2000
CLOSED_STATES = frozenset({"ended", "withdrawn"})

Sees = Callable[[ChatRecord, str], bool]
"""(chat, subscriber's bare JID) -> whether the chat is in their list now."""
Render = Callable[[ChatRecord, str], ET.Element]
"""(chat, subscriber's bare JID) -> the chat as they see it."""


class TooManyFeeds(RefdeskError):
    condition: ClassVar[ErrorConditions] = "resource-constraint"
    etype: ClassVar[ErrorTypes] = "wait"


class Feeds:
    def __init__(self, sees: Sees, render: Render, per_jid: int = MAX_FEEDS_PER_JID,
                 total: int = MAX_FEEDS) -> None:
        self._sees, self._render = sees, render
        self._per_jid, self._total = per_jid, total
        self._feeds: OrderedDict[str, dict[str, str]] = OrderedDict()
        """Full JID -> chat id -> the chat as last shown to it (serialized)."""

    def __contains__(self, full_jid: str) -> bool:
        return full_jid in self._feeds

    def __len__(self) -> int:
        return len(self._feeds)

    def subscribe(self, full_jid: str, chats: list[ChatRecord]) -> list[ET.Element]:
        """Start (or restart) the feed of `full_jid`; the chats it sees now."""
        self.unsubscribe(full_jid)
        bare = JID(full_jid).bare
        mine = [jid for jid in self._feeds if JID(jid).bare == bare]
        for stale in mine[:max(0, len(mine) - self._per_jid + 1)]:
            self.unsubscribe(stale)
        if len(self._feeds) >= self._total:
            raise TooManyFeeds("Too many consoles follow this queue; try again later.")
        shown: dict[str, str] = {}
        elements = []
        for chat in chats:
            if self._sees(chat, bare):
                rendered = self._render(chat, bare)
                shown[chat.id] = tostring(rendered)
                elements.append(rendered)
        self._feeds[full_jid] = shown
        return elements

    def unsubscribe(self, full_jid: str) -> bool:
        """End the feed; whether there was one."""
        return self._feeds.pop(full_jid, None) is not None

    def changed(self, chat: ChatRecord) -> list[tuple[str, ET.Element]]:
        """(full JID, chat element) for each feed the change must reach."""
        pushes = []
        for full_jid, shown in self._feeds.items():
            element = self._view(chat, JID(full_jid).bare, shown)
            if element is not None:
                pushes.append((full_jid, element))
        return pushes

    def _view(self, chat: ChatRecord, bare: str, shown: dict[str, str]) -> ET.Element | None:
        """What this feed must be told of the chat; None when nothing."""
        if self._sees(chat, bare):
            element = self._render(chat, bare)
        elif chat.id in shown:
            element = self._render(chat, bare)
            if element.get("state") not in CLOSED_STATES:
                element.set("state", "withdrawn")  # out of their reach now: leaves the list
        else:
            return None
        text = tostring(element)
        if shown.get(chat.id) == text:
            return None
        if element.get("state") in CLOSED_STATES:
            shown.pop(chat.id, None)
        else:
            shown[chat.id] = text
        return element
