# Two commands set up everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
# Two workers (the machines here have 2 cores); each test file stays on one worker so a
# module's seed data loads once.
PYTEST_ARGS ?= -n 2 --dist loadfile

.PHONY: install system-deps demo serve test lint format messages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: system-deps $(STAMP)

# Debian packages the project needs beyond Python: Chromium for the browser tests,
# poppler-utils to look at rendered PDFs, Pango (WeasyPrint) and fonts for the LAKIP.
system-deps:
	@bash scripts/system-deps.sh

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_seed
	$(BIN)/python manage.py demo_users
	$(BIN)/python manage.py demo_evaluasi
	PORT=$(PORT) bash scripts/demo-serve.sh

serve: install
	PORT=$(PORT) bash scripts/demo-serve.sh

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Recompile the Indonesian catalogue after editing locale/id/LC_MESSAGES/django.po.
messages:
	msgfmt -c -o locale/id/LC_MESSAGES/django.mo locale/id/LC_MESSAGES/django.po

clean:
	rm -rf $(VENV) db.sqlite3 .test-media .pytest_cache .mypy_cache .ruff_cache
