"""Create the initial schema: institutions, co-ops, operators, departments, widgets, chats.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Storage types, frozen here rather than imported so this revision never changes meaning.
# Enums are plain strings: the values live in refdesk.db.models, not in the database.
ENUM = sa.String(length=32)
JID = sa.String(length=3071)
DOMAIN = sa.String(length=1023)
SLUG = sa.String(length=64)
NAME = sa.String(length=255)
INSTANT = sa.DateTime(timezone=True)

TARGET_MATCHES_KIND = (
    "(kind = 'department' AND department_id IS NOT NULL"
    " AND operator_jid IS NULL AND coop_id IS NULL)"
    " OR (kind = 'operator' AND operator_jid IS NOT NULL"
    " AND department_id IS NULL AND coop_id IS NULL)"
    " OR (kind = 'coop' AND coop_id IS NOT NULL"
    " AND department_id IS NULL AND operator_jid IS NULL)"
)


def upgrade() -> None:
    _create_directory()
    _create_widgets()
    _create_chats()


def downgrade() -> None:
    for table in ("transcript_line", "chat", "widget_target", "widget", "coop_account",
                  "user_account", "department", "membership", "institution", "coop"):
        op.drop_table(table)


def _create_directory() -> None:
    """Who is who: institutions, co-ops, memberships, operators, departments."""
    op.create_table(
        "institution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("domain", DOMAIN, nullable=False),
        sa.Column("name", NAME, nullable=False),
        sa.Column("kind", ENUM, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_institution")),
        sa.UniqueConstraint("domain", name=op.f("uq_institution_domain")),
    )
    op.create_table(
        "coop",
        sa.Column("id", SLUG, nullable=False),
        sa.Column("name", NAME, nullable=False),
        sa.Column("kind", ENUM, nullable=False),
        sa.Column("host_domain", DOMAIN, nullable=False),
        sa.Column("room", JID, nullable=False),
        sa.Column("component", JID, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coop")),
    )
    op.create_table(
        "membership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coop_id", SLUG, nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("contributing", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["coop_id"], ["coop.id"],
                                name=op.f("fk_membership_coop_id_coop"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["institution_id"], ["institution.id"],
                                name=op.f("fk_membership_institution_id_institution"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership")),
        sa.UniqueConstraint("coop_id", "institution_id",
                            name=op.f("uq_membership_coop_id_institution_id")),
    )
    op.create_index(op.f("ix_membership_institution_id"), "membership", ["institution_id"])
    _create_operators()
    op.create_table(
        "department",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("name", NAME, nullable=False),
        sa.Column("room", JID, nullable=False),
        sa.ForeignKeyConstraint(["institution_id"], ["institution.id"],
                                name=op.f("fk_department_institution_id_institution"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_department")),
        sa.UniqueConstraint("institution_id", "name",
                            name=op.f("uq_department_institution_id_name")),
    )


def _create_operators() -> None:
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("jid", JID, nullable=False),
        sa.Column("name", NAME, nullable=False),
        sa.Column("nick", NAME, nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("local_admin", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("chat_enabled", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.ForeignKeyConstraint(["institution_id"], ["institution.id"],
                                name=op.f("fk_user_account_institution_id_institution"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("jid", name=op.f("uq_user_account_jid")),
    )
    op.create_index(op.f("ix_user_account_institution_id"), "user_account", ["institution_id"])
    op.create_table(
        "coop_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("coop_id", SLUG, nullable=False),
        sa.Column("level", ENUM, server_default="regular", nullable=False),
        sa.ForeignKeyConstraint(["coop_id"], ["coop.id"],
                                name=op.f("fk_coop_account_coop_id_coop"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"],
                                name=op.f("fk_coop_account_user_id_user_account"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coop_account")),
        sa.UniqueConstraint("user_id", "coop_id", name=op.f("uq_coop_account_user_id_coop_id")),
    )
    op.create_index(op.f("ix_coop_account_coop_id"), "coop_account", ["coop_id"])


def _create_widgets() -> None:
    """Widgets and their ordered routing lists."""
    op.create_table(
        "widget",
        sa.Column("id", SLUG, nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("name", NAME, nullable=False),
        sa.Column("fallback_s", sa.Integer(), server_default=sa.text("30"), nullable=False),
        sa.Column("allowed_origins", sa.JSON(), nullable=False),
        sa.CheckConstraint("fallback_s >= 0", name=op.f("ck_widget_fallback_s_not_negative")),
        sa.ForeignKeyConstraint(["institution_id"], ["institution.id"],
                                name=op.f("fk_widget_institution_id_institution"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_widget")),
    )
    op.create_index(op.f("ix_widget_institution_id"), "widget", ["institution_id"])
    op.create_table(
        "widget_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("widget_id", SLUG, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", ENUM, nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("operator_jid", JID, nullable=True),
        sa.Column("coop_id", SLUG, nullable=True),
        sa.CheckConstraint(TARGET_MATCHES_KIND, name=op.f("ck_widget_target_matches_kind")),
        sa.ForeignKeyConstraint(["widget_id"], ["widget.id"],
                                name=op.f("fk_widget_target_widget_id_widget"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["department_id"], ["department.id"],
                                name=op.f("fk_widget_target_department_id_department"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["coop_id"], ["coop.id"],
                                name=op.f("fk_widget_target_coop_id_coop"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_widget_target")),
        sa.UniqueConstraint("widget_id", "position",
                            name=op.f("uq_widget_target_widget_id_position")),
    )


def _create_chats() -> None:
    """Patron chats and their transcripts."""
    op.create_table(
        "chat",
        sa.Column("id", SLUG, nullable=False),
        sa.Column("widget_id", SLUG, nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("patron_jid", JID, nullable=False),
        sa.Column("patron_name", NAME, nullable=True),
        sa.Column("patron_email", sa.String(length=320), nullable=True),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("referrer", sa.Text(), nullable=True),
        sa.Column("user_agent", sa.Text(), nullable=True),
        sa.Column("state", ENUM, server_default="waiting", nullable=False),
        sa.Column("created_at", INSTANT, nullable=False),
        sa.Column("claimed_at", INSTANT, nullable=True),
        sa.Column("claimed_by", JID, nullable=True),
        sa.Column("claimed_nick", NAME, nullable=True),
        sa.Column("claimed_institution", DOMAIN, nullable=True),
        sa.Column("ended_at", INSTANT, nullable=True),
        sa.Column("ended_by", ENUM, nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("followup", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name=op.f("ck_chat_rating_range")),
        sa.ForeignKeyConstraint(["widget_id"], ["widget.id"],
                                name=op.f("fk_chat_widget_id_widget")),
        sa.ForeignKeyConstraint(["institution_id"], ["institution.id"],
                                name=op.f("fk_chat_institution_id_institution")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat")),
    )
    for column in ("widget_id", "institution_id", "state", "created_at"):
        op.create_index(op.f(f"ix_chat_{column}"), "chat", [column])
    op.create_table(
        "transcript_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", SLUG, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", INSTANT, nullable=False),
        sa.Column("sender", ENUM, nullable=False),
        sa.Column("sender_jid", JID, nullable=True),
        sa.Column("nick", NAME, nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["chat_id"], ["chat.id"],
                                name=op.f("fk_transcript_line_chat_id_chat"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transcript_line")),
        sa.UniqueConstraint("chat_id", "seq", name=op.f("uq_transcript_line_chat_id_seq")),
    )
