"""The Whoosh index: derived from the database, one document per paragraph.

Layout of settings.INDEX_DIR:

    current -> gen-<stamp>   symlink to the index searches read
    gen-<stamp>/             one complete index per rebuild
    write.lock               held by whoever writes, so a second writer waits

`rebuild_index` builds a new generation and swaps the `current` symlink with one
rename, so a search sees the old index or the new one, never a half-built one. The
previous generation is kept for searchers that still have it open.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import threading
import time
from pathlib import Path

from django.conf import settings
from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from search.engine.analysis import literal_analyzer, word_analyzer
from search.models import Paragraph

CURRENT = "current"
LOCK = "write.lock"
# Whoosh's own lock only guards against bugs here: ours is taken first.
# compound=False: Whoosh would otherwise copy each compound segment file into memory
# when a searcher opens it (+400 MB at 100,000 paragraphs); separate files are mapped.
WRITER_OPTIONS = {"timeout": 60.0, "limitmb": 256, "compound": False}


def make_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        version=ID,  # Text pk: re-indexing one language version deletes by it
        resolution=ID(stored=True),
        symbol=ID(stored=True),
        # Lower-cased symbol and its tails ("71/322", "res/71/322") for symbol: filters.
        symbol_forms=KEYWORD(lowercase=True, commas=False),
        language=ID(stored=True, sortable=True),
        kind=ID(stored=True, sortable=True),
        body=ID(stored=True, sortable=True),
        year=ID(stored=True, sortable=True),
        doc_type=ID(stored=True, sortable=True),
        anchor=ID(stored=True),
        label=STORED,
        title=STORED,
        adopted_on=STORED,
        order=NUMERIC(stored=True, sortable=True),
        content=TEXT(analyzer=word_analyzer(), phrase=True),
        literal=TEXT(analyzer=literal_analyzer(), phrase=True),
        text=STORED,
    )


def symbol_forms(symbol: str | None) -> list[str]:
    """Return the ways a user may type a symbol: whole, or its tail of two parts or more."""
    if not symbol:
        return []
    parts = symbol.lower().split("/")
    return ["/".join(parts[i:]) for i in range(len(parts) - 1)]


def paragraph_document(paragraph: Paragraph) -> dict:
    text = paragraph.version
    resolution = text.resolution
    adopted = resolution.adopted_on
    return {
        "id": f"{text.pk}:{paragraph.anchor}",
        "version": str(text.pk),
        "resolution": resolution.key,
        "symbol": resolution.symbol or "",
        "symbol_forms": " ".join(symbol_forms(resolution.symbol)),
        "language": text.language,
        "kind": paragraph.kind,
        "body": resolution.body or "",
        "year": str(adopted.year) if adopted else "",
        "doc_type": resolution.doc_type,
        "anchor": paragraph.anchor,
        "label": paragraph.label_in(text.language),
        "title": text.title,
        "adopted_on": adopted.isoformat() if adopted else "",
        "order": paragraph.order,
        "content": paragraph.text,
        "literal": paragraph.text,
        "text": paragraph.text,
    }


def _paragraphs(version_ids=None):
    rows = Paragraph.objects.select_related("version__resolution").order_by("version_id", "order")
    if version_ids is not None:
        rows = rows.filter(version_id__in=version_ids)
    return rows.iterator(chunk_size=2000)


# --- files and locks --------------------------------------------------------


def index_root() -> Path:
    return Path(settings.INDEX_DIR)


@contextlib.contextmanager
def writer_lock(root: Path | None = None):
    """Hold the index's write lock; a second writer blocks here until it is free."""
    root = root or index_root()
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _new_generation(root: Path) -> Path:
    path = root / f"gen-{time.time_ns()}"
    path.mkdir()
    whoosh_index.create_in(str(path), make_schema())
    return path


def _swap(root: Path, generation: Path) -> None:
    """Point `current` at generation with one atomic rename; drop older generations."""
    link = root / CURRENT
    previous = link.resolve() if link.is_symlink() else None
    tmp = root / f".{CURRENT}-{time.time_ns()}"
    os.symlink(generation.name, tmp)
    os.replace(tmp, link)
    keep = {generation.resolve(), previous}
    for path in root.glob("gen-*"):
        if path.resolve() not in keep:
            shutil.rmtree(path, ignore_errors=True)


def _ensure_current(root: Path) -> Path:
    """Return the current generation, creating an empty index if there is none."""
    link = root / CURRENT
    if not link.exists():
        _swap(root, _new_generation(root))
    return link.resolve()


# --- writing ----------------------------------------------------------------


def rebuild_index() -> int:
    """Build a new index from the database and swap it in; return the paragraphs indexed."""
    root = index_root()
    with writer_lock(root):
        generation = _new_generation(root)
        try:
            ix = whoosh_index.open_dir(str(generation))
            count = 0
            # Analysis (jieba, n-grams) is most of the work: spread it over the cores.
            # The segments each process writes are kept as they are (no final merge).
            with ix.writer(**WRITER_OPTIONS, **_parallel()) as writer:
                for paragraph in _paragraphs():
                    writer.add_document(**paragraph_document(paragraph))
                    count += 1
            ix.close()
        except BaseException:
            shutil.rmtree(generation, ignore_errors=True)
            raise
        _swap(root, generation)
    return count


def _parallel() -> dict:
    # Worth the processes it starts only on a large corpus.
    if Paragraph.objects.count() < 5000:
        return {}
    procs = min(os.cpu_count() or 1, int(os.environ.get("INDEX_PROCS", "4")))
    return {"procs": procs, "multisegment": True} if procs > 1 else {}


def index_versions(version_ids) -> None:
    """Replace the indexed paragraphs of these language versions with what the database holds."""
    ids = sorted(set(version_ids))
    if not ids:
        return
    root = index_root()
    with writer_lock(root):
        ix = whoosh_index.open_dir(str(_ensure_current(root)))
        with ix.writer(**WRITER_OPTIONS) as writer:
            for pk in ids:
                writer.delete_by_term("version", str(pk))
            for paragraph in _paragraphs(ids):
                writer.add_document(**paragraph_document(paragraph))
        ix.close()


# --- reading ----------------------------------------------------------------

_searcher_lock = threading.Lock()
_searcher = None
_searcher_path: Path | None = None


def get_searcher():
    """Return this process's searcher, reopened or refreshed when the index changed."""
    global _searcher, _searcher_path
    root = index_root()
    with _searcher_lock:
        link = root / CURRENT
        if not link.exists():
            with writer_lock(root):
                _ensure_current(root)
        path = link.resolve()
        if _searcher is None or path != _searcher_path:
            old = _searcher
            _searcher = whoosh_index.open_dir(str(path)).searcher()
            _searcher_path = path
            if old is not None:
                old.close()
            _forget_old_segments(_searcher)
        elif not _searcher.up_to_date():
            _searcher = _searcher.refresh()
            _forget_old_segments(_searcher)
        return _searcher


def _forget_old_segments(searcher) -> None:
    """Drop the arrays cached for segments a merge or a rebuild has replaced."""
    from search.engine import docsets

    docsets.forget_segments({key[0] for key in docsets.state(searcher.reader())})


def reset_searcher() -> None:
    """Forget the cached searcher (tests switch INDEX_DIR between runs)."""
    global _searcher, _searcher_path
    with _searcher_lock:
        if _searcher is not None:
            _searcher.close()
        _searcher = None
        _searcher_path = None
