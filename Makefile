# The two commands of the README. Each installs what it needs first.
.PHONY: demo test down

LAB_DIR ?= .lab

demo:
	@scripts/bootstrap.sh demo
	@.venv/bin/refdesk lab up --dir $(LAB_DIR) --history-days 90

# Lint and types first (seconds), then the tests (minutes); any failure fails the whole.
test:
	@scripts/bootstrap.sh test
	@.venv/bin/ruff check .
	@.venv/bin/mypy
	@.venv/bin/python -m pytest

down:
	@.venv/bin/refdesk lab down --dir $(LAB_DIR)
