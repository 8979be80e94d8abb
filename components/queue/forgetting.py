"""A widget that keeps no transcript (Widget.keep_transcript off): the chat runs as ever
(relay, resume and supervision read its lines while it runs), and when it finishes, after the
co-op's summary was taken from it, its lines and the patron's details are dropped
(PrivacyStore.forget). The patron's address goes with the rating, or with the archive's next
retention run once the rating window is over."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from refdesk.db.stores.chats import ChatRecord
from refdesk.db.stores.directory import Directory
from refdesk.db.stores.privacy import PrivacyStore


class Forgetting:
    """A `Desk.finished` step: calls `then` (the summaries), then forgets what the chat's
    widget does not keep."""

    def __init__(self, store: PrivacyStore, directory: Callable[[], Directory],
                 spawn: Callable[[Awaitable[None]], None],
                 then: Callable[[ChatRecord], None]) -> None:
        self.store, self._directory, self._spawn, self._then = store, directory, spawn, then

    def __call__(self, chat: ChatRecord) -> None:
        self._then(chat)
        widget = self._directory().widgets.get(chat.widget_id)
        if chat.ended_at is not None and widget is not None and not widget.keep_transcript:
            self._spawn(self.store.forget(chat.id))
