# Two commands on a fresh machine:  make demo   ·   make test
# Both build .venv from the pinned requirements.lock first (once).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: demo test evaluate bench lock clean dashboard

$(STAMP): requirements.lock requirements-models.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements-models.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

# Test-only packages (pytest, respx, ...) come from their own lock and never reach the demo's runtime.
$(TSTAMP): $(STAMP) requirements-test.lock
	$(BIN)/pip install --quiet -r requirements-test.lock
	touch $(TSTAMP)

# The dashboard (frontend/, MapLibre GL JS from npm with a lock file) is built into the package's static files;
# the built bundle is not in git. Without npm the API still works and the dashboard tests skip, saying why.
DASH := src/sahelwatch/web/static/index.html
$(DASH): frontend/package.json frontend/package-lock.json frontend/build.mjs $(wildcard frontend/src/*)
	@if command -v npm >/dev/null 2>&1; then \
	  cd frontend && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build; \
	else echo "npm not found: the dashboard is not built (apt-get install nodejs npm); the API works without it"; fi

dashboard: $(DASH)

demo: $(STAMP) $(DASH)
	$(BIN)/sahelwatch demo
	$(BIN)/sahelwatch brief --db demo-output/demo.db --country Mali --period 2020-09 --samples 200 -o demo-output/brief.pdf -o demo-output/brief.html

test: $(TSTAMP) $(DASH)
	$(BIN)/pytest -q -n 2 --durations=15

# Quality on the real data in ../shared (thresholds: evaluation/thresholds.yaml)
evaluate: $(STAMP)
	$(BIN)/python -m evaluation.run_all

# Speed and memory, as ratios against baselines measured in the same run
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_import.py

# Runtime pins only: test-only packages (those in requirements-test.lock) stay out of requirements.lock.
lock:
	$(BIN)/pip freeze --exclude-editable | grep -viE '^(sahelwatch|en.core.web.sm|fr.core.news.sm)' \
	  | grep -vxFf requirements-test.lock > requirements.lock

clean:
	rm -rf $(VENV) demo-output .pytest_cache frontend/node_modules src/sahelwatch/web/static test-artifacts
