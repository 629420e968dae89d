"""Import many files at once: read them on every core, publish them one at a time.

Each file goes through the admin upload's door: `sandbox.read` (extract and parse,
within the same limits, in a child process of its own under hard limits), then
`uploads.ingest_file` (review form, publish through `store.ingest`, one transaction
per file) in this process. Nothing else writes rows, so a file that fails is refused
and leaves the database as it was.

The key of a work is the symbol the document gives (`uploads.review`'s choice), so
the English and Chinese versions of one symbol become one resolution. A file whose
bytes differ from the stored version of its symbol in its language replaces it: an
import is the way a corrected file is brought in. A file whose bytes are stored
already is not read again.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from search.engine.index import apply_changes_soon, writer_lock
from search.ingest import changes, sandbox, uploads
from search.ingest.matching import match_drafts
from search.models import BECAME_TITLE, Resolution, SourceFile, language_name
from search.parsing import DRAFT_RESOLUTION, GA_DRAFT_SYMBOL, GA_RESOLUTION_SYMBOL, RESOLUTION, ParsedDocument

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"
REFUSED = "refused"
STATUSES = (CREATED, UPDATED, UNCHANGED, REFUSED)

# "A/C.3/80/L.7/Rev.1": a Main Committee's draft; "A/80/L.5": a plenary draft.


@dataclass
class Outcome:
    """What importing one file did."""

    path: Path
    status: str  # created, updated, unchanged or refused
    reason: str = ""  # why it was refused, or why it is unchanged
    key: str = ""
    language: str = ""
    paragraphs: int = 0
    warnings: list[str] = field(default_factory=list)
    reading: tuple[float, float] | None = None  # what reading it cost: processor seconds, peak MB


@dataclass
class Imported:
    outcomes: list[Outcome]
    links: list[tuple[Resolution, Resolution]]  # (draft, the resolution it became) linked now


def import_files(
    files: Iterable[Path],
    *,
    language: str | None = None,
    jobs: int = 1,
    done: Callable[[Outcome], object] | None = None,
) -> Imported:
    """Import files in order, then link drafts; tell `done` about each file as it is finished.

    Files are read by `jobs` child processes at a time (`sandbox.read`, a process
    for each file), at most a few ahead of the one being published, so memory holds
    only those. The import holds the index's write lock: each commit leaves its
    change in the log, as it does while another writer is busy, and the log is
    applied once at the end (here, or by the writer busy then), which costs a
    fraction of applying it after every file (a Whoosh commit and merge each).
    """
    with writer_lock():
        outcomes = _import(files, language, jobs, done)
        links = link_drafts()
        # Then by content, where the titles do not say it (search.ingest.matching).
        links += [(draft, resolution) for draft, resolution in match_drafts() if resolution]
    apply_changes_soon()
    return Imported(outcomes, links)


def _import(files, language, jobs, done) -> list[Outcome]:
    queue = _Queue(language, jobs, done)
    try:
        for path in files:
            queue.add(path)
            # Publish what is ready, keeping each worker a file or two ahead.
            while queue.ready():
                queue.publish_next()
        while queue.ahead:
            queue.publish_next()
    finally:
        queue.pool.shutdown(cancel_futures=True)
    return queue.outcomes


class _Queue:
    """The files of an import, in order: each read (or being read) ahead, then published."""

    def __init__(self, language: str | None, jobs: int, done: Callable[[Outcome], object] | None):
        self.language, self.jobs, self.done = language, jobs, done
        self.outcomes: list[Outcome] = []
        self.ahead: deque[tuple[Path, bytes, Future | Outcome]] = deque()  # in order, to publish
        self.seen: dict[str, Path] = {}  # sha256 of the files met in this run
        self.versions: dict[tuple[str, str], Path] = {}  # (symbol, language) of the files read in this run
        self.pool = ThreadPoolExecutor(jobs, thread_name_prefix="read")  # each thread waits on a child

    def add(self, path: Path) -> None:
        """Queue a file: what became of it, if it needs no reading; else its reading, started."""
        try:
            data = path.read_bytes()
        except OSError as error:
            self.ahead.append((path, b"", Outcome(path, REFUSED, f"cannot read file: {error.strerror}")))
            return
        work = self._known(path, data) or self.pool.submit(sandbox.read, data, path.name, self.language)
        self.ahead.append((path, data if isinstance(work, Future) else b"", work))

    def _known(self, path: Path, data: bytes) -> Outcome | None:
        """The outcome of bytes met before in this run, or stored already: they are not read again."""
        digest = hashlib.sha256(data).hexdigest()
        if digest in self.seen:
            return Outcome(path, UNCHANGED, f"the same bytes as {self.seen[digest]}")
        self.seen[digest] = path
        if SourceFile.objects.filter(sha256=digest, texts__isnull=False).exists():
            return Outcome(path, UNCHANGED, "stored already")
        return None

    def ready(self) -> bool:
        """Whether the first file is to be published now: nothing is left to read of it, or
        the readers are far enough ahead to wait for it."""
        reading = sum(isinstance(work, Future) for _, _, work in self.ahead)
        return bool(self.ahead) and (isinstance(self.ahead[0][2], Outcome) or reading > 2 * self.jobs)

    def publish_next(self) -> None:
        path, data, work = self.ahead.popleft()
        outcome = work if isinstance(work, Outcome) else self._publish_read(path, data, work)
        self.outcomes.append(outcome)
        if self.done:
            self.done(outcome)

    def _publish_read(self, path: Path, data: bytes, work: Future) -> Outcome:
        """Publish a file once it is read; refuse it if reading failed or it is a second
        version of one symbol and language in this import."""
        try:
            reading = work.result()
        except Exception as error:
            return _refused(path, error)
        refusal = self._second_version(path, reading.parsed.symbol, self.language or reading.language)
        if refusal:
            return refusal
        outcome = publish(path, data, (reading.parsed, reading.language), self.language)
        outcome.reading = (reading.cpu_seconds, reading.peak_mb)
        return outcome

    def _second_version(self, path: Path, symbol: str | None, language: str) -> Outcome | None:
        """Refuse a file of a symbol and language read before in this import: else the
        later file would replace the earlier one without a word."""
        if symbol and (symbol, language) in self.versions:
            return Outcome(
                path,
                REFUSED,
                f"{self.versions[symbol, language]}, also in this import, is the {language_name(language)} "
                f"version of {symbol}",
            )
        self.versions[symbol, language] = path
        return None


def publish(
    path: Path, data: bytes, read_as: tuple[ParsedDocument, str], language: str | None = None
) -> Outcome:
    """Publish one file read already, in its own transaction; refuse it in words if it fails."""
    parsed, detected = read_as
    language = language or detected
    warnings: list[str] = []
    try:
        upload = uploads.ingest_file(
            data, path.name, language, replace=True, warn=warnings.append, read_as=read_as
        )
    except Exception as error:
        return _refused(path, error)
    return Outcome(
        path,
        UPDATED if upload.changes.get("replaced") else CREATED,
        key=upload.resolution.key,
        language=language,
        paragraphs=upload.changes.get("paragraphs", 0),
        warnings=warnings,
    )


def _refused(path: Path, error: Exception) -> Outcome:
    # The errors of reading and publishing speak plain words; anything else is a bug,
    # named by its type so that it can be found.
    plain = (ValueError, Resolution.DoesNotExist, uploads.AlreadyPublished)
    reason = str(error) if isinstance(error, plain) else f"{type(error).__name__}: {error}"
    return Outcome(path, REFUSED, reason)


def normal_title(title: str) -> str:
    """Return a title as compared between a draft and a resolution: case, quotes, dashes
    and spacing aside."""
    text = unicodedata.normalize("NFKC", title).casefold()
    text = re.sub(r"[‘’`´]", "'", text)
    text = re.sub(r"[“”]", '"', text)
    text = re.sub(r"[‐-―−]", "-", text)
    return re.sub(r"\s+", " ", text).strip(" .。")


def link_drafts() -> list[tuple[Resolution, Resolution]]:
    """Link drafts to the resolutions they became where the documents say so; return the new links.

    A draft resolution is known by its symbol (A/C.3/80/L.7, A/C.3/80/L.7/Rev.1,
    A/80/L.5), which gives its session and committee. It became the resolution of the same session
    adopted on the report of that committee ("plenary" for A/80/L.…) whose title, in a
    language both have, is the same. Where the revisions of one draft match, the
    latest is linked; where drafts of different numbers match, or a draft matches
    several resolutions, the documents do not say which: nothing is linked. A link
    already set is never changed.
    """
    adopted, drafts = _by_symbol()
    candidates = _candidates(adopted, drafts)
    links = []
    with transaction.atomic():
        for resolution, matched in candidates.items():
            draft = _latest_of_one_draft(matched)
            if draft and changes.link_draft(draft, resolution, BECAME_TITLE):
                links.append((draft, resolution))
    return links


def _by_symbol() -> tuple[dict[tuple, set[Resolution]], list[tuple[Resolution, re.Match]]]:
    """The adopted resolutions by (session, committee, language, title), and the drafts
    with what their symbols say."""
    rows = Resolution.objects.exclude(symbol=None).prefetch_related("texts")
    adopted: dict[tuple, set[Resolution]] = defaultdict(set)
    drafts = []
    for row in rows:
        if match := GA_RESOLUTION_SYMBOL.match(row.symbol):
            for key in _title_keys(row, match["session"], row.committee):
                adopted[key].add(row)
        elif (match := GA_DRAFT_SYMBOL.match(row.symbol)) and row.doc_type in (DRAFT_RESOLUTION, RESOLUTION):
            # Not an amendment or a draft decision, which share the symbols; a draft the
            # parser took for a resolution is one by its symbol.
            drafts.append((row, match))
    return adopted, drafts


def _title_keys(row: Resolution, session: str, committee: str) -> list[tuple]:
    """A work's (session, committee, language, title) in each language it has a title in."""
    titles = ((text.language, normal_title(text.title)) for text in row.texts.all())
    return [(session, committee, language, title) for language, title in titles if title]


def _candidates(adopted, drafts) -> dict[Resolution, list[tuple[Resolution, re.Match]]]:
    """The drafts whose titles match one adopted resolution's, by that resolution."""
    candidates: dict[Resolution, list[tuple[Resolution, re.Match]]] = defaultdict(list)
    for draft, match in drafts:
        committee = f"C{match['committee']}" if match["committee"] else "plenary"
        found = {
            resolution
            for key in _title_keys(draft, match["session"], committee)
            for resolution in adopted[key]
        }
        if len(found) == 1:
            candidates[found.pop()].append((draft, match))
    return candidates


def _latest_of_one_draft(matched: list[tuple[Resolution, re.Match]]) -> Resolution | None:
    """The latest revision, where the drafts that match are revisions of one draft."""
    if len({match["base"] for _, match in matched}) > 1:
        return None  # drafts of different numbers: the documents do not say which
    draft, _ = max(matched, key=lambda pair: int(pair[1]["revision"] or 0))
    return draft
