"""Tests of refdesk.db: models, column types and migrations, on SQLite and PostgreSQL."""
