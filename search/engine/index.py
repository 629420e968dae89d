"""The Whoosh index: derived from the database, one document per paragraph.

Layout of settings.INDEX_DIR:

    current -> gen-<stamp>   symlink to the index searches read
    gen-<stamp>/             one complete index per rebuild, with applied.json: the
                             last change-log sequence it holds
    write.lock               held by whoever writes, so writers take turns

The index follows the database through its change log (`IndexChange`): every write
of paragraphs records, in its own transaction, which language versions changed.
`apply_changes` re-indexes those versions from what the database holds now, in log
order, and then records the sequence it reached, so applying twice does no harm and
a writer killed at any moment is repaired by the next apply. `rebuild_index` builds
a new generation from the sequence it started at, swaps the `current` symlink with one
rename and catches up with the log. Requests never wait for the write lock: a commit
applies its change itself when the lock is free and otherwise leaves it to whoever
holds it, and a thread in every serving process applies what other processes and
machines logged, once a second.

Readers take `searching()`: one search at a time per process (Whoosh's readers are
not safe across threads), on a searcher reopened whenever the index changed. A
missing or damaged index raises `IndexUnavailable` and is rebuilt in the background.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import shutil
import struct
import threading
import time
import zlib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from whoosh import columns
from whoosh import index as whoosh_index
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema

from search.engine.agenda import document_items, index_terms, items_in
from search.engine.analysis import literal_analyzer, word_analyzer
from search.engine.building import StreamingWriter, build_segments, list_segments, write_segments
from search.engine.codec import MappedCodec, MappedPositions
from search.engine.state_names import sponsor_terms
from search.models import IndexChange, Paragraph, Proposal, Text
from search.parsing import PLENARY, formula_of, lead

log = logging.getLogger("search.engine")

CURRENT = "current"
LOCK = "write.lock"
STATE = "applied.json"
# A change logged by a transaction that commits later than one logged after it (on
# PostgreSQL sequence numbers are taken at insert, not at commit) is still looked
# for during this window, even below the sequence already reached.
LATE_COMMIT_WINDOW = timedelta(minutes=2)
FOLLOW_EVERY = 1.0  # seconds between two looks at the change log in a serving process
# Whoosh's own lock only guards against bugs here: ours is taken first.
# compound=False: Whoosh would otherwise copy each compound segment file into memory
# when a searcher opens it (+400 MB at 100,000 paragraphs); separate files are mapped.
# codec: postings written as arrays every process maps (engine.codec), not Whoosh's pickles.
# limitmb: unused by the streaming writer (engine.building), which cuts segments instead.
WRITER_OPTIONS = {"timeout": 60.0, "limitmb": 256, "compound": False, "codec": MappedCodec()}
# A rebuild cuts a segment when a process's postings reach this (engine.building): about
# 50,000 paragraphs, and some 400 MB of memory at most in each process.
SEGMENT_BUDGET = 256 * 1024 * 1024
# What reading a damaged index raises (truncated or missing segment files).
DAMAGE = (OSError, EOFError, zlib.error, struct.error, whoosh_index.IndexError)


class IndexUnavailable(Exception):
    """The index is missing or damaged and is being rebuilt: search cannot answer now."""


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
        session=ID(stored=True, sortable=True),  # "78"
        committee=ID(stored=True, sortable=True),  # "C3", "plenary"
        anchor=ID(stored=True),
        # "new": no adopted resolution dated earlier has this wording ("wording:new").
        wording=ID(stored=True, sortable=True),
        # From the proceedings (search.ingest.proceedings): how the resolution was adopted
        # ("recorded", "none"), whether this paragraph was put to a separate vote ("yes"),
        # its main sponsors' names in both languages, lower-cased ("japan,日本").
        vote=ID(stored=True, sortable=True),
        contested=ID(stored=True, sortable=True),
        sponsor=KEYWORD(lowercase=True, commas=True),
        # Its document's agenda items, with the session and without, and the items they
        # are part of ("80/72(a),72(a),80/72,72": engine.agenda); the facet counts those
        # with a session.
        agenda=KEYWORD(lowercase=True, commas=True),
        # What the paragraph asks (search.ingest.mandates): the entities asked
        # ("secretary-general,member-states"), the deliverables ("report") and when they are
        # due ("81", "hrc-62", "2030", "annually").
        asks=KEYWORD(lowercase=True, commas=True),
        deliverable=KEYWORD(lowercase=True, commas=True),
        due=KEYWORD(lowercase=True, commas=True),
        # Paragraphs with the same wording are shown once (engine.families): the paragraph's
        # family (Paragraph.family) and its own id, numbers read as columns.
        family=COLUMN(columns.NumericColumn("q")),  # columns only: nothing searches them
        pid=COLUMN(columns.NumericColumn("q")),
        label=STORED,
        title=STORED,
        adopted_on=STORED,
        order=COLUMN(columns.NumericColumn("i")),  # the paragraph's place in its text
        content=_with_positions(TEXT(analyzer=word_analyzer(), phrase=True)),
        literal=_with_positions(TEXT(analyzer=literal_analyzer(), phrase=True)),
        # The text's digest (`text_digest`), not the text: a hit's text is the database's,
        # read for the page to check that it is the text indexed (searching._held).
        digest=COLUMN(columns.NumericColumn("q")),
        # Read by ranking: the procedural formula the paragraph is written in ("report",
        # "agenda"…, see parsing.formulas) and what it is about (its resolution's title
        # and its first words), computed once here.
        formula=ID,
        subject=TEXT(analyzer=word_analyzer(), phrase=False),
    )


def _with_positions(field: TEXT) -> TEXT:
    """A text field whose positions the mapped postings file holds as arrays (engine.codec)."""
    field.format = MappedPositions(field_boost=field.format.field_boost)
    return field


def schema_is_current(schema: Schema) -> bool:
    """Does an index of this schema have what this version of the code reads: its fields,
    each of the same kind and format (positions written for the mapped postings file)?"""
    expected = make_schema()
    kinds = {name: (type(schema[name]), type(schema[name].format)) for name in schema.names()}
    return kinds == {name: (type(expected[name]), type(expected[name].format)) for name in expected.names()}


def text_digest(text: str) -> int:
    """A paragraph's text as eight bytes (a signed 64-bit number): the same in every process."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def symbol_forms(symbol: str | None) -> list[str]:
    """Return the ways a user may type a symbol: whole, or its tail of two parts or more."""
    if not symbol:
        return []
    parts = symbol.lower().split("/")
    return ["/".join(parts[i:]) for i in range(len(parts) - 1)]


