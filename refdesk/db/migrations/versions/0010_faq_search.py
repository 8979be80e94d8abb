"""The FAQs' full-text index: an FTS5 table kept by triggers on SQLite; on PostgreSQL a
stored, generated tsvector column with a GIN index (refdesk/db/stores/faqsearch.py queries
each).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# Frozen here rather than imported so this revision never changes meaning. FTS5 also indexes
# 2- and 3-letter prefixes: searches follow typing, and a short prefix then costs a lookup
# instead of a walk over every word it starts.
FTS5 = (
    ("CREATE VIRTUAL TABLE faq_fts USING fts5(question, answer, keywords, content='faq',"
     " content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='2 3')"),
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
        # Stored, not an expression index: ranking reads the vector instead of recomputing
        # it from the text of every FAQ that matches.
        op.execute(f"ALTER TABLE faq ADD COLUMN search_vector tsvector"
                   f" GENERATED ALWAYS AS ({TSVECTOR}) STORED")
        op.execute("CREATE INDEX ix_faq_search ON faq USING gin (search_vector)")


def downgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        for statement in FTS5_DOWN:
            op.execute(statement)
    else:
        op.execute("DROP INDEX ix_faq_search")
        op.execute("ALTER TABLE faq DROP COLUMN search_vector")
