"""Blocked patrons (session, hashed address, until, reason); internal notes need no column.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Storage types, frozen here rather than imported so this revision never changes meaning.
JID = sa.String(length=3071)
INSTANT = sa.DateTime(timezone=True)
SLUG = sa.String(length=64)


def upgrade() -> None:
    op.create_table(
        "patron_block",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", SLUG, nullable=True),
        sa.Column("patron_jid", JID, nullable=False),
        sa.Column("address_key", sa.String(length=64), nullable=True),
        sa.Column("until", INSTANT, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("blocked_by", JID, nullable=False),
        sa.Column("created_at", INSTANT, nullable=False),
        sa.ForeignKeyConstraint(["chat_id"], ["chat.id"], ondelete="SET NULL",
                                name=op.f("fk_patron_block_chat_id_chat")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patron_block")),
    )
    for column in ("chat_id", "patron_jid", "address_key", "until"):
        op.create_index(op.f(f"ix_patron_block_{column}"), "patron_block", [column])


def downgrade() -> None:
    for column in ("chat_id", "patron_jid", "address_key", "until"):
        op.drop_index(op.f(f"ix_patron_block_{column}"), table_name="patron_block")
    op.drop_table("patron_block")
