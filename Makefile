# Twofold — two commands: `make demo` (set up and serve) and `make test` (whole suite).
SHELL := /bin/bash
PYTHON_BOOT ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/test
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: demo serve test test-sqlite test-postgres lint format setup clean

$(VENV)/.synced: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || $(PYTHON_BOOT) -m pip install --quiet uv
	uv sync --locked
	@touch $@

setup: $(VENV)/.synced

# Demo: SQLite database in var/, demo people and couples, a task worker beside the server.
demo: export TWOFOLD_ENFORCE_STAFF_MFA := false
demo: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py demo --couples 24 --weeks 12
	@$(MAKE) --no-print-directory serve

serve:
	@trap 'kill 0' EXIT INT TERM; \
	if [ -n "$$REDIS_URL" ]; then \
	  $(PY) manage.py rqworker --job-class django_tasks_rq.Job default & \
	else \
	  $(PY) manage.py db_worker & \
	fi; \
	$(PY) manage.py scheduler & \
	$(PY) manage.py runserver 127.0.0.1:8000

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy twofold
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: lint test-sqlite test-postgres

test-sqlite: setup
	$(PY) -m pytest

# Runs again on PostgreSQL when one answers on 127.0.0.1:5432.
test-postgres: setup
	@if $(PY) -c "import psycopg; psycopg.connect('$(PG_TEST_URL)', connect_timeout=3).close()" 2>/dev/null; then \
	  echo "PostgreSQL answers: running the suite on PostgreSQL"; \
	  DATABASE_URL='$(PG_TEST_URL)' $(PY) -m pytest; \
	else \
	  echo "No PostgreSQL on 127.0.0.1:5432: skipping the PostgreSQL run"; \
	fi

clean:
	rm -rf $(VENV) var staticfiles
