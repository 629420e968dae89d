PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: prepare run serve test test-sqlite test-postgres lint format bench browser figures costly

# make serve: where gunicorn listens and how many worker processes it runs: one a core,
# the requests being processor work, and one more to keep the cores busy while a worker
# waits on the database or a client. More split the caches of each worker further (on 2
# cores, 50 clients: 3 workers served 109-136 requests/s, 5 workers 121; docs/serving.md).
BIND ?= 127.0.0.1:8000
# Health probes' own address: a probe there is taken by the first worker to come free,
# not queued behind the public requests; it answers /healthz only (docs/serving.md).
PROBE_BIND ?= 127.0.0.1:8001
WEB_CONCURRENCY ?= $(shell echo $$(($$(nproc) + 1)))

# make bench PARAGRAPHS=1000000 QUERIES=300
PARAGRAPHS ?= 100000
QUERIES ?= 300

# Reinstall only when the pins or the project metadata change.
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -r requirements.lock
	$(PY) -m pip install -q --no-deps -e .
	touch $@

# What `run` and `serve` do before serving, in one process (search/management/commands/
# prepare.py): translations, migrations, the corpus (its texts, its official PDFs read on
# every core, the amendments' operations, the proceedings), shared wording, and the index,
# rebuilt once at the end when most of it changed. A document that fails to load is
# reported and the server still starts with the rest; a second start finds nothing to do.
prepare: $(VENV)/.installed
	$(PY) manage.py prepare

# The development server: DEBUG on, no SECRET_KEY needed, static files from their folders.
run: export DEBUG = 1
run: prepare
	$(PY) manage.py runserver 127.0.0.1:8000

# Production: DEBUG off, so SECRET_KEY must be set (see docs/serving.md);
# static files collected with hashed names and gzip copies, served by WhiteNoise.
# gunicorn's limits, and the start-up checks that stop it with a message, are in
# search/gunicorn_conf.py; each worker loads what a first search needs before it serves.
serve: export DEBUG = 0
serve: prepare
	$(PY) manage.py collectstatic --noinput -v 0
	PROBE_BIND=$(PROBE_BIND) $(VENV)/bin/gunicorn -c python:search.gunicorn_conf search.wsgi --workers $(WEB_CONCURRENCY) --bind $(BIND) --bind $(PROBE_BIND)

# The serving figures against a server started with `make serve 2> $(SERVER_LOG)` and this
# same environment (DATABASE_*, SECRET_KEY): the analyst mix, the same with attackers, the
# fuzz (tracebacks read from SERVER_LOG, rows compared) and the CPU cost of single requests.
SERVER_LOG ?= var/serve.log
figures: $(VENV)/.installed
	$(PY) -m bench.serving figures --url http://$(BIND) --probe-url http://$(PROBE_BIND) --server-log $(SERVER_LOG)

# The CPU time of every document page, comparisons, agreed language and the query mix, in this
# process (no server needed): the 10 costliest of each kind.
costly: $(VENV)/.installed
	$(PY) -m bench.costly

# The browser tests drive Debian's Chromium; Chinese text needs a CJK font to render.
# Installed only when missing (needs root, as on the CI machine).
browser:
	@if ! command -v chromium >/dev/null || ! dpkg -s fonts-wqy-microhei >/dev/null 2>&1; then \
		apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; \
	fi

# The linter, the formatter's check, the layers' import contracts (pyproject.toml) and
# the functions' complexity (.ci/complexity.py; docs/architecture.md), as CI runs them
# before the tests.
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) .ci/complexity.py

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Lint, the suite on SQLite, then the suite on PostgreSQL.
test: test-sqlite test-postgres

# The suite's settings supply a key of its own; pytest reads them from pyproject too.
test-sqlite test-postgres: export DJANGO_SETTINGS_MODULE = search.test_settings

# The suite runs on every core: pytest-xdist starts a worker per core and hands the tests
# out one at a time to whichever is free (the modules tests/conftest.py names go whole to
# one). Each worker has its own test database (named _gw0, _gw1: a file per worker on
# SQLite, a database per worker on PostgreSQL), temporary folders and live server.
# TEST_WORKERS=0 runs the suite in this one process.
TEST_WORKERS ?= auto
PYTEST := $(PY) -m pytest -n $(TEST_WORKERS)

test-sqlite: browser $(VENV)/.installed lint
	$(PY) manage.py compile_translations
	$(PY) manage.py makemigrations --check --dry-run
	$(PYTEST)

# The suite again on a local PostgreSQL server, which .ci/postgres installs (apt, as
# root) when missing and starts; it prints the database's URL. Left out: the browser
# tests (Chromium on the same pages, a third of the time; the two-server test in
# tests/web/test_serving.py still drives Chromium on PostgreSQL), and the tests that
# never open the database or whose subject does not depend on it: the parser, the PDF
# reader and the child process that reads files, the ranking's relevance set and the
# questions it answers, the benchmark's tools, the exports' file formats, the server's
# start-up checks and limits, the admin's translations, the code's complexity, and the
# engine's matching, ranking, highlighting and suggestions, which read the index alone, and the
# pages that only show what is stored (a document's page, comparisons, the search page, the
# home page, the settings): what reaches the database there is plain reads that the SQLite run
# covers. The change log, concurrent publishing, uploads, imports, admin edits and history,
# sign-in throttling (django-axes keeps its attempts in the database), exports, the API, the
# proceedings and amendments (their pages count queries) and the search engine's tests run there.
ENGINE_ALONE := tests/engine/test_analysis.py tests/engine/test_answers.py tests/engine/test_docsets.py \
	tests/engine/test_highlight.py tests/engine/test_substance.py \
	tests/engine/test_whoosh_internals.py tests/engine/test_word_order.py tests/engine/test_wording.py \
	tests/web/test_suggestions.py tests/web/test_query_presenters.py tests/test_complexity.py
NOT_ON_POSTGRES := $(ENGINE_ALONE) tests/web/test_browser.py tests/web/test_csp_browser.py tests/web/test_proceedings_browser.py tests/web/test_amendments_browser.py \
	tests/web/test_due_browser.py \
	tests/ingest/test_agreed_language_browser.py tests/parsing tests/ingest/test_pdf.py \
	tests/ingest/test_pdf_chinese.py tests/ingest/test_pdf_documents.py tests/ingest/test_extract.py \
	tests/ingest/test_pdf_chars.py tests/ingest/test_upload_pasted_pdf.py \
	tests/ingest/test_sandbox.py tests/ingest/test_parse_report.py tests/engine/test_relevance.py \
	tests/bench tests/web/test_export_files.py tests/web/test_startup.py \
	tests/engine/test_questions.py tests/ingest/test_admin_translations.py \
	tests/web/test_pages.py tests/web/test_compare.py tests/web/test_search_page.py tests/web/test_home.py \
	tests/test_settings.py
test-postgres: browser $(VENV)/.installed
	url=$$(.ci/postgres) && DATABASE_URL=$$url $(PYTEST) $(addprefix --ignore=,$(NOT_ON_POSTGRES))

# Its own database and index in a temporary folder: never db.sqlite3 or var/index.
# DEBUG stays off, as when serving; the benchmark signs nothing, so any key will do.
bench: export SECRET_KEY ?= benchmark-only-key-that-signs-nothing
bench: $(VENV)/.installed
	$(PY) manage.py benchmark --paragraphs $(PARAGRAPHS) --queries $(QUERIES)
