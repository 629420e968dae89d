import contextlib
import fcntl
import functools
import hashlib
import io
import os
import pickle
import shutil
import sys
import threading
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

CORPUS = Path(settings.BASE_DIR) / "corpus"


def pytest_configure(config):
    """Compile the .po files as `make test` does, so plain `pytest` sees Chinese too.

    Once, before any test runs: under pytest-xdist, in the main process before its
    workers start, so no worker reads a .mo file another one is writing.
    """
    if hasattr(config, "workerinput"):
        return
    from search.management.commands.compile_translations import compile_translations

    compile_translations()


# Modules whose tests share a costly module-scoped fixture (an index of their own, a
# browser): under pytest-xdist each runs whole on one worker, which sets it up once.
WHOLE_MODULES = (
    "tests/engine/test_relevance.py",
    "tests/engine/test_questions.py",
    "tests/web/test_browser.py",
    "tests/ingest/test_agreed_language.py",
    "tests/web/test_proceedings_page.py",
    "tests/web/test_amendments_page.py",
    "tests/web/test_amendments_api.py",
    "tests/engine/test_proceedings_filters.py",
    "tests/web/test_startup.py",
    "tests/web/test_csp_browser.py",
    "tests/web/test_amendments_browser.py",
    "tests/web/test_proceedings_browser.py",
    "tests/web/test_mandates_pages.py",
    "tests/web/test_due_browser.py",
    # Not a shared fixture: its one test takes 30 s, so it starts first rather than last.
    "tests/bench/test_benchmark.py",
)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`pytest -n N` (`make test`): tests go one at a time to whichever worker is free,
    but those of WHOLE_MODULES go a module at a time, before the others.

    (xdist's own grouping, `--dist loadgroup` with `xdist_group` marks, renames the
    tests, which this pytest no longer lets a plugin do.)
    """
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class Scheduler(LoadScopeScheduling):
        # Units are handed out largest first: the whole modules, then one test each.
        def _split_scope(self, nodeid):
            module = nodeid.split("::", 1)[0]
            return module if module in WHOLE_MODULES else nodeid

    return Scheduler(config, log)


@pytest.fixture(autouse=True)
def index_dir(settings, tmp_path_factory):
    """Give every test its own index folder, never the development one."""
    from search.engine.index import reset_searcher

    settings.INDEX_DIR = tmp_path_factory.mktemp("index")
    # No thread applying the change log behind a test's back: commits apply it.
    settings.INDEX_FOLLOW = False
    reset_searcher()
    yield settings.INDEX_DIR
    reset_searcher()


@pytest.fixture(autouse=True)
def default_language():
    """Start every test in the site's default language: a request in Chinese leaves it active
    in the thread that served it (the locale middleware activates it and never deactivates),
    and what the write side says is in the active language."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def results_cache():
    """Start every test with an empty results cache.

    Its keys hold the change log's last number and time: a test's rows, rolled back and
    loaded again by the next test, may repeat both, which committed data never does.
    """
    from django.core.cache import caches

    caches["results"].clear()
    yield caches["results"]


class _Rollback(Exception):
    pass


@pytest.fixture(scope="session")
def corpus_index_dir(django_db_setup, django_db_blocker, tmp_path_factory):
    """Index the real corpus once per session: load it, rebuild, roll the rows back.

    Indexing is most of what loading the corpus costs (jieba, n-grams); the rows
    themselves take a tenth of a second, so each test loads them again in its own
    transaction and reads this index, which no test may write to.
    """
    path = tmp_path_factory.mktemp("corpus-index")
    with django_db_blocker.unblock(), override_settings(INDEX_DIR=path):
        try:
            with transaction.atomic():
                _restart_ids()
                _load_corpus()
                _index_corpus(path)
                raise _Rollback
        except _Rollback:
            pass
    return path


CORPUS_INDEXES = Path(settings.BASE_DIR) / "var" / "test-corpus-index"


