"""A library's chat departments, each a MUC room on the library's own MUC service."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from refdesk.db.models.base import Base
from refdesk.db.types import JID

if TYPE_CHECKING:
    from refdesk.db.models.institution import Institution


class Department(Base):
    """A group of a library's operators who monitor chats together, e.g. Reference."""

    __tablename__ = "department"
    __table_args__ = (UniqueConstraint("institution_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(255))
    room: Mapped[str] = mapped_column(JID)
    """The department's MUC room; being present in it, available, is monitoring it."""

    institution: Mapped[Institution] = relationship(back_populates="departments")

    def __repr__(self) -> str:
        return f"<Department {self.name!r} {self.room}>"
