# The README's two commands. Each installs what is missing on a fresh Debian machine, then runs.
SHELL := /bin/bash
# uv from PATH, or the copy pip installed into this Python (its scripts dir may not be on PATH).
UV = $(shell command -v uv 2>/dev/null || echo python3 -m uv)

.PHONY: setup test demo lint bench

setup:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)
	@$(UV) sync --frozen --quiet --compile-bytecode

lint: setup
	$(UV) run ruff check .
	$(UV) run ruff format --check .

test: lint
	$(UV) run pytest

demo: setup
	$(UV) run clerkships demo

# The full set (200, 1,000 and 5,000 sources); BENCH_ARGS="--sizes 200,1000" or "--quick" for less.
bench: setup
	$(UV) run python -m bench $(BENCH_ARGS)
