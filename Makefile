# Working Group Portal. `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Tests run with DEBUG off, as in production; they need some secret key.
TEST_ENV := DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-test-only-secret-key-not-for-production}
BUILT_CSS := portal/static/portal/css/portal.css
# pa11y-ci for the external accessibility checks (tests/e2e/test_external_checks.py): a
# package of its own, apart from the front-end build, installed only where npm is.
A11Y_TOOLS := tools/a11y
# How the locks are compiled (see `make lock`); LOCK_ARGS adds options, e.g.
# LOCK_ARGS="--upgrade-package wagtail" after raising wagtail's pin in requirements.txt.
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)

# Where `make backup` writes (a new folder each time) and which folder `make restore` reads.
BACKUP_DIR ?= backups/$(shell date -u +%Y%m%dT%H%M%SZ)

.PHONY: help install assets a11y-tools migrate demo run backup restore test test-fast lint format lock bench bench-feedback bench-trends pii-report clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The development lock holds every runtime package too, at the runtime lock's versions.
$(VENV)/.installed: requirements.lock requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed to build the front end: install Node.js (e.g. apt-get install nodejs npm)."; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(BUILT_CSS): node_modules/.installed $(shell find portal/frontend -type f 2>/dev/null)
	npm run --silent build

# Puppeteer's own browser download is skipped: pa11y runs Debian's Chromium (/usr/bin/chromium).
$(A11Y_TOOLS)/node_modules/.installed: $(A11Y_TOOLS)/package.json $(A11Y_TOOLS)/package-lock.json
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix $(A11Y_TOOLS) --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed $(BUILT_CSS) ## Create .venv and install Python (requirements-dev.lock) and front-end dependencies

assets: node_modules/.installed ## Build the CSS and copy GOV.UK Frontend's JavaScript into static files
	npm run --silent build

a11y-tools: ## Install pa11y-ci (tools/a11y) for the external accessibility checks; skipped where npm is missing
	@if command -v npm >/dev/null; then \
		$(MAKE) --no-print-directory $(A11Y_TOOLS)/node_modules/.installed; \
	else \
		echo "a11y-tools: skipped, npm is not installed: the pa11y check will be skipped (apt-get install nodejs npm)."; \
	fi

migrate: install ## Apply database migrations
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --verbosity 0

demo: migrate ## Load the demo content (safe to run again)
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_demo_content

run: demo ## Install, migrate, load demo content and serve on http://127.0.0.1:8000 (SQLite)
	@echo "Serving http://127.0.0.1:8000 with the background task worker (email, search index) and the scheduler (digests, scheduled publishing, sweeps, retention). Ctrl+C stops all three."
	DJANGO_DEBUG=1 bash -c 'trap "kill 0" EXIT; $(BIN)/python manage.py db_worker --interval 2 & $(BIN)/python manage.py run_scheduler & $(BIN)/python manage.py runserver 127.0.0.1:8000'

backup: $(VENV)/.installed ## Back up the database and the documents into BACKUP_DIR (default backups/<UTC time>)
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py backup --output "$(BACKUP_DIR)"

restore: $(VENV)/.installed ## Restore BACKUP=folder (made by make backup) over the database and documents; stop the site first
	@test -n "$(BACKUP)" || { echo "Say which backup: make restore BACKUP=backups/<folder>"; exit 2; }
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py restore "$(BACKUP)"

test: install lint a11y-tools ## Install, lint, check, and run every test (PostgreSQL when DATABASE_URL is set)
	$(TEST_ENV) $(BIN)/python manage.py check
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(BIN)/pytest

test-fast: install ## The inner loop: no lint, no browser tests, stop at the first failure, keep the test database
	$(TEST_ENV) $(BIN)/pytest -m "not e2e" -x --reuse-db

lint: $(VENV)/.installed ## ruff, ruff format --check, import contracts (lint-imports), types (mypy), templates (djlint)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@if [ -f .importlinter ]; then \
		echo "$(BIN)/lint-imports"; $(BIN)/lint-imports; \
	else \
		echo "lint-imports: skipped, this checkout has no .importlinter (the import contracts)."; \
	fi
	$(TEST_ENV) $(BIN)/mypy
	$(BIN)/djlint templates --lint

format: $(VENV)/.installed ## Format and fix style with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock: $(VENV)/.installed ## Regenerate requirements.lock and requirements-dev.lock from requirements*.txt (pip-compile)
	$(PIP_COMPILE) --output-file requirements.lock requirements.txt
	$(PIP_COMPILE) --output-file requirements-dev.lock requirements-dev.txt

bench: install ## Benchmark public pages under gunicorn against PostgreSQL (bench/pages.py)
	$(BIN)/python -m bench.pages

bench-feedback: install ## Send 500 feedback submissions at once with SMTP down, then drain (bench/feedback.py)
	$(BIN)/python -m bench.feedback

bench-trends: $(VENV)/.installed ## Time trend summaries over 16,000 returns in a throwaway database (bench/trends.py; PostgreSQL if DATABASE_URL is set)
	$(BIN)/python -m bench.trends

pii-report: $(VENV)/.installed ## Recall and false positives of the personal-data screen on tests/pii_corpus/ (bench/pii_report.py)
	$(BIN)/python -m bench.pii_report

clean: ## Remove the virtualenv, node_modules, built assets and the SQLite database
	rm -rf $(VENV) node_modules $(A11Y_TOOLS)/node_modules static_collected portal/static/portal/css/portal.css portal/static/portal/css/print.css portal/static/portal/js/vendor db.sqlite3
