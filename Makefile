# townsquare: `make run` starts a server, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test check lint format typecheck layers env clean demo bench messages screenshots

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(BIN)/townsquare: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --quiet
	@touch $@

env: $(BIN)/townsquare

run: env
	$(BIN)/townsquare migrate
	$(BIN)/townsquare serve --host 127.0.0.1 --port 8000

demo: env
	$(BIN)/townsquare migrate
	$(BIN)/townsquare demo

lint: env
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: env
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

typecheck: env
	$(BIN)/mypy

layers: env
	$(BIN)/lint-imports

check: lint typecheck layers

# axe-core for the accessibility check, from the npm lock file; skipped without npm.
AXE := tests/web/node_modules/axe-core/axe.min.js
$(AXE): tests/web/package.json tests/web/package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --prefix tests/web --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the accessibility check will be skipped"; fi

test: check $(AXE)
	$(BIN)/pytest -n $${PYTEST_WORKERS:-2} --dist loadfile

# Re-extract the web app's messages and merge them into each catalogue (.po files are
# compiled in memory when the server starts; no .mo files are built or committed).
messages: env
	$(BIN)/pybabel extract -F babel.cfg -o $(TOOLS)/messages.pot --no-location --omit-header -k N_ .
	$(BIN)/pybabel update -i $(TOOLS)/messages.pot -d src/townsquare/http/web/locales --width 100 --no-fuzzy-matching

# The main pages in light and dark, English and Urdu, as PNGs in screenshots/.
screenshots: env
	$(BIN)/python -m tests.web.screenshots

bench: env
	$(BIN)/python -m bench.timelines

clean:
	rm -rf $(VENV) $(TOOLS) .mypy_cache .ruff_cache
