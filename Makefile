PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test lint format bench browser

# make bench PARAGRAPHS=1000000 QUERIES=300
PARAGRAPHS ?= 100000
QUERIES ?= 300

# Reinstall only when the pins or the project metadata change.
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -r requirements.lock
	$(PY) -m pip install -q --no-deps -e .
	touch $@

run: $(VENV)/.installed
	$(PY) manage.py compile_translations
	$(PY) manage.py migrate
	# A document that fails to load is reported; the server still starts with the rest.
	-$(PY) manage.py load_corpus
	# The index is derived data: rebuild it so it matches the database whatever happened to it.
	$(PY) manage.py rebuild_index
	$(PY) manage.py runserver 127.0.0.1:8000

# The browser tests drive Debian's Chromium; Chinese text needs a CJK font to render.
# Installed only when missing (needs root, as on the CI machine).
browser:
	@if ! command -v chromium >/dev/null || ! dpkg -s fonts-wqy-microhei >/dev/null 2>&1; then \
		apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; \
	fi

# The linter and the formatter's check, as CI runs them before the tests.
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: browser $(VENV)/.installed lint
	$(PY) manage.py compile_translations
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest

# Its own database and index in a temporary folder: never db.sqlite3 or var/index.
bench: $(VENV)/.installed
	$(PY) manage.py benchmark --paragraphs $(PARAGRAPHS) --queries $(QUERIES)
