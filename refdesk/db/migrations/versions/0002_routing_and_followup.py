"""Store each waiting chat's routing plan, follow-up tickets at the home library, the
message id of each transcript line, and the patron's resume token.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Storage types, frozen here rather than imported so this revision never changes meaning.
ENUM = sa.String(length=32)
JID = sa.String(length=3071)
INSTANT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "followup_ticket",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.String(length=64), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("opened_by", JID, nullable=True),
        sa.Column("opened_at", INSTANT, nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("state", ENUM, server_default="open", nullable=False),
        sa.ForeignKeyConstraint(["chat_id"], ["chat.id"], ondelete="CASCADE",
                                name=op.f("fk_followup_ticket_chat_id_chat")),
        sa.ForeignKeyConstraint(["institution_id"], ["institution.id"],
                                name=op.f("fk_followup_ticket_institution_id_institution")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followup_ticket")),
    )
    for column in ("chat_id", "institution_id"):
        op.create_index(op.f(f"ix_followup_ticket_{column}"), "followup_ticket", [column])
    with op.batch_alter_table("chat") as chat:
        chat.add_column(sa.Column("resume_token", sa.String(length=64), nullable=True))
        chat.add_column(sa.Column("last_seq", sa.Integer(), server_default="0", nullable=False))
        chat.add_column(sa.Column("routing", sa.JSON(), server_default="{}", nullable=False))
    with op.batch_alter_table("transcript_line") as line:
        line.add_column(sa.Column("message_id", sa.String(length=128), nullable=True))
        line.create_unique_constraint(
            op.f("uq_transcript_line_chat_id_message_id"), ["chat_id", "message_id"])


def downgrade() -> None:
    with op.batch_alter_table("transcript_line") as line:
        line.drop_constraint(op.f("uq_transcript_line_chat_id_message_id"), type_="unique")
        line.drop_column("message_id")
    with op.batch_alter_table("chat") as chat:
        chat.drop_column("routing")
        chat.drop_column("last_seq")
        chat.drop_column("resume_token")
    op.drop_table("followup_ticket")
