"""A block can be lifted: when, and by which admin (the record and its reason stay).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Storage types, frozen here rather than imported so this revision never changes meaning.
JID = sa.String(length=3071)
INSTANT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("patron_block", sa.Column("lifted_at", INSTANT, nullable=True))
    op.add_column("patron_block", sa.Column("lifted_by", JID, nullable=True))


def downgrade() -> None:
    # SQLite drops a column only by rebuilding the table: batch mode does that, and is a
    # plain ALTER TABLE on PostgreSQL.
    with op.batch_alter_table("patron_block") as batch:
        batch.drop_column("lifted_by")
        batch.drop_column("lifted_at")
