"""Change counters, so that running processes reload set-up edited from the command line.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ENUM = sa.String(length=32)


def upgrade() -> None:
    op.create_table(
        "revision",
        sa.Column("scope", ENUM, nullable=False),
        sa.Column("number", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_revision")),
    )


def downgrade() -> None:
    op.drop_table("revision")
