"""The transcript store: searched by every filter, newest first, paged by cursor, limited to
what the reader may see; lines edited, chats deleted, feedback left and replaced."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.db.models import (
    Chat,
    ChatCoop,
    ChatState,
    Institution,
    InstitutionKind,
    Sender,
    TranscriptLine,
    Widget,
)
from refdesk.db.stores.transcripts import Paging, Search, TranscriptStore, Visibility
from refdesk.errors import Conflict, InvalidInput, NotFound

DAY0 = datetime(2026, 3, 1, 9, tzinfo=UTC)
EVERYTHING = Visibility(everything=True)
# id, day, widget, (librarian, institution), co-ops, rating, question, a line
CHATS = [
    ("c1", 0, "main", ("ann@alpha.test", "alpha.test"), (), 5, "Opening hours?", "Nine to five"),
    ("c2", 1, "main", ("ben@beta.test", "beta.test"), ("coop-local",), 3, "Renew a book",
     "Use the catalogue"),
    ("c3", 2, "science", ("gil@gamma.test", "gamma.test"), ("coop-local", "coop-247"), 1,
     "Peer-reviewed 100% sources", "Try the Databases page"),
    ("c4", 3, "main", ("ben@beta.test", "beta.test"), ("coop-247",), None, "Citation style",
     "APA or MLA_style"),
    ("c5", 4, "main", (None, None), ("coop-247",), None, "Nobody came", "…"),
]


@pytest.fixture
async def store(sessions: async_sessionmaker[AsyncSession]) -> TranscriptStore:
    async with sessions() as session, session.begin():
        alpha = Institution(domain="alpha.test", name="Alpha", kind=InstitutionKind.ACADEMIC)
        session.add(alpha)
        await session.flush()
        session.add_all([Widget(id="main", institution_id=alpha.id, name="Ask Alpha"),
                         Widget(id="science", institution_id=alpha.id, name="Ask Science")])
        for chat_id, day, widget, (librarian, institution), coops, rating, question, line in CHATS:
            session.add(_chat(alpha.id, chat_id, day, widget, librarian, institution, rating,
                              question, line, coops))
    return TranscriptStore(sessions)


def _chat(institution_id: int, chat_id: str, day: int, widget: str, librarian: str | None,
          institution: str | None, rating: int | None, question: str, line: str,
          coops: tuple[str, ...]) -> Chat:
    at = DAY0 + timedelta(days=day)
    chat = Chat(id=chat_id, widget_id=widget, institution_id=institution_id,
                patron_jid=f"{chat_id}@guest.alpha.test/web", patron_name="Pat",
                question=question, created_at=at, claimed_by=librarian,
                claimed_institution=institution, claimed_nick=librarian and "Nick",
                state=ChatState.ENDED if librarian else ChatState.CANCELLED, rating=rating,
                last_seq=2)
    chat.transcript = [
        TranscriptLine(seq=1, at=at, sender=Sender.PATRON, nick="Pat", body=question),
        TranscriptLine(seq=2, at=at, sender=Sender.OPERATOR, nick="Nick", body=line)]
    chat.coops = [ChatCoop(coop_id=coop) for coop in coops]
    return chat


async def _ids(store: TranscriptStore, visible: Visibility = EVERYTHING,
               search: Search | None = None) -> list[str]:
    page = await store.search(visible, search or Search(), Paging(max=50))
    assert page.count == len(page.items)
    return [item.id for item in page.items]


@pytest.mark.parametrize(("search", "expected"), [
    (Search(), ["c5", "c4", "c3", "c2", "c1"]),
    (Search(start=DAY0 + timedelta(days=1), end=DAY0 + timedelta(days=3)), ["c3", "c2"]),
    (Search(librarian="ben@beta.test"), ["c4", "c2"]),
    (Search(institution="gamma.test"), ["c3"]),
    (Search(widget="science"), ["c3"]),
    (Search(coop="coop-local"), ["c3", "c2"]),
    (Search(rating=5), ["c1"]),
    (Search(text="RENEW"), ["c2"]),             # the question, any case
    (Search(text="databases"), ["c3"]),         # a line
    (Search(text="100%"), ["c3"]),              # LIKE's wildcards are plain text
    (Search(text="a_s"), ["c4"]),
    (Search(coop="coop-247", librarian="ben@beta.test"), ["c4"]),
])
async def test_a_search_narrows_by_each_filter_newest_first(
        store: TranscriptStore, search: Search, expected: list[str]) -> None:
    assert await _ids(store, search=search) == expected


@pytest.mark.parametrize(("visible", "expected"), [
    (Visibility(), []),
    (Visibility(answered_by="ben@beta.test"), ["c4", "c2"]),
    (Visibility(coops=frozenset({"coop-247"})), ["c5", "c4", "c3"]),
    (Visibility(answered_in=frozenset({("coop-local", "beta.test")})), ["c2"]),
    (Visibility(answered_by="ann@alpha.test",
                answered_in=frozenset({("coop-247", "gamma.test")})), ["c3", "c1"]),
])
async def test_a_reader_lists_and_counts_only_what_they_may_see(
        store: TranscriptStore, visible: Visibility, expected: list[str]) -> None:
    assert await _ids(store, visible) == expected


async def test_pages_follow_each_other_both_ways_with_the_total_count(
        store: TranscriptStore) -> None:
    first = await store.search(EVERYTHING, Search(), Paging(max=2))
    assert ([i.id for i in first.items], first.count) == (["c5", "c4"], 5)
    second = await store.search(EVERYTHING, Search(), Paging(max=2, after=first.last))
    third = await store.search(EVERYTHING, Search(), Paging(max=2, after=second.last))
    assert [i.id for i in second.items] == ["c3", "c2"]
    assert [i.id for i in third.items] == ["c1"]
    back = await store.search(EVERYTHING, Search(), Paging(max=2, before=third.first))
    assert [i.id for i in back.items] == ["c3", "c2"]
    last = await store.search(EVERYTHING, Search(), Paging(max=2, before=""))
    assert [i.id for i in last.items] == ["c2", "c1"]
    huge = await store.search(EVERYTHING, Search(), Paging(max=10_000))
    assert len(huge.items) == 5


async def test_a_forged_cursor_is_bad_input(store: TranscriptStore) -> None:
    with pytest.raises(InvalidInput):
        await store.search(EVERYTHING, Search(), Paging(after="yesterday"))


async def test_a_chat_in_full_with_its_coops_lines_and_feedback(store: TranscriptStore) -> None:
    await store.leave_feedback("c3", "ann@alpha.test", "Good sources", 4)
    await store.leave_feedback("c3", "ann@alpha.test", "Good sources, slow start", 3)
    await store.leave_feedback("c3", "amy@alpha.test", "Fine", None)
    chat = await store.get("c3")
    assert chat.summary.coops == ("coop-247", "coop-local")
    assert chat.summary.feedback == 2
    assert [line.body for line in chat.lines] == ["Peer-reviewed 100% sources",
                                                 "Try the Databases page"]
    assert [(f.author, f.text, f.rating) for f in chat.feedback] == [
        ("ann@alpha.test", "Good sources, slow start", 3), ("amy@alpha.test", "Fine", None)]
    listed = await store.search(EVERYTHING, Search(widget="science"), Paging())
    assert listed.items[0].feedback == 2


async def test_an_edited_line_says_who_and_when(store: TranscriptStore) -> None:
    await store.edit("c1", 2, "[redacted]", "ann@alpha.test")
    line = (await store.get("c1")).lines[1]
    assert (line.body, line.edited is not None) == ("[redacted]", True)
    with pytest.raises(NotFound):
        await store.edit("c1", 9, "nothing", "ann@alpha.test")


async def test_a_deleted_chat_is_gone_for_every_reader(store: TranscriptStore) -> None:
    await store.delete("c2")
    with pytest.raises(NotFound):
        await store.get("c2")
    assert "c2" not in await _ids(store, Visibility(answered_by="ben@beta.test"))
    assert await _ids(store, search=Search(text="renew")) == []
    with pytest.raises(NotFound):
        await store.delete("c2")
    with pytest.raises(NotFound):
        await store.leave_feedback("c2", "ann@alpha.test", "late", None)


async def test_a_chat_under_way_is_not_deleted_from_under_the_queue(
        store: TranscriptStore, sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session, session.begin():
        chat = _chat(1, "live", 5, "main", "ben@beta.test", "beta.test", None, "Now?", "Yes",
                     ())
        chat.state = ChatState.ACTIVE
        session.add(chat)
    with pytest.raises(Conflict):
        await store.delete("live")
    assert (await store.get("live")).summary.state == ChatState.ACTIVE


async def test_a_rating_out_of_range_is_refused(store: TranscriptStore) -> None:
    with pytest.raises(InvalidInput):
        await store.leave_feedback("c1", "ann@alpha.test", "odd", 6)
