"""Alembic revisions, named <rev>_<slug>.py, oldest first."""
