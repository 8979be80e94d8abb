"""A widget that keeps no transcript: its chat is forgotten when it finishes, after the
co-op's summary was taken, and only then; a widget that keeps transcripts is left alone."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable
from datetime import UTC, datetime
from typing import cast

from components.queue.forgetting import Forgetting
from refdesk.db.models import ChatState
from refdesk.db.stores.chats import ChatRecord
from refdesk.db.stores.directory import WidgetInfo
from refdesk.db.stores.privacy import PrivacyStore
from tests.components.queue.directory import alpha

ENDED = datetime(2026, 3, 1, tzinfo=UTC)


class FakeStore:
    def __init__(self) -> None:
        self.forgotten: list[str] = []

    async def forget(self, chat_id: str) -> None:
        self.forgotten.append(chat_id)


def _chat(widget: str, ended: datetime | None = ENDED) -> ChatRecord:
    return ChatRecord("c1", widget, "p@guest.alpha.test/w", "Pat", None, "Q?", None, None,
                      ChatState.ENDED if ended else ChatState.ACTIVE, ENDED, None, None,
                      None, None, ended, None, None, {}, None)


def _forgetting(steps: list[str]) -> tuple[Forgetting, FakeStore, list[asyncio.Future[None]]]:
    widgets = {w: WidgetInfo(w, w, 0, (), (), keep_transcript=w == "kept")
               for w in ("kept", "unkept")}
    directory = dataclasses.replace(alpha(), widgets=widgets)
    store = FakeStore()
    spawned: list[asyncio.Future[None]] = []

    def spawn(work: Awaitable[None]) -> None:
        steps.append("forget")
        spawned.append(asyncio.ensure_future(work))

    return Forgetting(cast(PrivacyStore, store), lambda: directory, spawn,
                      lambda chat: steps.append("summary")), store, spawned


async def test_an_unkept_chat_is_forgotten_after_its_summary() -> None:
    steps: list[str] = []
    forgetting, store, spawned = _forgetting(steps)
    forgetting(_chat("unkept"))
    await asyncio.gather(*spawned)
    assert steps == ["summary", "forget"] and store.forgotten == ["c1"]


async def test_a_kept_chat_or_one_still_running_is_not_forgotten() -> None:
    steps: list[str] = []
    forgetting, store, _ = _forgetting(steps)
    forgetting(_chat("kept"))
    forgetting(_chat("unkept", ended=None))
    assert steps == ["summary", "summary"] and store.forgotten == []
