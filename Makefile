# Two commands: `make run` and `make test`. Everything else is set up on the way.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app mentoring
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-sqlite test-postgres lint format migrate seed browser bench-tools clean translations i18n-extract

# A stamp per dependency set: the venv is rebuilt only when pyproject.toml changes.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-app

migrate: $(VENV)/.installed-app
	$(FLASK) db upgrade heads

# Compiled catalogues (.mo) are built, never committed: from translations/<lang>/LC_MESSAGES/*.po.
translations: $(VENV)/.installed-app
	$(BIN)/pybabel compile -d translations --statistics

# After adding or changing user-facing strings: refresh messages.pot and each messages.po,
# then translate the new entries (tests/test_i18n.py fails until they are).
i18n-extract: $(VENV)/.installed-app
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 -k lazy_ngettext:1,2 \
		-k pgettext:1c,2 -k npgettext:1c,2,3 --add-comments=TRANSLATORS: --no-location --sort-output \
		--omit-header --no-wrap -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching \
		--no-wrap --ignore-obsolete

seed: migrate translations
	$(FLASK) seed-demo --if-empty

run: seed
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	$(FLASK) run --host $(HOST) --port $(PORT)

# Debian's Chromium drives the browser tests; install it when missing and possible.
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "chromium is not installed and cannot be installed here: browser tests will skip."; fi

# The load benchmark's tools: locust (the bench extra) and wrk (Debian's package).
bench-tools: $(VENV)/.installed-test
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	@if command -v wrk >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	else echo "wrk is not installed and cannot be installed here: the throughput ratio will skip."; fi

test: $(VENV)/.installed-test translations browser lint test-sqlite test-postgres

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test-sqlite: $(VENV)/.installed-test translations
	@echo "== test suite on SQLite =="
	env -u TEST_DATABASE_URL $(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: $(VENV)/.installed-test translations
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== test suite on PostgreSQL =="; \
		$(BIN)/python -m pytest $(PYTEST_ARGS); \
	else echo "== PostgreSQL run skipped: TEST_DATABASE_URL is not set (see README) =="; fi

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build dist *.egg-info
