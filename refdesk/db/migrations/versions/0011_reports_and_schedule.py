"""Reports and the staffing schedule: each chat's page, browser, OS and device as the reports
count them; the same in the co-op's chat summaries, with whether the co-op was offered the
chat; the co-op's time zone, hours rule, contribution target and fair offering; each member's
served figure and hours; shifts, the people on them, holidays and missed shifts.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from refdesk.useragent import origin

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# Storage types, frozen here rather than imported so this revision never changes meaning.
JID = sa.String(length=3071)
INSTANT = sa.DateTime(timezone=True)
ENUM = sa.String(length=32)
SOURCE = sa.String(length=2048)
LABEL = sa.String(length=64)
SOURCE_COLUMNS = ("source", "browser", "os", "device")
REPORT_INDEXES = (("ix_coop_chat_summary_coop_answered_by", ("answered_by",)),
                  ("ix_coop_chat_summary_coop_answered_institution", ("answered_institution",)),
                  ("ix_coop_chat_summary_coop_home", ("home",)))
BACKFILL_BATCH = 1000


def upgrade() -> None:
    for table in ("chat", "coop_chat_summary"):
        op.add_column(table, sa.Column("source", SOURCE, nullable=True))
        for column in SOURCE_COLUMNS[1:]:
            op.add_column(table, sa.Column(column, LABEL, nullable=True))
    op.add_column("coop_chat_summary", sa.Column("offered", sa.Boolean(), nullable=False,
                                                 server_default=sa.true()))
    op.create_index("ix_coop_chat_summary_coop_requested", "coop_chat_summary",
                    ["coop_id", "requested_at"])
    # Scoped reports (bench/reports.py): a Regular's, an Institution Admin's, a librarian's own.
    for name, columns in REPORT_INDEXES:
        op.create_index(name, "coop_chat_summary", ["coop_id", *columns, "requested_at"])
    op.create_index("ix_chat_claimed_by_created", "chat", ["claimed_by", "created_at"])
    for column, kind, default in (("zone", sa.String(length=64), "UTC"),
                                  ("served_per_hour", sa.Integer(), "10000"),
                                  ("contribution_target", sa.Integer(), "100"),
                                  ("fair_delay_s", sa.Integer(), "0")):
        op.add_column("coop", sa.Column(column, kind, nullable=False, server_default=default))
    op.add_column("membership", sa.Column("served", sa.Integer(), nullable=True))
    op.add_column("membership", sa.Column("hours_owed", sa.Double(), nullable=True))
    _backfill_origins()
    _schedule()


def _backfill_origins() -> None:
    """Earlier chats' page and browser, as a chat asked now gets them: in batches, so that
    a library with years of chats never holds them all in memory."""
    chat = sa.table("chat", sa.column("id", sa.String()), sa.column("referrer", sa.Text()),
                    sa.column("user_agent", sa.Text()),
                    *(sa.column(name, SOURCE if name == "source" else LABEL)
                      for name in SOURCE_COLUMNS))
    told = sa.or_(chat.c.referrer.is_not(None), chat.c.user_agent.is_not(None))
    update = (sa.update(chat).where(chat.c.id == sa.bindparam("chat_id"))
              .values({name: sa.bindparam(name) for name in SOURCE_COLUMNS}))
    bind, after = op.get_bind(), ""
    while rows := bind.execute(
            sa.select(chat.c.id, chat.c.referrer, chat.c.user_agent)
            .where(told, chat.c.id > after).order_by(chat.c.id).limit(BACKFILL_BATCH)).all():
        bind.execute(update, [{"chat_id": row.id, **vars(origin(row.referrer, row.user_agent))}
                              for row in rows])
        after = rows[-1].id


def _schedule() -> None:
    op.create_table(
        "coop_shift",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coop_id", sa.String(length=64), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("start_minute", sa.Integer(), nullable=False),
        sa.Column("end_minute", sa.Integer(), nullable=False),
        sa.CheckConstraint("weekday BETWEEN 1 AND 7", name=op.f("ck_coop_shift_weekday_range")),
        sa.CheckConstraint(
            "start_minute >= 0 AND end_minute <= 1440 AND start_minute < end_minute",
            name=op.f("ck_coop_shift_minutes_order")),
        sa.ForeignKeyConstraint(["coop_id"], ["coop.id"], ondelete="CASCADE",
                                name=op.f("fk_coop_shift_coop_id_coop")),
        sa.ForeignKeyConstraint(["institution_id"], ["institution.id"], ondelete="CASCADE",
                                name=op.f("fk_coop_shift_institution_id_institution")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coop_shift")),
    )
    op.create_index(op.f("ix_coop_shift_coop_id"), "coop_shift", ["coop_id"])
    op.create_index(op.f("ix_coop_shift_institution_id"), "coop_shift", ["institution_id"])
    op.create_table(
        "coop_shift_person",
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("jid", JID, nullable=False),
        sa.Column("role", ENUM, nullable=False),
        sa.ForeignKeyConstraint(["shift_id"], ["coop_shift.id"], ondelete="CASCADE",
                                name=op.f("fk_coop_shift_person_shift_id_coop_shift")),
        sa.PrimaryKeyConstraint("shift_id", "jid", "role", name=op.f("pk_coop_shift_person")),
    )
    op.create_table(
        "coop_holiday",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coop_id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(["coop_id"], ["coop.id"], ondelete="CASCADE",
                                name=op.f("fk_coop_holiday_coop_id_coop")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coop_holiday")),
        sa.UniqueConstraint("coop_id", "day", name=op.f("uq_coop_holiday_coop_id_day")),
    )
    op.create_index(op.f("ix_coop_holiday_coop_id"), "coop_holiday", ["coop_id"])
    op.create_table(
        "coop_missed_shift",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=255), nullable=False),
        sa.Column("recorded_by", JID, nullable=False),
        sa.Column("recorded_at", INSTANT, nullable=False),
        sa.Column("makeup_day", sa.Date(), nullable=True),
        sa.Column("makeup_start_minute", sa.Integer(), nullable=True),
        sa.Column("makeup_end_minute", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "makeup_start_minute IS NULL OR (makeup_start_minute >= 0 AND "
            "makeup_end_minute <= 1440 AND makeup_start_minute < makeup_end_minute)",
            name=op.f("ck_coop_missed_shift_makeup_order")),
        sa.ForeignKeyConstraint(["shift_id"], ["coop_shift.id"], ondelete="CASCADE",
                                name=op.f("fk_coop_missed_shift_shift_id_coop_shift")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coop_missed_shift")),
        sa.UniqueConstraint("shift_id", "day", name=op.f("uq_coop_missed_shift_shift_id_day")),
    )
    op.create_index(op.f("ix_coop_missed_shift_shift_id"), "coop_missed_shift", ["shift_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_coop_missed_shift_shift_id"), table_name="coop_missed_shift")
    op.drop_table("coop_missed_shift")
    op.drop_index(op.f("ix_coop_holiday_coop_id"), table_name="coop_holiday")
    op.drop_table("coop_holiday")
    op.drop_table("coop_shift_person")
    op.drop_index(op.f("ix_coop_shift_institution_id"), table_name="coop_shift")
    op.drop_index(op.f("ix_coop_shift_coop_id"), table_name="coop_shift")
    op.drop_table("coop_shift")
    # A plain ALTER TABLE DROP COLUMN (SQLite 3.35+), as in 0009.
    for column in ("hours_owed", "served"):
        op.drop_column("membership", column)
    for column in ("fair_delay_s", "contribution_target", "served_per_hour", "zone"):
        op.drop_column("coop", column)
    op.drop_index("ix_chat_claimed_by_created", table_name="chat")
    for name, _ in REPORT_INDEXES:
        op.drop_index(name, table_name="coop_chat_summary")
    op.drop_index("ix_coop_chat_summary_coop_requested", table_name="coop_chat_summary")
    op.drop_column("coop_chat_summary", "offered")
    for table in ("coop_chat_summary", "chat"):
        for column in reversed(SOURCE_COLUMNS):
            op.drop_column(table, column)
