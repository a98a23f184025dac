# consultbot: `make demo` serves a sample consultation, `make test` runs every check.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
LOCAL_POSTGRES := postgresql+asyncpg://postgres@127.0.0.1:5432/test

.PHONY: demo run test lint unit install browser bench clean

# (Re)install when pyproject.toml changes; a fresh clone needs nothing but Python 3.11+.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/consultbot demo

run: $(STAMP)
	$(BIN)/consultbot run

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/hadolint Dockerfile

# Browser tests drive Debian's Chromium (Playwright's own browser download does not work here).
browser:
	@{ command -v chromium >/dev/null 2>&1 && [ -d /usr/share/fonts/truetype/noto ]; } || { \
		echo "Installing Debian's chromium (and an emoji font for screenshots) for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null; \
	}

# Tests run on SQLite always, and on PostgreSQL too when the local server answers.
unit: $(STAMP) browser
	@if [ -z "$$TEST_POSTGRES_URL" ] && $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 2)" 2>/dev/null; then \
		export TEST_POSTGRES_URL=$(LOCAL_POSTGRES); \
		echo "PostgreSQL answers on 127.0.0.1:5432: the suite runs on SQLite and PostgreSQL"; \
	fi; \
	$(BIN)/pytest

test: lint unit

# Benchmarks print their figures beside the targets and write JSON to bench/out/;
# they are run by hand, never by `make test` (see bench/README.md). One that fails does
# not stop the others ("-"); the summary then shows its figures as "not run" or old ones.
bench: $(STAMP)
	-$(BIN)/python -m bench.ingest
	-$(BIN)/python -m bench.bench_digest --comments 1000000 --db sqlite
	-$(BIN)/python -m bench.bench_digest --comments 1000000 --db postgres
	-$(BIN)/python -m bench.broadcast
	-$(BIN)/python -m bench.memory
	$(BIN)/python -m bench.summary

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache consultbot-demo.db*
