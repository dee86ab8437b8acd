# The two commands of the README: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
UV     := $(BIN)/uv
UVPIP  := $(UV) pip install --quiet --python $(BIN)/python --require-hashes
ARGS   ?=

.PHONY: install install-dev install-transformers run test test-fast e2e e2e-clients lint typecheck eval bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(UV): requirements/bootstrap.lock | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/bootstrap.lock
	touch $@

$(VENV)/.main: requirements/main.lock pyproject.toml | $(UV)
	$(UVPIP) -r requirements/main.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

$(VENV)/.dev: requirements/dev.lock pyproject.toml | $(UV)
	$(UVPIP) -r requirements/dev.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $(VENV)/.main $@

install: $(VENV)/.main            ## runtime dependencies only (idempotent)
install-dev: $(VENV)/.dev         ## runtime + test/lint/benchmark dependencies
install-transformers: install-dev  ## + optional torch/transformers extra (torch from pip: CPU wheel here)
	$(BIN)/pip install --quiet --disable-pip-version-check torch==2.13.0
	$(UVPIP) -r requirements/transformers.lock

run: install                      ## start the proxy on the embedded defaults
	$(BIN)/maskgate serve $(ARGS)

test: install-dev                 ## the whole test suite
	$(BIN)/python -m pytest -n 2 -q $(ARGS)

test-fast: install-dev            ## the quick loop: everything but the tests marked slow (servers, browsers, big property runs) or redis
	$(BIN)/python -m pytest -n 2 -q -m "not slow and not redis" $(ARGS)

# Real clients (Claude Code, Codex, the TS SDKs, the Vercel AI SDK) pinned by tests/e2e/package-lock.json,
# installed once into .cache/e2e-node with `npm ci` (node and npm from the machine); offline afterwards.
E2E_NODE := .cache/e2e-node
$(E2E_NODE)/.installed: tests/e2e/package.json tests/e2e/package-lock.json
	mkdir -p $(E2E_NODE)
	cp tests/e2e/package.json tests/e2e/package-lock.json $(E2E_NODE)/
	cd $(E2E_NODE) && npm ci --no-audit --no-fund --loglevel=error --cache $(CURDIR)/.cache/npm
	touch $@

e2e-clients: $(E2E_NODE)/.installed

e2e: install-dev e2e-clients      ## the real agents and SDKs through maskgate serve (tests/e2e, a few minutes)
	$(BIN)/python tests/e2e/tested_with.py --check
	@start=$$(date +%s); MASKGATE_E2E=1 $(BIN)/python -m pytest tests/e2e -q -p no:xdist $(ARGS); rc=$$?; \
	  echo "make e2e: $$(( $$(date +%s) - start )) s"; exit $$rc

lint: install-dev
	$(BIN)/ruff check src tests benchmarks deploy
	$(BIN)/ruff format --check src tests benchmarks deploy

typecheck: install-dev
	$(BIN)/mypy

EVAL_SYNTH ?= ../shared/datasets/presidio_synth_v2.json
eval: install-dev                 ## detection quality, maskgate vs Presidio in one run, per label and genre (docs/quality.md)
	$(BIN)/maskgate eval $(EVAL_SYNTH) --compare presidio $(ARGS)
	$(BIN)/maskgate eval tests/data/realistic.jsonl --compare presidio $(ARGS)
	$(BIN)/maskgate eval tests/data/corpus/test.jsonl --compare presidio $(ARGS)
	$(BIN)/maskgate eval tests/data/holdout/holdout.jsonl --compare presidio $(ARGS)

bench: install-dev                ## benchmarks 1-5: printed tables (docs/performance.md has the figures)
	$(BIN)/python benchmarks/bench_detect.py
	$(BIN)/python benchmarks/bench_pool.py
	$(BIN)/python benchmarks/bench_serve.py $(ARGS)
	$(BIN)/python benchmarks/bench_first_request.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .cache
