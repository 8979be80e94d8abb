"""The Alembic migrations build exactly the schema the models declare, and take it down again."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import CheckConstraint, Connection, inspect, select, text

from refdesk.db import create_engine, migrate
from refdesk.db.models import Base, Chat, ChatCoop
from refdesk.db.stores.faqsearch import FTS_TABLES, PG_COLUMN, PG_INDEX

MODEL_TABLES = set(Base.metadata.tables)


async def _inspect(url: str, look: Any) -> Any:
    """Run `look(connection)` on a sync connection to the database at `url`."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(look)
    finally:
        await engine.dispose()


def _tables(connection: Connection) -> set[str]:
    # FTS5's search table and its shadow tables (SQLite) are the database's, not models.
    return set(inspect(connection).get_table_names()) - {"alembic_version", *FTS_TABLES}


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection,
        opts={"compare_type": True, "compare_server_default": migrate.compare_server_default,
              "include_name": migrate.include_name},
    )
    return list(compare_metadata(context, Base.metadata))


def _check_constraints(connection: Connection) -> set[tuple[str, str | None]]:
    inspector = inspect(connection)
    return {
        (table, check["name"])
        for table in inspector.get_table_names()
        for check in inspector.get_check_constraints(table)
    }


async def test_upgrade_to_head_creates_every_model_table(db_url: str) -> None:
    assert await migrate.current(db_url) is None

    await migrate.upgrade(db_url)

    assert await _inspect(db_url, _tables) == MODEL_TABLES
    assert await migrate.current(db_url) == migrate.head()


async def test_migrated_schema_matches_the_models(db_url: str) -> None:
    await migrate.upgrade(db_url)

    assert await _inspect(db_url, _differences) == []


async def test_migration_creates_the_models_check_constraints(db_url: str) -> None:
    # compare_metadata ignores CHECK constraints, and the model tests rely on them.
    declared = {
        (table.name, constraint.name)
        for table in Base.metadata.tables.values()
        for constraint in table.constraints
        if isinstance(constraint, CheckConstraint)
    }
    await migrate.upgrade(db_url)

    assert await _inspect(db_url, _check_constraints) == declared
    assert len(declared) == 8


async def test_downgrade_to_base_removes_everything_and_upgrade_works_again(db_url: str) -> None:
    await migrate.upgrade(db_url)

    await migrate.downgrade(db_url, "base")

    assert await _inspect(db_url, _tables) == set()
    assert await migrate.current(db_url) is None

    await migrate.upgrade(db_url)

    assert await _inspect(db_url, _tables) == MODEL_TABLES
    assert await _inspect(db_url, _differences) == []


async def test_upgrade_at_head_changes_nothing(db_url: str) -> None:
    await migrate.upgrade(db_url)

    await migrate.upgrade(db_url)

    assert await migrate.current(db_url) == migrate.head()


async def test_upgrade_keeps_existing_chats_with_an_empty_routing_plan(db_url: str) -> None:
    await migrate.upgrade(db_url, "0001")
    engine = create_engine(db_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(
                "INSERT INTO institution (id, domain, name, kind)"
                " VALUES (1, 'alpha.test', 'Alpha', 'academic')"))
            await connection.execute(text(
                "INSERT INTO widget (id, institution_id, name, fallback_s, allowed_origins)"
                " VALUES ('w', 1, 'Ask', 30, '[]')"))
            await connection.execute(text(
                "INSERT INTO chat (id, widget_id, institution_id, patron_jid, question, state,"
                " created_at, followup) VALUES ('c1', 'w', 1, 'p@guest.alpha.test', 'Hi?',"
                " 'waiting', CURRENT_TIMESTAMP, false)"))
        await migrate.upgrade(db_url)
        async with engine.connect() as connection:
            row = (await connection.execute(
                select(Chat.routing, Chat.last_seq).where(Chat.id == "c1"))).one()
    finally:
        await engine.dispose()
    assert tuple(row) == ({}, 0)


async def _execute(db_url: str, *statements: str) -> None:
    engine = create_engine(db_url)
    try:
        async with engine.begin() as connection:
            for statement in statements:
                await connection.execute(text(statement))
    finally:
        await engine.dispose()