@functools.cache
def _corpus_fingerprint() -> str:
    """What the corpus's index is made from: the code, the corpus's texts, the pinned libraries."""
    base = Path(settings.BASE_DIR)
    sources = sorted((base / "search").rglob("*.py")) + sorted(CORPUS.glob("*/*.txt"))
    digest = hashlib.sha256(sys.version.encode())
    for path in [*sources, CORPUS / "manifest.toml", base / "requirements.lock"]:
        digest.update(str(path.relative_to(base)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _index_corpus(path: Path) -> None:
    """Index the corpus just loaded into `path`: rebuilt by the first process of the suite (of
    either database), copied by the others. The same code indexes the same rows with the same
    ids (`_restart_ids`) into the same index; only the change log's state is this database's,
    written as a rebuild writes it. A copy that does not hold these rows' ids is rebuilt instead."""
    from search.engine import index

    kept = CORPUS_INDEXES / _corpus_fingerprint()
    CORPUS_INDEXES.mkdir(parents=True, exist_ok=True)
    for stale in CORPUS_INDEXES.iterdir():
        if stale.is_dir() and stale.name != kept.name:
            shutil.rmtree(stale, ignore_errors=True)
    with open(CORPUS_INDEXES / f"{kept.name}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if kept.is_dir() and _copied_index(kept, path):
            return
        call_command("rebuild_index", stdout=_Sink())
        shutil.rmtree(kept, ignore_errors=True)
        partial = kept.with_name(f"{kept.name}.{os.getpid()}")
        shutil.copytree(index._current(path), partial)
        os.replace(partial, kept)


def _copied_index(kept: Path, path: Path) -> bool:
    """Copy the kept index into `path` with this database's change-log state, as a rebuild
    starting now would record it; say whether it holds the paragraphs here, by the ids of their
    language versions."""
    from whoosh import index as whoosh_index

    from search.engine import index
    from search.models import IndexChange, Paragraph

    generation = path / f"gen-copied-{os.getpid()}"
    shutil.copytree(kept, generation)
    cutoff = timezone.now() - index.LATE_COMMIT_WINDOW
    recent = IndexChange.objects.filter(created_at__gte=cutoff).values_list("seq", "created_at")
    state = {"seq": index.latest_seq(), "recent": [(seq, at.timestamp()) for seq, at in recent]}
    index._write_state(generation, state)
    paragraphs = Paragraph.objects.values_list("version_id", "anchor")
    rows = {f"{version}:{anchor}" for version, anchor in paragraphs}
    with whoosh_index.open_dir(str(generation)).searcher() as searcher:
        whole = {fields["id"] for fields in searcher.all_stored_fields()} == rows
    if whole:
        index._swap(path, generation)
    else:
        shutil.rmtree(generation)
    return whole


@pytest.fixture
def corpus(shared_rows_kept, db, corpus_index_dir, settings, django_db_blocker):
    """The real corpus in the database and in the search index, for tests that read.

    Its rows are rolled back after the test; the index is shared by every test that
    uses this fixture: a test that indexes anything uses `loaded_corpus` instead.
    """
    _corpus_rows(django_db_blocker)
    read_index(settings, corpus_index_dir)


def _corpus_rows(django_db_blocker):
    """The corpus's rows, with the ids the shared index was built with: those `shared_rows`
    holds for a run of tests, or loaded in the test's own transaction."""
    if shared_rows.atomic is None:
        # The ids the index was built with (PostgreSQL does not roll sequences back).
        _restart_ids()
        _load_corpus()
    else:
        # New rows numbered after the corpus's, as after a load of the test's own.
        _reset_sequences_to_rows()
    # The session's database and index exist: later tests can share rows.
    shared_rows.blocker = django_db_blocker


class SharedRows:
    """The corpus's rows loaded once for consecutive tests of a process that take `corpus`
    or `indexed_corpus_copy` in a rolled-back transaction (the tests' own run inside it,
    each in a savepoint), as the module fixtures of `corpus_and_pdfs` hold theirs.

    Loading the rows (0.2 s on SQLite, 0.5 s on PostgreSQL) was most of such a test's
    time. Opened before such a test is set up, rolled back after its teardown unless the
    next test is one too: any other test (an empty database, a live server, committed
    writes) never sees them.
    """

    def __init__(self):
        self.blocker = None  # pytest-django's, once a test has built the session's index
        self.atomic = None

    def open(self):
        if self.atomic is not None or self.blocker is None:
            return
        with self.blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                _restart_ids()
                _load_corpus()
            except BaseException:
                atomic.__exit__(*sys.exc_info())
                raise
            self.atomic = atomic

    def close(self):
        if self.atomic is None:
            return
        atomic, self.atomic = self.atomic, None
        with self.blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


shared_rows = SharedRows()


@pytest.fixture(scope="session")
def shared_rows_kept(django_db_setup):
    """`shared_rows`, rolled back before the session's test databases are destroyed."""
    yield shared_rows
    shared_rows.close()


def _reads_shared_rows(item) -> bool:
    """Whether the test takes the corpus's rows in a transaction of its own that it rolls back."""
    from pytest_django.fixtures import validate_django_db

    names = getattr(item, "fixturenames", ())
    if not {"corpus", "indexed_corpus_copy"} & set(names):
        return False
    if {"transactional_db", "live_server", "django_db_reset_sequences"} & set(names):
        return False
    marker = item.get_closest_marker("django_db")
    transactional, reset_sequences, *_ = validate_django_db(marker) if marker else (False, False)
    return not (transactional or reset_sequences)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    # Before the test's fixtures: its own transaction is a savepoint in the shared one.
    if _reads_shared_rows(item):
        shared_rows.open()
    else:
        shared_rows.close()
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        if nextitem is None or not _reads_shared_rows(nextitem):
            shared_rows.close()


def _reset_sequences_to_rows():
    """Number new rows after those there are (PostgreSQL; SQLite's numbering rolls back)."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(statement)


def read_index(settings, path):
    """Search the index at `path` (a module's or the session's, which no test writes to)."""
    from search.engine.index import reset_searcher

    settings.INDEX_DIR = path
    reset_searcher()


@pytest.fixture
def indexed_corpus_copy(shared_rows_kept, db, corpus_index_dir, settings, django_db_blocker):
    """The corpus rows and a copy of its index of the test's own, which the test may change.

    Rows get the ids they had when the shared index was built, so the index's
    per-version terms (Text ids) name the same versions.
    """
    from search.engine.index import reset_searcher

    _corpus_rows(django_db_blocker)
    shutil.copytree(corpus_index_dir, settings.INDEX_DIR, symlinks=True, dirs_exist_ok=True)
    reset_searcher()


def _load_corpus():
    """`manage.py load_corpus`, as the fixtures run it: each file parsed once per process.

    The parse is a function of the file's text and language alone, and storing only
    reads it, so a later load stores the same rows from the first load's parse; reading
    the files and storing them is done every time. tests/ingest/test_load_corpus.py
    runs the loader uncached.
    """
    with mock.patch("search.ingest.corpus.parse_document", _parse_once):
        call_command("load_corpus", stdout=_Sink(), stderr=_Sink())


@functools.cache
def _parse_once(text, language):
    from search.parsing import parse_document

    return parse_document(text, language)


def _restart_ids():
    """Number new rows from 1 again (the tables are empty: this runs before loading)."""
    from django.core.management.color import no_style
    from django.db import connection

    statements = connection.ops.sequence_reset_by_name_sql(
        no_style(), connection.introspection.sequence_list()
    )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@pytest.fixture
def loaded_corpus(db):
    """Load the real corpus, as `make run` does, with an empty index of the test's own."""
    _load_corpus()


@pytest.fixture
def live_corpus(transactional_db, corpus_index_dir, settings):
    """The corpus committed, for a server in another thread, with a copy of the index.

    The copy is the test's own, so what it publishes is indexed there.
    """
    from search.engine.index import _current, _write_state, latest_seq, reset_searcher

    # The rows are those the shared index was built from, with the same ids: log
    # nothing to apply again. Nor trace their wording once committed (2 s), as the
    # shared index was built untraced: a test about lineage runs `trace_wording`.
    _restart_ids()
    with (
        mock.patch("search.ingest.store.record_changes"),
        mock.patch("search.ingest.agreed_language.trace_committed"),
    ):
        _load_corpus()
    shutil.copytree(corpus_index_dir, settings.INDEX_DIR, symlinks=True, dirs_exist_ok=True)
    _write_state(_current(settings.INDEX_DIR), {"seq": latest_seq(), "recent": []})
    reset_searcher()


@pytest.fixture
def confirmed_draft():
    """A draft of the corpus's report that staff matched, in the admin, to a resolution with
    a language in common: the corpus's own draft (Chinese) became a resolution that is in
    English only, so it has no draft ↔ resolution comparison to offer. Use after a fixture
    that loads the corpus."""
    from search.models import BECAME_STAFF, Resolution

    drafts = Resolution.objects.filter(contained_in__key="report-79-third-committee-item-107")
    draft = drafts.order_by("key").first()
    draft.became = Resolution.objects.get(key="A/RES/71/322")
    draft.became_method = BECAME_STAFF
    draft.save()
    return draft


@pytest.fixture
def make_corpus(tmp_path):
    """Return a function that writes a corpus dir from {name: bytes} and manifest entries."""

    def make(files: dict[str, bytes], entries: list[dict]) -> Path:
        for name, data in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        lines = []
        for entry in entries:
            lines.append("[[document]]")
            lines.extend(f"{field} = {_toml(value)}" for field, value in entry.items())
            lines.append("")
        (tmp_path / "manifest.toml").write_text("\n".join(lines), encoding="utf-8")
        return tmp_path

    return make


def draft_matched(method: str, confidence: float | None = None) -> dict:
    """A Third Committee draft matched by the matcher (`method`) to the first of two
    resolutions, and an amendment to it: the rows by symbol, each with an English text."""
    from search.models import Resolution, Text

    rows = {}
    for symbol, doc_type in (
        ("A/C.3/80/L.2", "draft_resolution"),
        ("A/RES/80/192", "resolution"),
        ("A/RES/80/193", "resolution"),
        ("A/C.3/80/L.56", "amendment"),
    ):
        rows[symbol] = Resolution.objects.create(key=symbol, symbol=symbol, doc_type=doc_type, committee="C3")
        Text.objects.create(resolution=rows[symbol], language="en", title=f"Title of {symbol}")
    Resolution.objects.filter(pk=rows["A/C.3/80/L.2"].pk).update(
        became=rows["A/RES/80/192"], became_method=method, became_confidence=confidence
    )
    return rows


def paragraphs_containing(text: str) -> int:
    """Count stored paragraphs that contain `text`, spaces between characters allowed.

    An oracle for page tests, independent of the search's analysis.
    """
    import re

    from search.models import Paragraph

    pattern = re.compile(r"\s*".join(map(re.escape, text)))
    return sum(1 for t in Paragraph.objects.values_list("text", flat=True) if pattern.search(t))


def stored_snapshot():
    """Everything stored, to show that a refusal changed nothing."""
    from search.models import Footnote, Paragraph, Resolution, SourceFile, Text, Upload

    return (
        list(Resolution.objects.order_by("pk").values()),
        list(Text.objects.order_by("pk").values("pk", "title", "source_id", "updated_at")),
        list(Paragraph.objects.order_by("pk").values_list("pk", "anchor", "text")),
        Footnote.objects.count(),
        list(SourceFile.objects.order_by("pk").values_list("sha256", flat=True)),
        list(Upload.objects.order_by("pk").values_list("pk", "status")),
    )


def staff_with(username, *codenames):
    """A staff member (not a superuser) holding exactly these permissions of the search app."""
    from django.contrib.auth.models import Permission, User

    user = User.objects.create_user(username, password="pw", is_staff=True)
    found = Permission.objects.filter(content_type__app_label="search", codename__in=codenames)
    assert sorted(p.codename for p in found) == sorted(codenames)
    user.user_permissions.add(*found)
    return user


def corpus_bytes(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def copy_corpus(to: Path) -> Path:
    shutil.copytree(CORPUS, to)
    return to


def _toml(value):
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Sink:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass


@functools.cache  # tests only read the result
def parse_ods_pdf(name: str):
    """An official PDF of corpus/ods/ read as an upload reads it (its layout), parsed in English."""
    from search.ingest.extract import extract
    from search.parsing import parse_document

    extracted = extract((CORPUS / "ods" / name).read_bytes(), name)
    assert extracted.layout == "markdown"
    return parse_document(extracted.text, "en", extracted.layout)


# Files read by `files_read_once`, kept on disk for the other test processes (xdist's
# workers, the PostgreSQL run after the SQLite one) and later runs, under a name that
# changes whenever the reader's code, its pinned libraries or Python do.
READS = Path(settings.BASE_DIR) / "var" / "test-reads"


@functools.cache
def _reader_fingerprint() -> str:
    base = Path(settings.BASE_DIR)
    sources = [*(base / "search" / "ingest").rglob("*.py"), *(base / "search" / "parsing").rglob("*.py")]
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted(sources) + [base / "requirements.lock"]:
        digest.update(str(path.relative_to(base)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@functools.cache  # tests only read the result
def _read_once(data: bytes, filename: str, language: str | None):
    name = hashlib.sha256(b"\0".join([data, filename.encode(), str(language).encode()])).hexdigest()
    kept = READS / _reader_fingerprint() / f"{name}.pickle"
    if kept.exists():
        return pickle.loads(kept.read_bytes())  # written below by a test process: our own
    for stale in READS.glob("*"):
        if stale.name != kept.parent.name:
            shutil.rmtree(stale, ignore_errors=True)
    kept.parent.mkdir(parents=True, exist_ok=True)
    # One process reads a file; the others (xdist's workers, the PostgreSQL run beside the
    # SQLite one) wait for its answer rather than read it again.
    with open(kept.with_suffix(".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if kept.exists():
            return pickle.loads(kept.read_bytes())
        reading = _read(data, filename, language)  # a refusal raises, and is not kept
        partial = kept.with_suffix(f".{os.getpid()}.{threading.get_ident()}")
        partial.write_bytes(pickle.dumps(reading))
        os.replace(partial, kept)  # whole or not at all, whoever reads it meanwhile
    return reading


@contextlib.contextmanager
def files_read_once():
    """For tests and fixtures that import files to have them, not to read them: each file
    is read (in a child process, as an import reads it) once by the whole suite; the
    answer is kept in memory and in READS. Publishing them is done every time.
    tests/ingest/test_import_documents.py, test_sandbox.py and the upload tests read uncached."""
    global _read
    from search.ingest import sandbox

    if sandbox.read is not _read_once:
        _read = sandbox.read
    with mock.patch.object(sandbox, "read", _read_once):
        yield


def import_ods(*names: str, jobs: int = 1) -> str:
    """`manage.py import_documents` of these PDFs of corpus/ods, each read once by the suite."""
    out = io.StringIO()
    with files_read_once():
        call_command(
            "import_documents",
            *(str(CORPUS / "ods" / name) for name in names),
            "--jobs",
            str(jobs),
            stdout=out,
        )
    return out.getvalue()


def import_session(*pdfs: str) -> None:
    """These PDFs of corpus/ods and the session's proceedings (corpus/proceedings), as
    `make run` loads them: the documents first, then the record that links them."""
    import_ods(*pdfs)
    call_command("import_proceedings", str(CORPUS / "proceedings"), stdout=io.StringIO())


@contextlib.contextmanager
def session_stored(django_db_blocker, *pdfs: str):
    """For a module's fixture: `import_session` once, in a transaction rolled back at the
    end; each of the module's tests runs in a savepoint inside it (WHOLE_MODULES sends the
    module to one worker)."""
    with django_db_blocker.unblock(), transaction.atomic():
        import_session(*pdfs)
        yield
        transaction.set_rollback(True)


@contextlib.contextmanager
def corpus_and_pdfs(django_db_blocker, path: Path, pdfs: list[str], *, trace: bool = False):
    """For a module's fixture: the manifest corpus and these PDFs of corpus/ods loaded as
    `make run` loads them (read on both cores, published one at a time), indexed into
    `path`, in a transaction rolled back at the end. The module's tests run inside it
    (each in a savepoint), so they see the rows with the ids the index was built with.

    Nothing commits in it, so what a publish traces once committed is not: with `trace`,
    `trace_wording --if-needed` does it, as `make run` does for untraced rows.

    The import does not index what it stored: everything is indexed once, at the end, as
    `make run` goes on (`rebuild_index --if-needed`). Indexing at the import and again
    for the versions a trace changed cost twice as much, for the same index.
    """
    with (
        django_db_blocker.unblock(),
        override_settings(INDEX_DIR=path, INDEX_FOLLOW=False),
        transaction.atomic(),
    ):
        call_command("load_corpus", stdout=io.StringIO(), stderr=io.StringIO())
        with mock.patch("search.ingest.bulk.apply_changes_soon"):
            import_ods(*pdfs, jobs=2)
        if trace:
            call_command("trace_wording", "--if-needed", stdout=io.StringIO())
        out = io.StringIO()
        call_command("rebuild_index", "--if-needed", stdout=out)
        assert "rebuilt" in out.getvalue(), out.getvalue()
        yield path
        transaction.set_rollback(True)


def all_hits(q):
    """Every hit of a query, page after page."""
    from search.engine.searching import search_paragraphs

    hits, page = [], 1
    while True:
        result = search_paragraphs(q, page=page, per_page=100)
        hits += result["hits"]
        if page * 100 >= result["total"]:
            assert len(hits) == result["total"]
            return hits
        page += 1


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    """Chromium for a module's browser tests, started once for the module."""
    with chromium() as browser:
        yield browser


@contextlib.contextmanager
def chromium():
    """Debian's Chromium, driven by Playwright (which cannot download a browser here): a
    test that cannot find it fails, it never skips."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: apt-get install chromium (see .ci/run)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
