# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean diagram

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/suara-warga run

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy flows storage service bot web suara_warga emulator tests bench

# The storage tests run on PostgreSQL too when a cluster answers: CI (CI=true) and
# SUARA_WARGA_POSTGRES=1 start one first (.ci/postgres.sh); elsewhere they skip.
# The board's browser test needs Debian's chromium and chromium-driver: CI installs them
# (.ci/chromium.sh); elsewhere the test skips when they are absent.
test: lint
	@if [ "$$CI" = true ] || [ "$$SUARA_WARGA_POSTGRES" = 1 ]; then bash .ci/postgres.sh; fi
	@if [ "$$CI" = true ]; then bash .ci/chromium.sh; fi
	$(BIN)/pytest

# Benchmarks, not tests (never in CI): about 45 minutes (the surge alone about 30),
# results in docs/benchmarks.md.
# `make bench BENCH_ARGS=--quick` runs every figure small (< 2 minutes). PostgreSQL is
# measured when a cluster answers; SUARA_WARGA_POSTGRES=1 starts one first.
bench: $(STAMP)
	@if [ "$$SUARA_WARGA_POSTGRES" = 1 ]; then bash .ci/postgres.sh; fi
	$(BIN)/python -m bench $(BENCH_ARGS)

# The intake diagram, drawn from the table of steps (flows/steps.py).
diagram: $(STAMP)
	$(BIN)/python -m flows.diagram > flows/intake.mmd

clean:
	rm -rf $(VENV) build *.egg-info
