# PropDesk — every target installs what it needs into .venv first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install run demo test lint fmt asyncapi bench chaos clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/propdesk up

demo: $(STAMP)
	$(BIN)/propdesk demo --out var/reports

test: lint
	$(BIN)/pytest -n 3 --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

asyncapi: $(STAMP)
	$(BIN)/propdesk asyncapi --output docs/asyncapi.json

bench: $(STAMP)
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.escalation
	$(BIN)/python -m bench.replay
	$(BIN)/python -m bench.pack
	$(BIN)/python -m bench.month_fill
	$(BIN)/python -m bench.scale

chaos: $(STAMP)
	$(BIN)/python -m bench.chaos
	$(BIN)/python -m bench.chaos --nodes 3

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
