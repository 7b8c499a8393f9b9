# Two commands for a newcomer: `make demo` and `make test`. Everything installs into .venv from
# pyproject.toml + uv.lock; nothing is taken from the machine but python3.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
PORT ?= 8000
export PORT

.PHONY: install demo test test-fast lint bench messages check-deploy clean demo-otp

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: $(BIN)/uv pyproject.toml uv.lock
	$(BIN)/uv sync --locked --inexact --quiet
	touch $@

install: $(VENV)/.synced

demo: install
	TERPADU_PROFILE=demo $(BIN)/terpadu demo --port $(PORT)

demo-otp: install
	TERPADU_PROFILE=demo $(BIN)/terpadu demo_otp $(USER)

# The whole suite. Without PostgreSQL/Chromium the tests that need them skip with the reason;
# with TERPADU_REQUIRE_SERVICES=1 (CI) they fail instead.
test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

# Translations. English is the source language (no catalog needed); Indonesian is the catalog
# src/terpadu/locale/id/LC_MESSAGES/django.po. `make messages` extracts every string (needs GNU gettext),
# keeps the existing translations, compiles the .mo files in pure Python (they are committed) and
# lists what is left to translate (scripts/check_messages.py). After translating, run
# `$(BIN)/python scripts/compile_messages.py` (no gettext needed) and commit both .po and .mo.
messages: install
	cd src/terpadu && ../../$(BIN)/django-admin makemessages -l id --no-location --no-wrap --no-obsolete \
	  --ignore='static/*' --ignore='*/tests/*' --settings=terpadu.test_settings --pythonpath=..
	$(BIN)/python scripts/compile_messages.py --normalize
	-$(BIN)/python scripts/check_messages.py

bench: install
	$(BIN)/python -m bench.run $(BENCH_ARGS)

check-deploy: install
	TERPADU_PROFILE=production SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=terpadu.example \
	  $(BIN)/terpadu check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var
