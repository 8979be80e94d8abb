"""After the chat: co-ops a chat reached, feedback, edited lines, anonymised chats, fuller
follow-up tickets (referrals, answers), transcript keeping per widget, the Quality team.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# Storage types, frozen here rather than imported so this revision never changes meaning.
JID = sa.String(length=3071)
DOMAIN = sa.String(length=1023)
INSTANT = sa.DateTime(timezone=True)
SLUG = sa.String(length=64)
ENUM = sa.String(length=32)

TICKET_COLUMNS = (
    ("question", sa.Text()), ("patron_name", sa.String(length=255)),
    ("patron_email", sa.String(length=320)), ("assigned_to", JID), ("answer", sa.Text()),
    ("answered_at", INSTANT), ("answered_by", JID), ("closed_at", INSTANT),
    ("closed_by", JID), ("referred_from", DOMAIN), ("referred_to", sa.String(length=320)),
)


def upgrade() -> None:
    _chat_coop()
    _feedback()
    _quality()
    op.add_column("chat", sa.Column("anonymised_at", INSTANT, nullable=True))
    op.add_column("transcript_line", sa.Column("edited_at", INSTANT, nullable=True))
    op.add_column("transcript_line", sa.Column("edited_by", JID, nullable=True))
    op.add_column("widget", sa.Column("keep_transcript", sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
    op.add_column("coop_account", sa.Column("quality", sa.Boolean(), nullable=False,
                                            server_default=sa.false()))
    with op.batch_alter_table("followup_ticket") as batch:
        batch.alter_column("chat_id", existing_type=SLUG, nullable=True)
        for name, kind in TICKET_COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=True))
    _backfill_chat_coops()


def _chat_coop() -> None:
    op.create_table(
        "chat_coop",
        sa.Column("chat_id", SLUG, nullable=False),
        sa.Column("coop_id", SLUG, nullable=False),
        sa.ForeignKeyConstraint(["chat_id"], ["chat.id"], ondelete="CASCADE",
                                name=op.f("fk_chat_coop_chat_id_chat")),
        sa.PrimaryKeyConstraint("chat_id", "coop_id", name=op.f("pk_chat_coop")),
    )
    op.create_index(op.f("ix_chat_coop_coop_id"), "chat_coop", ["coop_id"])


def _feedback() -> None:
    op.create_table(
        "chat_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", SLUG, nullable=False),
        sa.Column("author", JID, nullable=False),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", INSTANT, nullable=False),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name=op.f("ck_chat_feedback_rating_range")),
        sa.ForeignKeyConstraint(["chat_id"], ["chat.id"], ondelete="CASCADE",
                                name=op.f("fk_chat_feedback_chat_id_chat")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_feedback")),
        sa.UniqueConstraint("chat_id", "author", name=op.f("uq_chat_feedback_chat_id_author")),
    )
    op.create_index(op.f("ix_chat_feedback_chat_id"), "chat_feedback", ["chat_id"])


def _quality() -> None:
    op.create_table(
        "quality_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coop_id", SLUG, nullable=False),
        sa.Column("home", DOMAIN, nullable=False),
        sa.Column("chat_id", SLUG, nullable=False),
        sa.Column("librarian", JID, nullable=True),
        sa.Column("institution", DOMAIN, nullable=True),
        sa.Column("source", ENUM, nullable=False),
        sa.Column("concern", sa.Text(), nullable=True),
        sa.Column("forwarded_by", JID, nullable=True),
        sa.Column("opened_at", INSTANT, nullable=False),
        sa.Column("state", ENUM, nullable=False, server_default="open"),
        sa.Column("comments", sa.Text(), nullable=True),
        sa.Column("reviewed_by", JID, nullable=True),
        sa.Column("reviewed_at", INSTANT, nullable=True),
        sa.ForeignKeyConstraint(["coop_id"], ["coop.id"], ondelete="CASCADE",
                                name=op.f("fk_quality_case_coop_id_coop")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_case")),
        sa.UniqueConstraint("coop_id", "home", "chat_id", "source",
                            name=op.f("uq_quality_case_coop_id_home_chat_id_source")),
    )
    for column in ("coop_id", "opened_at"):
        op.create_index(op.f(f"ix_quality_case_{column}"), "quality_case", [column])
    op.create_table(
        "quality_rotation",
        sa.Column("coop_id", SLUG, nullable=False),
        sa.Column("per_library", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("per_librarian", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("every_days", sa.Integer(), nullable=False, server_default="30"),
        sa.Column("last_drawn_at", INSTANT, nullable=True),
        sa.CheckConstraint("per_library >= 0 AND per_librarian >= 0 AND every_days >= 1",
                           name=op.f("ck_quality_rotation_sane")),
        sa.ForeignKeyConstraint(["coop_id"], ["coop.id"], ondelete="CASCADE",
                                name=op.f("fk_quality_rotation_coop_id_coop")),
        sa.PrimaryKeyConstraint("coop_id", name=op.f("pk_quality_rotation")),
    )


def _backfill_chat_coops() -> None:
    """Chats from before this revision: the co-ops their routing plan still names."""
    chats = sa.table("chat", sa.column("id", SLUG), sa.column("routing", sa.JSON()))
    rows = op.get_bind().execute(sa.select(chats.c.id, chats.c.routing)).all()
    links = [{"chat_id": chat_id, "coop_id": coop}
             for chat_id, routing in rows for coop in _coops_in(routing)]
    if links:
        op.bulk_insert(sa.table("chat_coop", sa.column("chat_id", SLUG),
                                sa.column("coop_id", SLUG)), links)


def _coops_in(routing: Any) -> list[str]:
    offers = routing.get("offers", []) if isinstance(routing, dict) else []
    return list(dict.fromkeys(offer[2] for offer in offers
                              if isinstance(offer, list) and len(offer) > 2 and offer[2]))


def downgrade() -> None:
    # A question referred from another library has no chat here: the older schema cannot
    # hold it.
    op.execute("DELETE FROM followup_ticket WHERE chat_id IS NULL")
    with op.batch_alter_table("followup_ticket") as batch:
        for name, _ in reversed(TICKET_COLUMNS):
            batch.drop_column(name)
        batch.alter_column("chat_id", existing_type=SLUG, nullable=False)
    # A plain ALTER TABLE DROP COLUMN (SQLite 3.35+): batch mode would rebuild chat and widget,
    # which other tables' foreign keys point at, and SQLite enforces those keys here.
    for table, column in (("coop_account", "quality"), ("widget", "keep_transcript"),
                          ("transcript_line", "edited_by"), ("transcript_line", "edited_at"),
                          ("chat", "anonymised_at")):
        op.drop_column(table, column)
    op.drop_table("quality_rotation")
    for column in ("coop_id", "opened_at"):
        op.drop_index(op.f(f"ix_quality_case_{column}"), table_name="quality_case")
    op.drop_table("quality_case")
    op.drop_index(op.f("ix_chat_feedback_chat_id"), table_name="chat_feedback")
    op.drop_table("chat_feedback")
    op.drop_index(op.f("ix_chat_coop_coop_id"), table_name="chat_coop")
    op.drop_table("chat_coop")
