"""The co-op registry's own records: a co-op's audience (academic, public or mixed),
invitations to libraries, monitoring sessions and content-free summaries of co-op chats.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Storage types, frozen here rather than imported so this revision never changes meaning.
ENUM = sa.String(length=32)
JID = sa.String(length=3071)
DOMAIN = sa.String(length=1023)
INSTANT = sa.DateTime(timezone=True)
SLUG = sa.String(length=64)


def _coop_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["coop_id"], ["coop.id"], ondelete="CASCADE",
                                   name=op.f(f"fk_{table}_coop_id_coop"))


def upgrade() -> None:
    with op.batch_alter_table("coop") as coop:
        coop.add_column(sa.Column("audience", ENUM, server_default="mixed", nullable=False))
    op.create_table(
        "coop_invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coop_id", SLUG, nullable=False),
        sa.Column("domain", DOMAIN, nullable=False),
        sa.Column("contributing", sa.Boolean(), nullable=False),
        sa.Column("invited_at", INSTANT, nullable=False),
        sa.Column("accepted_at", INSTANT, nullable=True),
        _coop_fk("coop_invitation"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coop_invitation")),
        sa.UniqueConstraint("coop_id", "domain", name=op.f("uq_coop_invitation_coop_id_domain")),
    )
    op.create_table(
        "monitoring_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coop_id", SLUG, nullable=False),
        sa.Column("operator", JID, nullable=False),
        sa.Column("institution", DOMAIN, nullable=False),
        sa.Column("started_at", INSTANT, nullable=False),
        sa.Column("ended_at", INSTANT, nullable=True),
        _coop_fk("monitoring_session"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_session")),
    )
    for column in ("coop_id", "started_at"):
        op.create_index(op.f(f"ix_monitoring_session_{column}"), "monitoring_session", [column])
    op.create_table(
        "coop_chat_summary",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coop_id", SLUG, nullable=False),
        sa.Column("home", DOMAIN, nullable=False),
        sa.Column("chat_id", SLUG, nullable=False),
        sa.Column("widget_id", SLUG, nullable=False),
        sa.Column("requested_at", INSTANT, nullable=False),
        sa.Column("claimed_at", INSTANT, nullable=True),
        sa.Column("ended_at", INSTANT, nullable=False),
        sa.Column("answered_by", JID, nullable=True),
        sa.Column("answered_institution", DOMAIN, nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        _coop_fk("coop_chat_summary"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coop_chat_summary")),
        sa.UniqueConstraint("coop_id", "home", "chat_id",
                            name=op.f("uq_coop_chat_summary_coop_id_home_chat_id")),
    )
    for column in ("coop_id", "requested_at"):
        op.create_index(op.f(f"ix_coop_chat_summary_{column}"), "coop_chat_summary", [column])


def downgrade() -> None:
    op.drop_table("coop_chat_summary")
    op.drop_table("monitoring_session")
    op.drop_table("coop_invitation")
    with op.batch_alter_table("coop") as coop:
        coop.drop_column("audience")
