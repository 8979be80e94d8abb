"""The FAQs' full-text index: an FTS5 table kept by triggers on SQLite, a GIN text-search
index on PostgreSQL (refdesk/db/stores/faqsearch.py queries each).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# Frozen here rather than imported so this revision never changes meaning; the store's
# query repeats the PostgreSQL expression word for word, or the index goes unused.
FTS5 = (
    ("CREATE VIRTUAL TABLE faq_fts USING fts5(question, answer, keywords, content='faq',"
    " content_rowid='id', tokenize='unicode61 remove_diacritics 2')"),
    ("CREATE TRIGGER faq_fts_insert AFTER INSERT ON faq BEGIN"
    " INSERT INTO faq_fts(rowid, question, answer, keywords)"
    " VALUES (new.id, new.question, new.answer, new.keywords); END"),
    ("CREATE TRIGGER faq_fts_delete AFTER DELETE ON faq BEGIN"
    " INSERT INTO faq_fts(faq_fts, rowid, question, answer, keywords)"
    " VALUES ('delete', old.id, old.question, old.answer, old.keywords); END"),
    ("CREATE TRIGGER faq_fts_update AFTER UPDATE ON faq BEGIN"
    " INSERT INTO faq_fts(faq_fts, rowid, question, answer, keywords)"
    " VALUES ('delete', old.id, old.question, old.answer, old.keywords);"
    " INSERT INTO faq_fts(rowid, question, answer, keywords)"
    " VALUES (new.id, new.question, new.answer, new.keywords); END"),
    "INSERT INTO faq_fts(faq_fts) VALUES ('rebuild')",
)
FTS5_DOWN = ("DROP TRIGGER faq_fts_update", "DROP TRIGGER faq_fts_delete",
             "DROP TRIGGER faq_fts_insert", "DROP TABLE faq_fts")
TSVECTOR = (
    "setweight(to_tsvector('simple', question), 'A')"
    " || setweight(to_tsvector('simple', keywords), 'B')"
    " || setweight(to_tsvector('simple', answer), 'D')"
)


def upgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        for statement in FTS5:
            op.execute(statement)
    else:
        op.execute(f"CREATE INDEX ix_faq_search ON faq USING gin (({TSVECTOR}))")


def downgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        for statement in FTS5_DOWN:
            op.execute(statement)
    else:
        op.execute("DROP INDEX ix_faq_search")
