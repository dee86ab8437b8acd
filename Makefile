# The two commands of the README: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
UV     := $(BIN)/uv
UVPIP  := $(UV) pip install --quiet --python $(BIN)/python --require-hashes
ARGS   ?=

.PHONY: install install-dev install-transformers run test lint typecheck eval bench clean

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

lint: install-dev
	$(BIN)/ruff check src tests benchmarks deploy
	$(BIN)/ruff format --check src tests benchmarks deploy

typecheck: install-dev
	$(BIN)/mypy

EVAL_SYNTH ?= ../shared/datasets/presidio_synth_v2.json
eval: install-dev                 ## detection quality, maskgate vs Presidio in one run, on both datasets (docs/quality.md)
	$(BIN)/maskgate eval $(EVAL_SYNTH) --compare presidio $(ARGS)
	$(BIN)/maskgate eval tests/data/realistic.jsonl --compare presidio $(ARGS)

bench: install-dev                ## benchmarks 1-5: printed tables (docs/performance.md has the figures)
	$(BIN)/python benchmarks/bench_detect.py
	$(BIN)/python benchmarks/bench_serve.py $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