@dataclass(frozen=True)
class Proceedings:
    """What the index files of a document's proceedings."""

    vote: str = ""
    contested: frozenset[str] = frozenset()  # anchors of paragraphs put to a separate vote
    sponsors: tuple[str, ...] = ()
    agenda_items: tuple[str, ...] = ()  # its proposal's ("99(kk)"): engine.agenda.document_items


NO_PROCEEDINGS = Proceedings()


def proceedings_facts(resolution_ids=None) -> dict[int, Proceedings]:
    """The proceedings of documents (all when None): the vote of the plenary stage that
    adopted it, the paragraphs put to a separate vote (Proposal.separate_votes_by_document),
    the main sponsors and agenda item of the proposals it belongs to. Read in
    four queries, and one more a proposal whose plenary took separate votes."""
    proposals = Proposal.objects.prefetch_related("stages__separate_votes", "stages__document").order_by("pk")
    if resolution_ids is not None:
        proposals = proposals.filter(stages__document_id__in=resolution_ids).distinct()
    found: dict[int, dict] = {}
    for proposal in proposals:
        stages = list(proposal.stages.all())
        for stage in stages:
            if stage.document_id:
                _gather(found.setdefault(stage.document_id, _facts()), proposal, stage)
        for document, votes in proposal.separate_votes_by_document(stages).items():
            found.setdefault(document, _facts())["contested"].update(a for _, v in votes for a in v.anchors)
    return {
        pk: Proceedings(f["vote"], frozenset(f["contested"]), tuple(f["sponsors"]), tuple(f["agenda"]))
        for pk, f in found.items()
    }


def _facts() -> dict:
    return {"vote": "", "contested": set(), "sponsors": {}, "agenda": {}}


def _gather(facts: dict, proposal: Proposal, stage) -> None:
    if stage.kind == PLENARY and stage.voting:
        facts["vote"] = stage.voting
    for name in proposal.sponsors:
        facts["sponsors"].update(dict.fromkeys(sponsor_terms(name)))
    facts["agenda"].update(dict.fromkeys(items_in(proposal.agenda_item)))