ALPHA_CHAT = (
    ("INSERT INTO institution (id, domain, name, kind) VALUES (1, 'alpha.test', 'Alpha',"
    " 'academic')"),
    ("INSERT INTO widget (id, institution_id, name, fallback_s, allowed_origins)"
    " VALUES ('w', 1, 'Ask', 30, '[]')"),
    ("INSERT INTO chat (id, widget_id, institution_id, patron_jid, question, state, created_at,"
    " followup, routing) VALUES ('c1', 'w', 1, 'p@guest.alpha.test', 'Hi?', 'ended',"
    " CURRENT_TIMESTAMP, false, '{\"offers\": [[\"r@conference.coop.test\", true, \"coop-247\","
    " true, null], [\"ann@alpha.test\", false, null, true, null]]}')"),
)


async def test_upgrade_records_the_coops_an_earlier_chat_was_offered_to(db_url: str) -> None:
    await migrate.upgrade(db_url, "0007")
    await _execute(db_url, *ALPHA_CHAT)

    await migrate.upgrade(db_url)

    engine = create_engine(db_url)
    try:
        async with engine.connect() as connection:
            rows = (await connection.execute(select(ChatCoop.chat_id, ChatCoop.coop_id))).all()
    finally:
        await engine.dispose()
    assert [tuple(row) for row in rows] == [("c1", "coop-247")]


async def test_downgrade_below_referrals_drops_the_tickets_that_have_no_chat(db_url: str) -> None:
    await migrate.upgrade(db_url)
    await _execute(db_url, *ALPHA_CHAT,
                   "INSERT INTO followup_ticket (chat_id, institution_id, opened_at, state)"
                   " VALUES ('c1', 1, CURRENT_TIMESTAMP, 'open')",
                   "INSERT INTO followup_ticket (chat_id, institution_id, opened_at, state,"
                   " question, referred_from) VALUES (NULL, 1, CURRENT_TIMESTAMP, 'open',"
                   " 'Referred?', 'beta.test')")

    await migrate.downgrade(db_url, "0007")

    engine = create_engine(db_url)
    try:
        async with engine.connect() as connection:
            chats = (await connection.execute(text("SELECT chat_id FROM followup_ticket"))).all()
    finally:
        await engine.dispose()
    assert [tuple(row) for row in chats] == [("c1",)]


def _search_objects(connection: Connection) -> set[str]:
    inspector = inspect(connection)
    tables = set(inspector.get_table_names()) & FTS_TABLES
    if not inspector.has_table("faq"):
        return tables
    indexes = {index["name"] for index in inspector.get_indexes("faq")}
    columns = {column["name"] for column in inspector.get_columns("faq")}
    return tables | ({PG_INDEX, PG_COLUMN} & (indexes | columns))


async def test_the_faq_search_index_comes_and_goes_with_its_migration(db_url: str) -> None:
    await migrate.upgrade(db_url)
    expected = FTS_TABLES if db_url.startswith("sqlite") else {PG_INDEX, PG_COLUMN}

    assert await _inspect(db_url, _search_objects) == expected
    await migrate.downgrade(db_url, "0009")
    assert await _inspect(db_url, _search_objects) == set()


IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15"
          " (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1")


async def test_upgrade_gives_earlier_chats_their_page_and_browser(db_url: str) -> None:
    await migrate.upgrade(db_url, "0010")
    await _execute(
        db_url, *ALPHA_CHAT,
        "UPDATE chat SET referrer = 'https://lib.example/ask?q=secret#x',"
        f" user_agent = '{IPHONE}' WHERE id = 'c1'",
        "INSERT INTO chat (id, widget_id, institution_id, patron_jid, question, state,"
        " created_at, followup, referrer) VALUES ('c2', 'w', 1, 'p@guest.alpha.test', 'Hi?',"
        " 'ended', CURRENT_TIMESTAMP, false, 'javascript:alert(1)')")

    await migrate.upgrade(db_url)

    engine = create_engine(db_url)
    try:
        async with engine.connect() as connection:
            rows = (await connection.execute(
                select(Chat.id, Chat.source, Chat.browser, Chat.os, Chat.device)
                .order_by(Chat.id))).all()
    finally:
        await engine.dispose()
    assert [tuple(row) for row in rows] == [
        ("c1", "https://lib.example/ask", "Mobile Safari", "iOS", "iPhone"),
        ("c2", None, None, None, None)]
