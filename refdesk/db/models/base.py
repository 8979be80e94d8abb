"""The declarative base every refdesk table derives from."""

from __future__ import annotations

import enum

from sqlalchemy import Enum, MetaData
from sqlalchemy.ext.asyncio import AsyncAttrs
from sqlalchemy.orm import DeclarativeBase

# Named constraints make migrations deterministic and let later revisions drop or alter a
# constraint by name on every dialect (SQLite batch mode needs the names).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Room for new enum values without a migration that widens the column.
ENUM_LENGTH = 32


class Base(AsyncAttrs, DeclarativeBase):
    """Base of all models; `await obj.awaitable_attrs.<relationship>` loads lazily."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def str_enum(enum_class: type[enum.StrEnum]) -> Enum:
    """A column type storing a StrEnum's values as plain strings.

    Non-native and without a CHECK constraint, so SQLite and PostgreSQL behave alike and
    adding a value needs no migration; SQLAlchemy still refuses unknown values on bind.
    """
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=ENUM_LENGTH,
        validate_strings=True,
        values_callable=lambda members: [member.value for member in members],
    )
