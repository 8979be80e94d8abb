"""A library's requests to join co-ops and the registries' answers.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Storage types, frozen here rather than imported so this revision never changes meaning.
ENUM = sa.String(length=32)
JID = sa.String(length=3071)
INSTANT = sa.DateTime(timezone=True)
SLUG = sa.String(length=64)


def upgrade() -> None:
    op.create_table(
        "coop_link",
        sa.Column("coop_id", SLUG, nullable=False),
        sa.Column("registry_jid", JID, nullable=False),
        sa.Column("state", ENUM, nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("updated_at", INSTANT, nullable=False),
        sa.PrimaryKeyConstraint("coop_id", name=op.f("pk_coop_link")),
    )


def downgrade() -> None:
    op.drop_table("coop_link")
