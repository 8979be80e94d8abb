"""FAQ groups and FAQs on SQLite and PostgreSQL: who reads what, ranked full-text search that
follows typing and takes any input, changes searchable at once, imports all or nothing."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.db.models import Availability, Institution, InstitutionKind
from refdesk.db.stores.faqs import FaqDraft, FaqStore, ImportRow
from refdesk.errors import Conflict, InvalidInput, NotFound

A = Availability
EVERY = frozenset(Availability)
PUBLIC = frozenset({A.PUBLIC})
STAFF = frozenset({A.PUBLIC, A.STAFFING})


async def _institution(sessions: async_sessionmaker[AsyncSession], domain: str) -> int:
    async with sessions() as session, session.begin():
        home = Institution(domain=domain, name=domain, kind=InstitutionKind.ACADEMIC)
        session.add(home)
        await session.flush()
        return home.id


@pytest.fixture
async def store(sessions: async_sessionmaker[AsyncSession]) -> FaqStore:
    store = FaqStore(sessions, await _institution(sessions, "alpha.test"))
    public = await store.save_group("Borrowing", A.PUBLIC)
    staffing = await store.save_group("24/7 Staffing", A.STAFFING)
    internal = await store.save_group("Desk notes", A.INTERNAL)
    for group, question, answer, keywords in (
            (public.id, "How do I renew my books?", ("Sign in to your account and choose "
             "Renew."), "loans"),
            (public.id, "Can I use databases off campus?", ("Yes: sign in through the proxy "
             "to renew your session."), ""),
            (public.id, "Where is the quiet study room?", "Third floor, east wing.", "silence"),
            (staffing.id, "Database login for co-op librarians", ("User coop, password "
             "tulip-42."), "credentials"),
            (internal.id, "Who renews the printer contract?", "Facilities.", "")):
        await store.save_faq(FaqDraft(group, question, answer, keywords), "ann@alpha.test")
    return store


async def _questions(store: FaqStore, words: str, readable: frozenset[Availability] = EVERY,
                     limit: int = 10) -> list[str]:
    return [faq.question for faq in await store.search(words, readable, limit)]


async def test_search_ranks_a_match_in_the_question_above_one_in_the_answer(
        store: FaqStore) -> None:
    assert await _questions(store, "renew", PUBLIC) == [
        "How do I renew my books?", "Can I use databases off campus?"]


async def test_a_word_being_typed_matches_by_its_prefix(store: FaqStore) -> None:
    assert await _questions(store, "quie", PUBLIC) == ["Where is the quiet study room?"]
    assert (await _questions(store, "how do I ren", PUBLIC))[0] == "How do I renew my books?"


async def test_a_single_letter_matches_nothing_on_its_own(store: FaqStore) -> None:
    # As a prefix, "i" or "a" would match nearly every FAQ: costly to rank, no help to find.
    assert await _questions(store, "i", PUBLIC) == []
    assert await _questions(store, "a b c d e", PUBLIC) == []
    assert await _questions(store, "i renew", PUBLIC) == await _questions(store, "renew", PUBLIC)


async def test_keywords_find_what_the_question_and_answer_do_not_say(store: FaqStore) -> None:
    assert await _questions(store, "silence", PUBLIC) == ["Where is the quiet study room?"]


async def test_search_looks_only_in_the_groups_the_asker_may_search(store: FaqStore) -> None:
    assert await _questions(store, "database", PUBLIC) == ["Can I use databases off campus?"]
    assert await _questions(store, "database", STAFF) == [
        "Database login for co-op librarians", "Can I use databases off campus?"]
    assert await _questions(store, "printer", STAFF) == []
    assert await _questions(store, "printer", frozenset()) == []


async def test_another_librarys_faqs_are_never_found(
        store: FaqStore, sessions: async_sessionmaker[AsyncSession]) -> None:
    beta = FaqStore(sessions, await _institution(sessions, "beta.test"))
    group = await beta.save_group("Borrowing", A.PUBLIC)
    await beta.save_faq(FaqDraft(group.id, "Renew a laptop?", "At the desk."), None)

    assert await _questions(store, "renew laptop", PUBLIC) == [
        "How do I renew my books?", "Can I use databases off campus?"]
    assert await _questions(beta, "renew", EVERY) == ["Renew a laptop?"]


@pytest.mark.parametrize("hostile", [
    '"', '""', '"renew', "renew*", "*", "NEAR(renew books)", "renew NEAR books", "-renew",
    "renew -books", "renew OR", "AND", "NOT renew", "question:renew", "^renew", "'renew'",
    "renew:*", "!renew & | ( )", "\\", "%_", "ré", "\u0000", "😀", "\u200b", "   ",
    "a" * 300, "renew " * 100, "e\u0301", "(", ")", "{question}: renew",
])
async def test_any_input_is_plain_words_and_never_a_database_error(
        store: FaqStore, hostile: str) -> None:
    found = await store.search(hostile, EVERY, 10)
    scanned = await store.scan(hostile, EVERY, 10)

    assert len(found) <= 10 and len(scanned) <= 10


async def test_hostile_input_still_finds_its_words(store: FaqStore) -> None:
    assert await _questions(store, 'NEAR("quiet*" -room', PUBLIC) == [
        "Where is the quiet study room?"]
    assert await _questions(store, "QUIET", PUBLIC) == ["Where is the quiet study room?"]


async def test_words_outside_ascii_are_found_as_typed(store: FaqStore) -> None:
    group = (await store.groups(PUBLIC))[0]
    await store.save_faq(FaqDraft(group.id, "Où est la bibliothèque?", "Ici."), None)

    assert await _questions(store, "BIBLIOTHÈ", PUBLIC) == ["Où est la bibliothèque?"]
    # Decomposed (e + combining accent) as some keyboards send it.
    assert await _questions(store, "bibliothe\u0300que", PUBLIC) == ["Où est la bibliothèque?"]


async def test_a_change_is_searchable_at_once_and_a_deleted_faq_is_gone(
        store: FaqStore) -> None:
    [faq] = await store.search("quiet", PUBLIC, 10)
    await store.save_faq(FaqDraft(faq.group_id, "Where can I print?", "Level 2.", "",
                                  faq.id), "ann@alpha.test")

    assert await _questions(store, "quiet", PUBLIC) == []
    assert await _questions(store, "print", PUBLIC) == ["Where can I print?"]
    await store.delete_faq(faq.id)
    assert await _questions(store, "print", PUBLIC) == []
    with pytest.raises(NotFound):
        await store.faq(faq.id, EVERY)


async def test_the_limit_caps_the_results(store: FaqStore) -> None:
    assert len(await store.search("renew", EVERY, 1)) == 1


async def test_the_like_scan_finds_the_same_faqs_unranked(store: FaqStore) -> None:
    assert sorted(f.question for f in await store.scan("renew", PUBLIC, 10)) == [
        "Can I use databases off campus?", "How do I renew my books?"]


async def test_groups_are_listed_by_availability_with_counts(store: FaqStore) -> None:
    listed = [(g.name, g.availability, g.count) for g in await store.groups(STAFF)]

    assert listed == [("24/7 Staffing", A.STAFFING, 1), ("Borrowing", A.PUBLIC, 3)]


async def test_a_groups_faqs_are_read_a_page_at_a_time_with_the_groups_count(
        store: FaqStore) -> None:
    borrowing = next(g for g in await store.groups(EVERY) if g.name == "Borrowing")
    first = await store.faqs(borrowing.id, PUBLIC, limit=2)
    rest = await store.faqs(borrowing.id, PUBLIC, after=first.faqs[-1].id, limit=2)

    assert (first.total, rest.total) == (3, 3)
    assert [f.question for f in first.faqs + rest.faqs] == [
        "How do I renew my books?", "Can I use databases off campus?",
        "Where is the quiet study room?"]


async def test_a_group_or_faq_the_asker_may_not_read_is_not_found(store: FaqStore) -> None:
    staffing = next(g for g in await store.groups(EVERY) if g.availability == A.STAFFING)
    [secret] = (await store.faqs(staffing.id, EVERY)).faqs

    with pytest.raises(NotFound, match="no such FAQ group"):
        await store.faqs(staffing.id, PUBLIC)
    with pytest.raises(NotFound, match="no such FAQ"):
        await store.faq(secret.id, PUBLIC)
    with pytest.raises(NotFound, match="no such FAQ group"):
        await store.faqs(99_999, EVERY)
    assert (await store.faq(secret.id, STAFF)).answer == "User coop, password tulip-42."


async def test_a_second_staffing_group_or_a_taken_name_is_a_conflict(store: FaqStore) -> None:
    with pytest.raises(Conflict, match="one per library"):
        await store.save_group("Night staffing", A.STAFFING)
    with pytest.raises(Conflict, match="already has a group named"):
        await store.save_group("Borrowing", A.HIDDEN)
    public = next(g for g in await store.groups(EVERY) if g.name == "Borrowing")
    with pytest.raises(Conflict, match="one per library"):
        await store.save_group("Borrowing", A.STAFFING, public.id)


async def test_a_group_is_renamed_and_its_availability_changed(store: FaqStore) -> None:
    public = next(g for g in await store.groups(EVERY) if g.name == "Borrowing")

    hidden = await store.save_group("Loans", A.HIDDEN, public.id)

    assert (hidden.name, hidden.availability, hidden.count) == ("Loans", A.HIDDEN, 3)
    assert await _questions(store, "renew", PUBLIC) == []


async def test_deleting_a_group_deletes_its_faqs(store: FaqStore) -> None:
    public = next(g for g in await store.groups(EVERY) if g.name == "Borrowing")

    await store.delete_group(public.id)

    assert await _questions(store, "renew", EVERY) == ["Who renews the printer contract?"]
    with pytest.raises(NotFound):
        await store.delete_group(public.id)


async def test_an_import_adds_every_row_making_groups_as_needed(store: FaqStore) -> None:
    imported = await store.import_rows([
        ImportRow(2, "Borrowing", A.PUBLIC, "Lost a book?", "Tell the desk."),
        ImportRow(3, "Archives", A.HIDDEN, "Old maps?", "Ask.", "cartography"),
    ], "ann@alpha.test")

    assert (imported.faqs, imported.groups) == (2, 1)
    assert await _questions(store, "lost", PUBLIC) == ["Lost a book?"]
    assert ("Archives", A.HIDDEN, "Old maps?", "cartography") in [
        (f.group_name, f.availability, f.question, f.keywords) for f in await store.export()]


@pytest.mark.parametrize(("row", "message"), [
    (ImportRow(3, "Borrowing", A.INTERNAL, "Q?", "A."), ("Line 3: the group 'Borrowing' is "
     "public, not internal")),
    (ImportRow(3, "Night desk", A.STAFFING, "Q?", "A."), "Line 3: .* 24/7 Staffing"),
])
async def test_a_bad_row_refuses_the_whole_import_naming_its_line(
        store: FaqStore, row: ImportRow, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        await store.import_rows([ImportRow(2, "New", A.PUBLIC, "Lost a book?", "Desk."), row],
                                None)

    assert [g.name for g in await store.groups(EVERY)] == [
        "24/7 Staffing", "Borrowing", "Desk notes"]
    assert await _questions(store, "lost", EVERY) == []
