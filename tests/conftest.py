"""Shared test configuration: plugins every test package may use.

tests.postgres: a session-wide throwaway PostgreSQL server (`postgres_url`).
"""

pytest_plugins = ["tests.postgres"]