def paragraph_document(paragraph: Paragraph, proceedings: dict[int, Proceedings] | None = None) -> dict:
    text = paragraph.version
    resolution = text.resolution
    facts = (proceedings or {}).get(resolution.pk, NO_PROCEEDINGS)
    adopted = resolution.adopted_on
    year = resolution.year()
    session = resolution.session_number()
    return {
        "id": f"{text.pk}:{paragraph.anchor}",
        "version": str(text.pk),
        "resolution": resolution.key,
        "symbol": resolution.symbol or "",
        "symbol_forms": " ".join(symbol_forms(resolution.symbol)),
        "language": text.language,
        "kind": paragraph.kind,
        "body": resolution.body or "",
        "year": str(year) if year else "",
        "doc_type": resolution.doc_type,
        "session": session,
        "committee": resolution.filed_committee(),
        "anchor": paragraph.anchor,
        "wording": "new" if paragraph.new_wording else ("agreed" if paragraph.new_wording is False else ""),
        "vote": facts.vote,
        "contested": "yes" if paragraph.anchor in facts.contested else "",
        "sponsor": ",".join(facts.sponsors),
        "agenda": ",".join(index_terms(session, _items(resolution, facts))),
        **mandate_terms(paragraph.mandates.all()),
        "family": paragraph.family,
        "pid": paragraph.pk,
        "label": paragraph.label_in(text.language),
        "title": text.title,
        "adopted_on": adopted.isoformat() if adopted else "",
        "order": paragraph.order,
        "content": paragraph.text,
        "literal": paragraph.text,
        "digest": text_digest(paragraph.text),
        "formula": formula_of(paragraph.text),
        "subject": f"{text.title}\n{lead(paragraph.text)}",
    }


def mandate_terms(mandates) -> dict[str, str]:
    """The `asks`, `deliverable` and `due` terms of a paragraph's mandates, each once."""
    return {
        "asks": ",".join(dict.fromkeys(m.addressee for m in mandates if m.addressee)),
        "deliverable": ",".join(dict.fromkeys(m.deliverable for m in mandates if m.deliverable)),
        "due": ",".join(dict.fromkeys(m.due for m in mandates if m.due)),
    }


def _items(resolution, facts: Proceedings) -> list[str]:
    """A document's agenda items: its heading's, refined by its proceedings' (engine.agenda)."""
    return document_items(items_in(resolution.agenda_item), list(facts.agenda_items))


def _paragraphs(version_ids=None):
    rows = (
        Paragraph.objects.select_related("version__resolution__became")
        .prefetch_related("mandates")
        .order_by("version_id", "order")
    )
    if version_ids is not None:
        rows = rows.filter(version_id__in=version_ids)
    return rows.iterator(chunk_size=2000)


# --- files and locks --------------------------------------------------------


def index_root() -> Path:
    return Path(settings.INDEX_DIR)


