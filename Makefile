# The two commands a new contributor needs: `make demo` and `make test`.
# Both create their own virtual environment; only Python >= 3.11 (and Node/npm
# for the editor tests) must be on the machine.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit editors e2e bench clean

VSCODE := editors/vscode

# pip's output goes to a log, shown only when the installation fails.
$(STAMP): pyproject.toml
	@echo "Setting up $(VENV) (once; pip's log: $(VENV)/install.log)"
	@$(PYTHON) -m venv $(VENV)
	@{ $(BIN)/python -m pip install --disable-pip-version-check --upgrade pip && \
	   $(BIN)/python -m pip install --disable-pip-version-check -e '.[dev]'; } \
	   > $(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }
	@touch $(STAMP)

## demo: check the bundled example, then show the split into build and runtime stages it
## offers (a diff: nothing is written)
demo: $(STAMP)
	@echo '$$ dockerls check examples/'
	@$(BIN)/dockerls check examples/; status=$$?; \
	  echo "(exit status $$status: findings, as intended for this example; 0 is clean, 2 an error)"; \
	  test $$status -eq 1
	@echo
	@echo '$$ dockerls fix --split --diff examples/node-app/Dockerfile'
	@$(BIN)/dockerls fix --split --diff examples/node-app/Dockerfile; status=$$?; \
	  echo "(exit status $$status: the findings above are left for the other fixes; nothing was written)"; \
	  test $$status -le 1

## test: the whole suite: lint, types, architecture contracts, unit and end-to-end tests
test: lint typecheck editors unit

lint: $(STAMP)
	$(BIN)/ruff check dockerls tests scripts bench e2e
	$(BIN)/ruff format --check dockerls tests scripts bench e2e
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy dockerls

unit: $(STAMP)
	$(BIN)/pytest

$(VSCODE)/node_modules/.package-lock.json: $(VSCODE)/package-lock.json
	cd $(VSCODE) && npm ci --no-audit --no-fund

## editors: the VS Code extension: typecheck, lint, unit and end-to-end tests, .vsix package
editors: $(STAMP) $(VSCODE)/node_modules/.package-lock.json
	cd $(VSCODE) && PATH="$(CURDIR)/$(BIN):$$PATH" npm run ci

## e2e: real builds (as root): a private Docker engine and locally made base images; every
## fixture's original, splits, fix-all and reorder built, run and measured (e2e/RESULTS.md)
e2e: $(STAMP)
	$(BIN)/pytest e2e

## bench: parse speed, dockerls against the Node server over LSP and against hadolint on
## the command line, hover and split latency, and the long fuzz run (each skips what is absent)
bench: $(STAMP)
	$(BIN)/python bench/parse_speed.py
	$(BIN)/python bench/run_lspbench.py $(LSPBENCH_ARGS)
	$(BIN)/python bench/cli_speed.py
	$(BIN)/python bench/hover_speed.py
	$(BIN)/python bench/split_speed.py
	$(BIN)/python bench/fuzz.py

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .ruff_cache .pytest_cache .import_linter_cache
	rm -rf $(VSCODE)/node_modules $(VSCODE)/dist $(VSCODE)/out $(VSCODE)/dockerls.vsix
