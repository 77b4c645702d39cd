# relcap developer commands. `make run` and `make test` install everything they need first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.install-stamp

.PHONY: install run test lint fmt check bench bench-count bench-diff load faults pg

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $(STAMP)

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py ensure_dev_admin
	$(PY) manage.py runserver 127.0.0.1:8000

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

bench: install
	$(PY) tests/perf/bench.py

bench-count: install
	$(PY) tests/perf/count_scoring.py

bench-diff: install
	$(PY) tests/perf/bench_diff.py

load: install
	$(PY) tests/perf/load.py

faults: install
	$(PY) tests/perf/faults.py

pg:
	docker compose up -d db
