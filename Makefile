# The two commands a new contributor needs: `make demo` and `make test`.
# Both create their own virtual environment; only Python >= 3.11 (and Node/npm
# for the editor tests) must be on the machine.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## demo: run `dockerls check` on the bundled example (exit 1 means it found bloat, as it should)
demo: $(STAMP)
	-$(BIN)/dockerls check examples/

## test: the whole suite: lint, types, architecture contracts, unit and end-to-end tests
test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check dockerls tests scripts bench
	$(BIN)/ruff format --check dockerls tests scripts bench
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy dockerls

unit: $(STAMP)
	$(BIN)/pytest

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .ruff_cache .pytest_cache
