"""The script store: names kept lower-case as faq.xsd's pattern says, one script per name
and library (saving again replaces), each library's scripts its own."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from refdesk.db.models import Institution, InstitutionKind
from refdesk.db.stores.scripts import ScriptStore, checked_name
from refdesk.errors import InvalidInput, NotFound


@pytest.fixture
async def libraries(sessions: async_sessionmaker[AsyncSession]) -> tuple[int, int]:
    async with sessions() as session, session.begin():
        alpha = Institution(domain="alpha.test", name="Alpha", kind=InstitutionKind.ACADEMIC)
        beta = Institution(domain="beta.test", name="Beta", kind=InstitutionKind.PUBLIC)
        session.add_all([alpha, beta])
        await session.flush()
        return alpha.id, beta.id


async def test_a_saved_script_is_listed_and_found_by_its_name_in_any_case(
        sessions: async_sessionmaker[AsyncSession], libraries: tuple[int, int]) -> None:
    alpha, _ = libraries
    store = ScriptStore(sessions)
    await store.save(alpha, "Reserves", "  Course reserves are at the front desk.  ",
                     "ann@alpha.test")
    await store.save(alpha, "homework", "We help you find sources.", None)
    assert [s.name for s in await store.list(alpha)] == ["homework", "reserves"]
    found = await store.get(alpha, "RESERVES")
    assert (found.text, found.updated_by) == ("Course reserves are at the front desk.",
                                              "ann@alpha.test")


async def test_saving_a_name_again_replaces_its_text(
        sessions: async_sessionmaker[AsyncSession], libraries: tuple[int, int]) -> None:
    alpha, _ = libraries
    store = ScriptStore(sessions)
    first = await store.save(alpha, "hours", "Open 9-5.", "ann@alpha.test")
    second = await store.save(alpha, "HOURS", "Open 8-8.", "ada@alpha.test")
    assert [(s.name, s.text) for s in await store.list(alpha)] == [("hours", "Open 8-8.")]
    assert second.updated >= first.updated and second.updated_by == "ada@alpha.test"


async def test_each_library_reads_and_deletes_only_its_own_scripts(
        sessions: async_sessionmaker[AsyncSession], libraries: tuple[int, int]) -> None:
    alpha, beta = libraries
    store = ScriptStore(sessions)
    await store.save(alpha, "homework", "Alpha's homework help.", None)
    with pytest.raises(NotFound):
        await store.get(beta, "homework")
    with pytest.raises(NotFound):
        await store.delete(beta, "homework")
    await store.delete(alpha, "homework")
    assert await store.list(alpha) == []
    with pytest.raises(NotFound):
        await store.get(alpha, "homework")


@pytest.mark.parametrize("name", ["", "two words", "-dash", "x" * 65, "café", "a/b"])
def test_a_name_that_is_not_one_short_word_is_refused(name: str) -> None:
    with pytest.raises(InvalidInput):
        checked_name(name)


async def test_an_empty_or_overlong_text_is_refused(
        sessions: async_sessionmaker[AsyncSession], libraries: tuple[int, int]) -> None:
    store = ScriptStore(sessions)
    for text in ("   ", "x" * 4001):
        with pytest.raises(InvalidInput):
            await store.save(libraries[0], "hours", text, None)
    assert await store.list(libraries[0]) == []
