# CareCoord: `make run` serves the demo network; `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
DEMO_CHILDREN ?= 2600
DEMO_SEED ?= 2026
HOST ?= 127.0.0.1:8000
# pip must take every package from the lock file, hashes checked, and nothing else.
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-input --require-hashes --no-deps

.PHONY: run test install install-test assets chromium migrate demo serve bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock $(BIN)/python
	$(PIP) -r requirements.lock
	touch $@

$(VENV)/.installed-test: requirements-test.lock $(VENV)/.installed
	$(PIP) -r requirements-test.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed assets
install-test: $(VENV)/.installed-test assets chromium
assets: node_modules/.installed

# Browser tests drive Debian's chromium (never a downloaded browser build).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py demo_network --children $(DEMO_CHILDREN) --seed $(DEMO_SEED) --if-empty

run: demo
	$(BIN)/python manage.py create_reminders
	$(BIN)/python manage.py demo_logins
	@# The job worker (daily reminders) runs beside the web server and stops with it.
	trap 'kill 0' EXIT INT TERM; $(BIN)/python manage.py run_huey --quiet & \
	  $(BIN)/python manage.py runserver $(HOST)

test: install-test
	$(BIN)/ruff check carecoord tests bench
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL $(BIN)/python -m pytest
	@url="$${DATABASE_URL:-$(PG_URL)}"; \
	if DATABASE_URL="$$url" $(BIN)/python -m carecoord.pg_available; then \
	  echo "== test suite on PostgreSQL ($$url) =="; \
	  DATABASE_URL="$$url" $(BIN)/python -m pytest; \
	else echo "== no PostgreSQL answered at $$url: PostgreSQL run skipped =="; fi

bench: install
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/stratify.py --rows 10000000
	$(BIN)/python bench/directory_search.py
	$(BIN)/python bench/fhir_export.py

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3 db.sqlite3-*
