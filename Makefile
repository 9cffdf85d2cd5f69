# The two commands of the README: `make demo` runs the main job, `make test` runs every check.
# Both build the virtual environment first, from pyproject.toml, so a fresh machine needs
# nothing but python3 (3.11+) and make.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo scan-demo test lint install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/resguardo demo

scan-demo: $(STAMP)
	$(BIN)/resguardo scan --lexicon samples/lexicons/abq-shelters.yaml samples/*.eml samples/*.txt samples/*.csv

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
