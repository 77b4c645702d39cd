# relcap developer commands. `make run` and `make test` install everything they need first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.install-stamp
PORT ?= 8000

.PHONY: install run test lint fmt check bench bench-count bench-diff load faults faults-short pg worker \
	messages compilemessages messages-check

install: $(STAMP) compilemessages

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $(STAMP)

run: install compilemessages
	@$(PY) manage.py migrate --noinput -v 0
	@$(PY) manage.py ensure_dev_admin --port $(PORT)
	@$(PY) manage.py runserver 127.0.0.1:$(PORT)

# A Celery worker with beat (the schedules) in one process, against CELERY_BROKER_URL.
worker: install
	@test -n "$$CELERY_BROKER_URL" || { echo "set CELERY_BROKER_URL, e.g. redis://127.0.0.1:6379/0"; exit 2; }
	$(VENV)/bin/celery -A relcap worker --beat --loglevel INFO --schedule $(VENV)/celerybeat-schedule

# One pytest worker per core (pytest-xdist): the suite takes about half the time on 2 cores.
test: install compilemessages
	$(PY) -m pytest -n auto

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

# Interface translations (gettext). The .po files under locale/ are committed; the compiled .mo
# files are build output (make run, make test and the Dockerfile compile them; msgfmt from GNU
# gettext). `make messages` extracts every {% translate %} and gettext() call into the .po files;
# `make messages-check` (CI) fails when a .po file is stale or has an untranslated or fuzzy entry.
MESSAGE_IGNORES := --ignore=.venv --ignore=tests --ignore=staticfiles --ignore=media --ignore='*.egg-info'
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

messages: install
	$(PY) manage.py makemessages -l de --no-obsolete $(MESSAGE_IGNORES)

compilemessages: $(MO_FILES)

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po
	@command -v msgfmt >/dev/null || { echo "msgfmt is missing: install GNU gettext (apt-get install gettext)"; exit 2; }
	msgfmt --check -o $@ $<

messages-check: install
	$(PY) scripts/check_messages.py

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

faults-short: install
	$(PY) tests/perf/faults.py --short

pg:
	docker compose up -d db
