# Disan: two commands.
#   make demo  - set everything up, ingest the bundled sample, serve the portal
#                at http://127.0.0.1:8000 (make demo PORT=8080 for another port)
#   make test  - set everything up and run the whole test suite

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DISAN_HOME ?= $(CURDIR)/disan-data
PORT ?= 8000
DISAN_BASE_URL ?= http://127.0.0.1:$(PORT)
export DISAN_HOME DISAN_BASE_URL

.PHONY: setup system-packages demo test lint bench clean

system-packages:
	bash scripts/install-system-packages.sh

$(BIN)/disan: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test]"
	touch $(BIN)/disan

setup: system-packages $(BIN)/disan

demo: setup
	$(BIN)/disan ingest samples
	$(BIN)/disan serve --host 127.0.0.1 --port $(PORT)

test: setup
	$(BIN)/python -m pytest -q tests

lint: setup
	$(BIN)/ruff check disan tests bench
	$(BIN)/ruff format --check disan tests bench

bench: setup
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) disan-data
