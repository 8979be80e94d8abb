"""The queue's side of its library's co-ops: each registry's word followed live
(components.queue.coopfeed), the library's users' chat access reported to the registries
(components.queue.chataccess), and requests to join carried to them
(components.queue.joining). The queue starts it with the co-ops its directory lists, and
tells it whenever the directory changed."""

from __future__ import annotations

from collections.abc import Iterable

from slixmpp import ComponentXMPP
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from components.queue.chataccess import ChatAccessReport
from components.queue.coopfeed import Applied, CoopFeed
from components.queue.joining import Joining
from refdesk.db.stores.chataccess import ChatAccessStore
from refdesk.db.stores.directory import CoopInfo
from refdesk.settings.model import LibrarySettings


class CoopLinks:
    def __init__(self, xmpp: ComponentXMPP, sessions: async_sessionmaker[AsyncSession],
                 library: LibrarySettings, published: Applied) -> None:
        self.chat_access = ChatAccessReport(xmpp, ChatAccessStore(sessions), library.domain,
                                            lambda: self.feed.registries)
        self.feed = CoopFeed(xmpp, published, self.chat_access.send)
        self.joining = Joining(xmpp, sessions, library)
        self.feed.listen()
        self._followed: frozenset[tuple[str, str]] = frozenset()

    def start(self, coops: Iterable[CoopInfo]) -> None:
        """A new stream: follow every co-op afresh (each first fetch reports chat access),
        and send the requests to join still unanswered."""
        self.feed.forget()
        self._follow(list(coops), again=True)
        self.joining.check()

    async def until_known(self, timeout: float) -> bool:
        return await self.feed.until_known(timeout)

    def directory_changed(self, coops: Iterable[CoopInfo]) -> None:
        """Users' chat access may have changed, a co-op been joined, a request recorded."""
        self._follow(list(coops), again=False)
        self.chat_access.report()
        self.joining.check()

    def stop(self) -> None:
        self.feed.stop()
        self.chat_access.stop()
        self.joining.close()

    def _follow(self, coops: list[CoopInfo], again: bool) -> None:
        followed = frozenset((coop.id, coop.component) for coop in coops)
        if again or followed != self._followed:
            self.feed.follow(coops)
        self._followed = followed
