# The two commands: `make run` (the bot with its simulator, SQLite, no configuration) and
# `make test` (the whole suite; PostgreSQL too when TEST_DATABASE_URL is set).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
export PYTHAINLP_OFFLINE := 1
export PYTHAINLP_READ_ONLY := 1

.PHONY: run test check install install-dev bench clean

run: $(VENV)/.installed
	$(PY) -m scheduler.demo

test: $(VENV)/.installed-dev check
	$(PY) -m pytest $(PYTEST_ARGS)

# Static checks (part of `make test`): the layers contract, lint, types.
check: $(VENV)/.installed-dev
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	scripts/ensure-chromium
	scripts/ensure-pango
	touch $@

bench: $(VENV)/.installed-dev
	$(PY) bench/webhook.py
	$(PY) bench/thai.py

clean:
	rm -rf $(VENV) instance .pytest_cache
