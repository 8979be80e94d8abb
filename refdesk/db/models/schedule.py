"""A co-op's weekly staffing schedule, kept at its registry (schemas/schedule.xsd): shifts
that repeat every week, who covers them, holidays, and missed shifts with their make-up."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from refdesk.db.models.base import Base, str_enum
from refdesk.db.types import JID, UTCDateTime, utcnow


class ShiftRole(enum.StrEnum):
    STAFF = "staff"
    """Covers the shift."""
    BACKUP = "backup"
    """Stands in when the staff cannot."""


class Shift(Base):
    """A weekly stretch a member library covers, in the co-op's time zone."""

    __tablename__ = "coop_shift"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 1 AND 7", name="weekday_range"),
        CheckConstraint("start_minute >= 0 AND end_minute <= 1440 AND start_minute < end_minute",
                        name="minutes_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    coop_id: Mapped[str] = mapped_column(ForeignKey("coop.id", ondelete="CASCADE"), index=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institution.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int]
    """1-7, Monday 1 (ISO 8601)."""
    start_minute: Mapped[int]
    """Minutes after midnight; a shift ends the same day (24:00 at the latest)."""
    end_minute: Mapped[int]

    people: Mapped[list[ShiftPerson]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="ShiftPerson.jid")

    def __repr__(self) -> str:
        return f"<Shift {self.coop_id} {self.weekday} {self.start_minute}-{self.end_minute}>"


class ShiftPerson(Base):
    """A librarian on a shift, as its staff or its back-up."""

    __tablename__ = "coop_shift_person"

    shift_id: Mapped[int] = mapped_column(ForeignKey("coop_shift.id", ondelete="CASCADE"),
                                          primary_key=True)
    jid: Mapped[str] = mapped_column(JID, primary_key=True)
    role: Mapped[ShiftRole] = mapped_column(str_enum(ShiftRole), primary_key=True)


class Holiday(Base):
    """A day of the co-op's on which no shift is owed."""

    __tablename__ = "coop_holiday"
    __table_args__ = (UniqueConstraint("coop_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    coop_id: Mapped[str] = mapped_column(ForeignKey("coop.id", ondelete="CASCADE"), index=True)
    day: Mapped[date]
    name: Mapped[str] = mapped_column(String(255))


class MissedShift(Base):
    """A shift's occurrence nobody covered, and when it was made up."""

    __tablename__ = "coop_missed_shift"
    __table_args__ = (
        UniqueConstraint("shift_id", "day"),
        CheckConstraint("makeup_start_minute IS NULL OR "
                        "(makeup_start_minute >= 0 AND makeup_end_minute <= 1440 "
                        "AND makeup_start_minute < makeup_end_minute)", name="makeup_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("coop_shift.id", ondelete="CASCADE"),
                                          index=True)
    day: Mapped[date]
    """The date of the occurrence missed (the shift's weekday)."""
    reason: Mapped[str] = mapped_column(String(255), default="")
    recorded_by: Mapped[str] = mapped_column(JID)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    makeup_day: Mapped[date | None]
    makeup_start_minute: Mapped[int | None]
    makeup_end_minute: Mapped[int | None]

    shift: Mapped[Shift] = relationship()

    def __repr__(self) -> str:
        return f"<MissedShift {self.shift_id} {self.day}>"
