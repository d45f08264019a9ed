# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint bench install install-test clean messages

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	$(BIN)/tracker database upgrade --no-prompt
	$(BIN)/tracker seed
	$(BIN)/tracker run --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/pytest -n auto $(PYTEST_ARGS)

# Benchmarks: each prints its ratio against a raw baseline measured in the same run.
bench: install-test
	$(BIN)/python -m bench $(if $(BENCH_POSTGRES_URL),--postgres $(BENCH_POSTGRES_URL),)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Re-extract the interface's messages and merge them into the Russian and Kazakh catalogs.
messages: install-test
	$(BIN)/pybabel extract --no-location --sort-output -F babel.cfg -k _ -k N_ -k gettext -k ngettext:1,2 -o tracker/locales/messages.pot .
	for lang in ru kk; do \
	  if [ -f tracker/locales/$$lang/LC_MESSAGES/messages.po ]; then \
	    $(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i tracker/locales/messages.pot -d tracker/locales -l $$lang; \
	  else $(BIN)/pybabel init -i tracker/locales/messages.pot -d tracker/locales -l $$lang; fi; \
	done

clean:
	rm -rf $(VENV) var .pytest_cache
