"""What a covering librarian needs to know: FAQ groups and FAQs, the policy page, scripted
messages; the script a transcript line sent; the co-op's policy-page age limit and each
member's last policy update at the registry.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# Storage types, frozen here rather than imported so this revision never changes meaning.
JID = sa.String(length=3071)
INSTANT = sa.DateTime(timezone=True)
ENUM = sa.String(length=32)
STAFFING_ONLY = sa.text("availability = 'staffing'")


def upgrade() -> None:
    _faq()
    _policy()
    _script()
    op.add_column("transcript_line", sa.Column("script", sa.String(length=64), nullable=True))
    op.add_column("coop", sa.Column("policy_max_age_days", sa.Integer(), nullable=False,
                                    server_default="180"))
    op.add_column("membership", sa.Column("policy_updated_at", INSTANT, nullable=True))


def _institution_key(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["institution_id"], ["institution.id"], ondelete="CASCADE",
                                   name=op.f(f"fk_{table}_institution_id_institution"))


def _faq() -> None:
    op.create_table(
        "faq_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("availability", ENUM, nullable=False),
        _institution_key("faq_group"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_faq_group")),
        sa.UniqueConstraint("institution_id", "name",
                            name=op.f("uq_faq_group_institution_id_name")),
    )
    op.create_index(op.f("ix_faq_group_institution_id"), "faq_group", ["institution_id"])
    op.create_index("uq_faq_group_staffing", "faq_group", ["institution_id"], unique=True,
                    sqlite_where=STAFFING_ONLY, postgresql_where=STAFFING_ONLY)
    op.create_table(
        "faq",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("keywords", sa.Text(), nullable=False),
        sa.Column("updated_at", INSTANT, nullable=False),
        sa.Column("updated_by", JID, nullable=True),
        sa.ForeignKeyConstraint(["group_id"], ["faq_group.id"], ondelete="CASCADE",
                                name=op.f("fk_faq_group_id_faq_group")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_faq")),
    )
    op.create_index(op.f("ix_faq_group_id"), "faq", ["group_id"])


def _policy() -> None:
    op.create_table(
        "policy_page",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", INSTANT, nullable=False),
        sa.Column("updated_by", JID, nullable=True),
        _institution_key("policy_page"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_page")),
        sa.UniqueConstraint("institution_id", name=op.f("uq_policy_page_institution_id")),
    )
    op.create_table(
        "policy_entry",
        sa.Column("page_id", sa.Integer(), nullable=False),
        sa.Column("field", ENUM, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["page_id"], ["policy_page.id"], ondelete="CASCADE",
                                name=op.f("fk_policy_entry_page_id_policy_page")),
        sa.PrimaryKeyConstraint("page_id", "field", name=op.f("pk_policy_entry")),
    )


def _script() -> None:
    op.create_table(
        "script",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", INSTANT, nullable=False),
        sa.Column("updated_by", JID, nullable=True),
        _institution_key("script"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_script")),
        sa.UniqueConstraint("institution_id", "name", name=op.f("uq_script_institution_id_name")),
    )
    op.create_index(op.f("ix_script_institution_id"), "script", ["institution_id"])


def downgrade() -> None:
    # A plain ALTER TABLE DROP COLUMN (SQLite 3.35+): batch mode would rebuild tables that
    # other tables' foreign keys point at, and SQLite enforces those keys here.
    for table, column in (("membership", "policy_updated_at"), ("coop", "policy_max_age_days"),
                          ("transcript_line", "script")):
        op.drop_column(table, column)
    op.drop_index(op.f("ix_script_institution_id"), table_name="script")
    op.drop_table("script")
    op.drop_table("policy_entry")
    op.drop_table("policy_page")
    op.drop_index(op.f("ix_faq_group_id"), table_name="faq")
    op.drop_table("faq")
    op.drop_index("uq_faq_group_staffing", table_name="faq_group")
    op.drop_index(op.f("ix_faq_group_institution_id"), table_name="faq_group")
    op.drop_table("faq_group")
