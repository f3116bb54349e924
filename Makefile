# Working Group Portal. `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Tests run with DEBUG off, as in production; they need some secret key.
TEST_ENV := DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-test-only-secret-key-not-for-production}
# pa11y-ci for the external accessibility checks (tests/e2e/test_external_checks.py): a
# package of its own, apart from the front-end build, installed only where npm is.
A11Y_TOOLS := tools/a11y
# How the locks are compiled (see `make lock`); LOCK_ARGS adds options, e.g.
# LOCK_ARGS="--upgrade-package wagtail" after raising wagtail's pin in requirements.txt.
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)

# Where `make backup` writes (a new folder each time) and which folder `make restore` reads.
BACKUP_DIR ?= backups/$(shell date -u +%Y%m%dT%H%M%SZ)

.PHONY: help install assets migrate demo run sign-ins a11y-tools backup restore test test-fast lint format lock bench bench-feedback bench-trends pii-report clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	@echo "Creating the virtual environment in $(VENV)..."
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --quiet --upgrade pip

# The development lock holds every runtime package too, at the runtime lock's versions.
$(VENV)/.installed: requirements.lock requirements-dev.lock | $(BIN)/python
	@echo "Installing Python packages from requirements-dev.lock (the first time takes a few minutes)..."
	@$(BIN)/pip install --quiet -r requirements-dev.lock
	@touch $@

# Only to change the front end: the built CSS and JavaScript are in the repository.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed to build the front end: install Node.js (e.g. apt-get install nodejs npm)."; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed ## Create .venv and install the Python packages (requirements-dev.lock); no Node.js needed

# Puppeteer's own browser download is skipped: pa11y runs Debian's Chromium (/usr/bin/chromium).
$(A11Y_TOOLS)/node_modules/.installed: $(A11Y_TOOLS)/package.json $(A11Y_TOOLS)/package-lock.json
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix $(A11Y_TOOLS) --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed ## Rebuild the CSS and GOV.UK Frontend's JavaScript from portal/frontend/ (needs Node.js); commit the result
	npm run --silent build
	$(PYTHON) -m portal.assets_manifest write
	@echo "Built. Commit portal/static/portal/css/, portal/static/portal/js/vendor/ and portal/frontend/build-manifest.json."

# VERBOSE=1 shows every log line: each task run, each page the demo creates.
DEV_ENV := DJANGO_DEBUG=1 DJANGO_LOG_VERBOSE=$(if $(VERBOSE),1,0)
DEV_VERBOSITY := --verbosity $(if $(VERBOSE),2,1)
# The development server's port: `make run PORT=8001` if 8000 is taken.
PORT ?= 8000

a11y-tools: ## Install pa11y-ci (tools/a11y) for the external accessibility checks; skipped where npm is missing
	@if command -v npm >/dev/null; then \
		$(MAKE) --no-print-directory $(A11Y_TOOLS)/node_modules/.installed; \
	else \
		echo "a11y-tools: skipped, npm is not installed: the pa11y check will be skipped (apt-get install nodejs npm)."; \
	fi

migrate: install ## Apply database migrations
	@echo "Applying database migrations (the first time takes a minute or so)..."
	@$(DEV_ENV) $(BIN)/python manage.py migrate --verbosity 0

demo: migrate ## Load the demo content (safe to run again); prints the demo sign-ins it makes
	@$(DEV_ENV) $(BIN)/python manage.py load_demo_content $(DEV_VERBOSITY)

run: migrate ## Install, migrate, load the demo and serve http://127.0.0.1:8000 with the task worker and scheduler (VERBOSE=1, PORT=8001)
	@$(DEV_ENV) $(BIN)/python manage.py run_demo --port $(PORT) $(DEV_VERBOSITY)

sign-ins: $(VENV)/.installed ## Show the demo sign-ins again, with new passwords (demo accounts only, development only)
	@$(DEV_ENV) $(BIN)/python manage.py demo_sign_ins

backup: $(VENV)/.installed ## Back up the database and the documents into BACKUP_DIR (default backups/<UTC time>)
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py backup --output "$(BACKUP_DIR)"

restore: $(VENV)/.installed ## Restore BACKUP=folder (made by make backup) over the database and documents; stop the site first
	@test -n "$(BACKUP)" || { echo "Say which backup: make restore BACKUP=backups/<folder>"; exit 2; }
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py restore "$(BACKUP)"

test: install lint a11y-tools ## Install, lint, check, and run every test (PostgreSQL when DATABASE_URL is set)
	$(TEST_ENV) $(BIN)/python manage.py check
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(BIN)/pytest

# SQLite whatever DATABASE_URL says, and Hypothesis' small `dev` profile (tests/hypothesis_profiles.py).
test-fast: install ## The inner loop: SQLite, no lint, no browser tests, few Hypothesis examples, stop at the first failure
	env -u DATABASE_URL HYPOTHESIS_PROFILE=dev $(TEST_ENV) $(BIN)/pytest -m "not e2e" -x

lint: $(VENV)/.installed ## ruff, ruff format --check, import contracts (lint-imports), types (mypy), templates (djlint), built assets
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@if [ -f .importlinter ]; then \
		echo "$(BIN)/lint-imports"; $(BIN)/lint-imports; \
	else \
		echo "lint-imports: skipped, this checkout has no .importlinter (the import contracts)."; \
	fi
	$(TEST_ENV) $(BIN)/mypy
	$(BIN)/djlint templates --lint
	$(BIN)/python -m portal.assets_manifest check

format: $(VENV)/.installed ## Format and fix style with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock: $(VENV)/.installed ## Regenerate requirements.lock and requirements-dev.lock from requirements*.txt (pip-compile)
	$(PIP_COMPILE) --output-file requirements.lock requirements.txt
	$(PIP_COMPILE) --output-file requirements-dev.lock requirements-dev.txt

bench: install ## Benchmark public pages, search and a signed-in member's pages under gunicorn against PostgreSQL (and Redis with REDIS_URL) (bench/pages.py)
	$(BIN)/python -m bench.pages

bench-feedback: install ## Send 500 feedback submissions at once with SMTP down, then drain (bench/feedback.py)
	$(BIN)/python -m bench.feedback

bench-trends: $(VENV)/.installed ## Time trend summaries over 16,000 returns in a throwaway database (bench/trends.py; PostgreSQL if DATABASE_URL is set)
	$(BIN)/python -m bench.trends

pii-report: $(VENV)/.installed ## Recall and false positives of the personal-data screen on tests/pii_corpus/ (bench/pii_report.py)
	$(BIN)/python -m bench.pii_report

clean: ## Remove the virtualenv, node_modules, collected static files and the SQLite database
	rm -rf $(VENV) node_modules $(A11Y_TOOLS)/node_modules static_collected db.sqlite3 db.sqlite3-wal db.sqlite3-shm
