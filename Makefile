# Working Group Portal. `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Tests run with DEBUG off, as in production; they need some secret key.
TEST_ENV := DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-test-only-secret-key-not-for-production}

.PHONY: help install assets migrate demo run test lint format bench bench-trends pii-report clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-8s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed to build the front end: install Node.js (e.g. apt-get install nodejs npm)."; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed assets ## Create .venv and install Python and front-end dependencies

assets: node_modules/.installed ## Build the CSS and copy GOV.UK Frontend's JavaScript into static files
	npm run --silent build

migrate: install ## Apply database migrations
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --verbosity 0

demo: migrate ## Load the demo content (safe to run again)
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_demo_content

run: demo ## Install, migrate, load demo content and serve on http://127.0.0.1:8000 (SQLite)
	@echo "Serving http://127.0.0.1:8000 with the background task worker (email, search index). Ctrl+C stops both."
	DJANGO_DEBUG=1 bash -c 'trap "kill 0" EXIT; $(BIN)/python manage.py db_worker --interval 2 & $(BIN)/python manage.py runserver 127.0.0.1:8000'

test: install ## Lint, check, and run every test (PostgreSQL when DATABASE_URL is set)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(TEST_ENV) $(BIN)/python manage.py check
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(BIN)/pytest

lint: install ## Check style with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Format and fix style with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install ## Benchmark public pages under gunicorn against PostgreSQL (see README)
	$(BIN)/python -m portal.bench

bench-trends: $(VENV)/.installed ## Time computing trend summaries from 16,000 returns in a throwaway database (PostgreSQL if DATABASE_URL is set)
	$(BIN)/python -m groups.bench_trends

pii-report: $(VENV)/.installed ## Recall and false positives of the personal-data screen on tests/pii_corpus/
	$(BIN)/python -m portal.pii_report

bench-feedback: install ## Send 500 feedback submissions at once with SMTP down, then drain (see portal/bench_feedback.py)
	$(BIN)/python -m portal.bench_feedback

clean: ## Remove the virtualenv, node_modules, built assets and the SQLite database
	rm -rf $(VENV) node_modules static_collected portal/static/portal/css/portal.css portal/static/portal/css/print.css portal/static/portal/js/vendor db.sqlite3
