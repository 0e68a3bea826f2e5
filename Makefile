# Set-up and everyday commands. Needs only Python 3.11 and make.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test checks test-slow fuzz bench lint-menus release clean

install: $(STAMP)

$(STAMP): setup.cfg pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dask,lsp]'
	touch $(STAMP)

demo: install
	@echo "== lint the bundled menus (clean), then the bad examples (each shows one defect and what follows from it)"
	$(BIN)/ivrlint check menus/
	@echo
	-$(BIN)/ivrlint check menus/bad/ --no-config | tail -n 3
	@echo
	@echo "== simulate the Northbank retail line: 4 hours x 4 replications, report under reports/"
	$(BIN)/ivrlint simulate menus/bank.yaml --hours 4 --replications 4 --quiet --report reports/northbank-retail
	$(BIN)/ivrlint graph menus/baltic-energy.yaml -o reports/baltic-energy-menu.png
	@echo
	@echo "Open reports/northbank-retail/index.html in a browser."

test: install
	$(BIN)/python -m pytest -q
	$(MAKE) --no-print-directory checks

# The code checks: layers (import-linter's contract in setup.cfg), types
# (mypy, [mypy] in setup.cfg) and ruff ([tool.ruff] in pyproject.toml).
checks: install
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy
	$(BIN)/ruff check ivrlint tests benchmarks

test-slow: install
	$(BIN)/python -m pytest -q -m slow

# The long fuzz profile (tests/fuzz/): 20,000 random examples per reader, one reader
# after another; `make test` runs the fast one. Each reader's figures go to
# reports/fuzz-stats.json. FUZZ_EXAMPLES=N changes the count.
FUZZ_EXAMPLES ?= 20000
fuzz: install
	IVRLINT_FUZZ=long IVRLINT_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) IVRLINT_FUZZ_STATS=reports/fuzz-stats.json \
		$(BIN)/python -m pytest -q -p no:cacheprovider -m fuzz tests/fuzz --hypothesis-show-statistics

# Every benchmark in one process, each figure a ratio against its baseline
# run in the same time window; the figures go to reports/bench.json.
bench: install
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/run_all.py

# Tag the version in ivrlint/__init__.py (docs/releasing.md): the suite passes,
# the tree is clean, and CHANGELOG.md and the README agree with the version.
release: test
	@version=$$($(BIN)/python -c 'import ivrlint; print(ivrlint.__version__)'); \
	test -z "$$(git status --porcelain)" || { echo "release: commit or stash your changes first"; exit 2; }; \
	grep -q "^## \[$$version\] - " CHANGELOG.md || { echo "release: CHANGELOG.md has no '## [$$version] - DATE' section"; exit 2; }; \
	grep -q "rev: v$$version" README.md || { echo "release: the README's pre-commit example is not at v$$version"; exit 2; }; \
	! git rev-parse -q --verify "refs/tags/v$$version" >/dev/null || { echo "release: v$$version is already tagged"; exit 2; }; \
	git tag -a "v$$version" -m "ivrlint $$version" && echo "tagged v$$version: push it with git push origin v$$version"

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache .grimp_cache .import_linter_cache