@contextlib.contextmanager
def writer_lock(root: Path | None = None, block: bool = True):
    """Hold the index's write lock; yield False at once if `block` is off and it is taken."""
    root = root or index_root()
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK, "a") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | (0 if block else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
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


# Generations whose schema was found current: a generation's schema never changes, and
# the follower asks every second.
_current_schemas: set[str] = set()


def _schema_current(generation: Path) -> bool:
    """Does this index have the fields this version of the code searches and counts?"""
    if str(generation) in _current_schemas:
        return True
    try:
        schema = whoosh_index.open_dir(str(generation)).schema
    except DAMAGE:
        return False
    current = schema_is_current(schema)  # (the searcher checks the same)
    if current:
        _current_schemas.add(str(generation))
    return current


def _current(root: Path) -> Path | None:
    link = root / CURRENT
    return link.resolve() if link.exists() else None


# --- the change log -----------------------------------------------------------


def record_changes(version_ids) -> None:
    """Log that these language versions changed; call inside the transaction that changed them."""
    ids = sorted(set(version_ids))
    if ids:
        IndexChange.objects.bulk_create(IndexChange(version=pk) for pk in ids)
        transaction.on_commit(apply_changes_soon, robust=True)


def latest_seq() -> int:
    return IndexChange.objects.aggregate(last=Max("seq"))["last"] or 0


def _read_state(generation: Path) -> dict:
    try:
        state = json.loads((generation / STATE).read_text())
        return {"seq": int(state["seq"]), "recent": [tuple(r) for r in state.get("recent", [])]}
    except (OSError, ValueError, KeyError, TypeError):
        return {"seq": 0, "recent": []}  # nothing known applied: the whole log is looked at


def _write_state(generation: Path, state: dict) -> None:
    tmp = generation / f".{STATE}.{os.getpid()}.{threading.get_ident()}"
    tmp.write_text(json.dumps(state))
    os.replace(tmp, generation / STATE)


def _pending(state: dict) -> list[tuple[int, int, float]]:
    """Return (seq, version, logged at) of the changes this index has not applied."""
    cutoff = timezone.now() - LATE_COMMIT_WINDOW
    seen = {seq for seq, _ in state["recent"]}
    rows = IndexChange.objects.filter(Q(seq__gt=state["seq"]) | Q(created_at__gte=cutoff))
    return [
        (seq, version, created.timestamp())
        for seq, version, created in rows.values_list("seq", "version", "created_at")
        if seq > state["seq"] or seq not in seen
    ]


def apply_changes(block: bool = True) -> int | None:
    """Bring the index up to the change log; return the versions re-indexed.

    With `block` off, return None at once when another writer holds the lock: it
    applies what is pending before it lets go.
    """
    root = index_root()
    with writer_lock(root, block=block) as locked:
        if not locked:
            return None
        generation = _current(root)
        if generation is None or not _schema_current(generation):
            # Nothing to apply changes to, or an index of an older schema: build it whole.
            _rebuild_locked(root)
            return 0
        return _apply_locked(generation)


def _apply_locked(generation: Path) -> int:
    done = 0
    while True:
        state = _read_state(generation)
        rows = _pending(state)
        if not rows:
            return done
        versions = {version for _, version, _ in rows}
        started = time.monotonic()
        _reindex(generation, versions)
        cutoff = (timezone.now() - LATE_COMMIT_WINDOW).timestamp()
        recent = [r for r in state["recent"] if r[1] >= cutoff]
        recent += [(seq, at) for seq, _, at in rows if at >= cutoff]
        _write_state(generation, {"seq": max(state["seq"], *(seq for seq, _, _ in rows)), "recent": recent})
        done += len(versions)
        log.info(
            "applied changes up to %s (%d versions) in %.2f s",
            max(seq for seq, _, _ in rows),
            len(versions),
            time.monotonic() - started,
        )


# Set by `applying_deferred`: this process leaves the log for one `ensure_index` at the end.
_deferred = threading.Event()


@contextlib.contextmanager
def applying_deferred():
    """Leave what this process logs unapplied until the block ends, for `ensure_index` to
    apply or rebuild then: `manage.py prepare` loads a corpus, its PDFs and proceedings
    that touch most versions two or three times, and one rebuild on every core indexes
    them once (a third of the time on a fresh install). Others, a serving process's
    follower among them, may still apply the log meanwhile: it stays correct either way.
    """
    _deferred.set()
    try:
        yield
    finally:
        _deferred.clear()


def apply_changes_soon() -> None:
    """Apply the log now if no other writer is busy; otherwise the busy one will. Not while
    this process defers applying (`applying_deferred`)."""
    if _deferred.is_set():
        return
    try:
        apply_changes(block=False)
    except Exception:  # the rows are committed: the next apply catches up
        log.exception("applying the index change log failed; the next apply catches up")


# --- writing ----------------------------------------------------------------


def rebuild_index() -> int:
    """Build a new index from the database, swap it in and catch up; return the paragraphs indexed."""
    root = index_root()
    with writer_lock(root):
        return _rebuild_locked(root)


def ensure_index() -> tuple[str, int]:
    """Make the index match the database, rebuilding only where a cheap look says it must;
    return what was done ("rebuilt", "applied" or "current") and how many paragraphs or
    language versions that touched.

    Rebuilt: no index, an older schema, a change log ahead of the database's (another
    database behind the same folder) or a paragraph count that differs once the log is
    applied. Otherwise the logged changes are applied, as a serving process would.
    """
    root = index_root()
    with writer_lock(root):
        generation = _current(root)
        stale = (
            generation is None
            or not _schema_current(generation)
            or _read_state(generation)["seq"] > latest_seq()
        )
        if not stale and _most_pending(generation):
            stale = True  # one rebuild on every core costs less than re-indexing most versions
        if not stale:
            applied = _apply_locked(generation)
            try:
                with whoosh_index.open_dir(str(generation)).searcher() as searcher:
                    stale = searcher.doc_count() != Paragraph.objects.count()
            except DAMAGE:
                stale = True
            if not stale:
                return ("applied" if applied else "current"), applied
        return "rebuilt", _rebuild_locked(root)


# Applying re-indexes versions in one process; a rebuild builds them all on every core. On
# two cores the corpus's 637 PDFs took 76 s to apply and all its 30,986 paragraphs 22 s to
# rebuild: past half of the versions held, `ensure_index` rebuilds instead.
REBUILD_SHARE = 0.5


def _most_pending(generation: Path) -> bool:
    """Whether the change log not yet applied touches more than REBUILD_SHARE of the versions."""
    pending = {version for _, version, _ in _pending(_read_state(generation))}
    return len(pending) > REBUILD_SHARE * Text.objects.count()


def _rebuild_locked(root: Path) -> int:
    # Every change visible now is committed, so its rows are among those read below;
    # what commits while they are read is applied afterwards (again, harmlessly).
    cutoff = timezone.now() - LATE_COMMIT_WINDOW
    recent = IndexChange.objects.filter(created_at__gte=cutoff).values_list("seq", "created_at")
    state = {"seq": latest_seq(), "recent": [(seq, at.timestamp()) for seq, at in recent]}
    generation = _new_generation(root)
    try:
        ix = whoosh_index.open_dir(str(generation))
        proceedings = proceedings_facts()
        counted = [0]

        def documents():
            for paragraph in _paragraphs():
                counted[0] += 1
                yield paragraph_document(paragraph, proceedings)

        # Analysis (jieba, n-grams) is most of the work: spread it over the cores.
        procs = index_procs()
        if procs > 1:
            segments = build_segments(ix, documents(), procs, SEGMENT_BUDGET, WRITER_OPTIONS)
        else:
            segments = write_segments(ix, documents(), SEGMENT_BUDGET, WRITER_OPTIONS)
        list_segments(ix, segments, WRITER_OPTIONS)
        count = counted[0]
        ix.close()
        _write_state(generation, state)
    except BaseException:
        shutil.rmtree(generation, ignore_errors=True)
        raise
    _swap(root, generation)
    _apply_locked(generation)
    log.info("rebuilt the index: %d paragraphs, change log at %s", count, state["seq"])
    return count


def index_procs() -> int:
    """The processes a rebuild writes with: one a core (at most INDEX_PROCS), on a corpus
    large enough to be worth the processes it starts. One, in the process itself, when the
    rebuild runs in a thread (a serving process rebuilding a damaged index): a process
    forked while other threads run may copy a lock one of them holds."""
    if Paragraph.objects.count() < 5000 or threading.current_thread() is not threading.main_thread():
        return 1
    return max(1, min(os.cpu_count() or 1, int(os.environ.get("INDEX_PROCS", "4"))))


def index_versions(version_ids) -> None:
    """Re-index these language versions from the database now, outside the change log."""
    ids = set(version_ids)
    if not ids:
        return
    root = index_root()
    with writer_lock(root):
        generation = _current(root)
        if generation is None:
            _rebuild_locked(root)
        else:
            _reindex(generation, ids)


def _reindex(generation: Path, version_ids) -> None:
    """Replace the indexed paragraphs of these versions with what the database holds."""
    ids = sorted(version_ids)
    ix = whoosh_index.open_dir(str(generation))
    with StreamingWriter(ix, **WRITER_OPTIONS) as writer:
        for pk in ids:
            writer.delete_by_term("version", str(pk))
        resolutions = Text.objects.filter(pk__in=ids).values_list("resolution_id", flat=True)
        proceedings = proceedings_facts(list(resolutions))
        for paragraph in _paragraphs(ids):
            writer.add_document(**paragraph_document(paragraph, proceedings))
    ix.close()


# --- reading ----------------------------------------------------------------

_search_lock = threading.RLock()
_searcher = None
_searcher_path: Path | None = None
_rebuilding = threading.Event()
_follower: threading.Thread | None = None


@contextlib.contextmanager
def searching():
    """Lend this process's searcher to one search at a time, reopened if the index changed.

    Raises IndexUnavailable when the index is missing or damaged (and has a rebuild
    started) rather than letting a search fail on it.
    """
    _follow()
    with _search_lock:
        searcher = _open_searcher()
        try:
            yield searcher
        except Exception as error:
            if not _is_damage(error):
                raise
            _damaged(error)
            raise IndexUnavailable("the search index is damaged; it is being rebuilt") from error


def get_searcher():
    """Return this process's current searcher (for one thread: tests and the benchmark)."""
    with _search_lock:
        return _open_searcher()


def _open_searcher():
    global _searcher, _searcher_path
    root = index_root()
    path = _current(root)
    if path is None:
        if Paragraph.objects.exists():
            _rebuild_in_background()
            raise IndexUnavailable("there is no search index yet; it is being built")
        with writer_lock(root):  # a new install: an empty index finds nothing
            if _current(root) is None:
                _rebuild_locked(root)
        path = _current(root)
    try:
        if _searcher is None or path != _searcher_path or not _searcher.up_to_date():
            # A fresh searcher, not Searcher.refresh(): refreshing kept the readers of
            # segments that another process had since replaced.
            new = whoosh_index.open_dir(str(path)).searcher()
            if not schema_is_current(new.schema):
                # Built by an older version: search and count only once it is rebuilt.
                new.close()
                _rebuild_in_background()
                raise IndexUnavailable("the search index is from an older version; it is being rebuilt")
            old, _searcher, _searcher_path = _searcher, new, path
            if old is not None:
                old.close()
            _forget_old_segments(new)
    except Exception as error:
        if not _is_damage(error):
            raise
        _damaged(error)
        raise IndexUnavailable("the search index is damaged; it is being rebuilt") from error
    return _searcher


def _is_damage(error: BaseException) -> bool:
    # Whoosh reports a damaged posting block as a bare Exception ("Block tag error").
    return isinstance(error, DAMAGE) or type(error) is Exception


def _damaged(error: BaseException) -> None:
    global _searcher, _searcher_path
    log.error("the search index cannot be read (%s: %s); rebuilding it", type(error).__name__, error)
    if _searcher is not None:
        with contextlib.suppress(Exception):
            _searcher.close()
    _searcher, _searcher_path = None, None
    _rebuild_in_background(force=True)


def _rebuild_in_background(force: bool = False) -> None:
    """Rebuild in a thread of this process, unless one is running or the index came back."""
    if _rebuilding.is_set():
        return
    _rebuilding.set()
    root = index_root()

    def run():
        try:
            with writer_lock(root):
                current = _current(root)
                # Another process may have rebuilt it while this one waited for the lock.
                if force or current is None or not _schema_current(current):
                    _rebuild_locked(root)
        except Exception:
            log.exception("rebuilding the search index failed")
        finally:
            _rebuilding.clear()
            # This thread's own database connection: never left open (PostgreSQL counts it).
            db_connection.close()

    threading.Thread(target=run, name="index-rebuild", daemon=True).start()


def _follow() -> None:
    """Start, once per process, the thread that applies what other processes logged."""
    global _follower
    if _follower is not None or not getattr(settings, "INDEX_FOLLOW", True):
        return
    with _search_lock:
        if _follower is None:
            _follower = threading.Thread(target=_follow_loop, name="index-follower", daemon=True)
            _follower.start()


def _follow_loop() -> None:
    from django.db import close_old_connections

    while True:
        time.sleep(FOLLOW_EVERY)
        try:
            if _current(index_root()) is not None:
                apply_changes(block=False)
        except Exception:
            log.exception("applying the index change log failed; trying again")
        finally:
            close_old_connections()


def index_status() -> dict:
    """Say whether search can answer, and how far the index is behind the change log."""
    latest = latest_seq()
    generation = _current(index_root())
    if generation is None:
        return {"serving": False, "applied": None, "latest": latest, "lag": None, "error": "no index"}
    applied = _read_state(generation)["seq"]
    try:
        with searching() as searcher:
            searcher.doc_count()
    except IndexUnavailable as error:
        return {"serving": False, "applied": applied, "latest": latest, "lag": None, "error": str(error)}
    lag = IndexChange.objects.filter(seq__gt=applied).count()
    return {"serving": True, "applied": applied, "latest": latest, "lag": lag, "error": None}


def _forget_old_segments(searcher) -> None:
    """Drop the arrays cached for segments a merge or a rebuild has replaced."""
    from search.engine import docsets

    docsets.forget_segments({key[0] for key in docsets.state(searcher.reader())})


def reset_searcher() -> None:
    """Forget the cached searcher (tests switch INDEX_DIR between runs)."""
    global _searcher, _searcher_path
    with _search_lock:
        if _searcher is not None:
            _searcher.close()
        _searcher = None
        _searcher_path = None
