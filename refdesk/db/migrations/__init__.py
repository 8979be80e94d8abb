"""Alembic migrations of refdesk's schema; apply them with `refdesk.db.migrate`."""
