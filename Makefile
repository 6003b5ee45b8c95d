# The README's two commands. Each installs what is missing on a fresh Debian machine, then runs.
SHELL := /bin/bash
# uv from PATH, or the copy pip installed into this Python (its scripts dir may not be on PATH).
UV = $(shell command -v uv 2>/dev/null || echo python3 -m uv)

.PHONY: setup test test-distributed demo lint bench

setup:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)
	@$(UV) sync --frozen --quiet --compile-bytecode
	@command -v npm >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq npm)
	@test node_modules/.package-lock.json -nt package-lock.json || npm ci --no-audit --no-fund --ignore-scripts --silent

lint: setup
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run mypy

test: lint
	$(UV) run pytest

# Only the night on a work pool (a Prefect server, two workers, an S3 store, all on loopback); `test` runs it too.
test-distributed: setup
	$(UV) run pytest -m distributed

demo: setup
	$(UV) run clerkships demo

# The full set (200, 1,000 and 5,000 sources); BENCH_ARGS="--sizes 200,1000" or "--quick" for less.
bench: setup
	$(UV) run python -m bench $(BENCH_ARGS)
