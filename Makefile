# Two entry points: `make run` and `make test`. Both build the virtualenv on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test migrate lint typecheck check bench transcript docs faults clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m bot migrate
	$(BIN)/python -m bot run

migrate: $(STAMP)
	$(BIN)/python -m bot migrate

test: $(STAMP)
	$(BIN)/python -m pytest -q -n 4

lint: $(STAMP)
	$(BIN)/ruff check bot db tests bench
	$(BIN)/ruff format --check bot db tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

check: lint typecheck test

bench: $(STAMP)
	$(BIN)/python -m bench.sla_sweep
	$(BIN)/python -m bench.throughput
	$(BIN)/python -m bench.reports

# Fault injection: the scenarios' assertions (nothing lost or repeated), then their table.
faults: $(STAMP)
	$(BIN)/python -m pytest -q tests/faults
	$(BIN)/python -m tests.faults

transcript: $(STAMP)
	$(BIN)/python -m tests.transcript

# The picture of the repair story's berita acara in docs/ (pdftoppm: package poppler-utils).
docs: $(STAMP)
	$(BIN)/python -m tests.docs_berita_acara docs/berita-acara-contoh.pdf
	pdftoppm -png -r 100 -f 1 -l 1 -singlefile docs/berita-acara-contoh.pdf docs/berita-acara-contoh
	rm docs/berita-acara-contoh.pdf

clean:
	rm -rf $(VENV) *.egg-info
