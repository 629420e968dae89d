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

from search.engine.index import apply_changes_soon, record_changes, writer_lock
from search.ingest import sandbox, uploads
from search.ingest.matching import match_drafts
from search.ingest.store import versions_of
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
    outcomes = []
    ahead: deque[tuple[Path, bytes, Future | Outcome]] = deque()  # in order, to publish
    seen: dict[str, Path] = {}  # sha256 of the files met in this run
    versions: dict[tuple[str, str], Path] = {}  # (symbol, language) of the files read in this run
    pool = ThreadPoolExecutor(jobs, thread_name_prefix="read")  # each thread waits on a child

    def finish(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if done:
            done(outcome)

    def reading() -> int:
        return sum(isinstance(work, Future) for _, _, work in ahead)

    def publish_next() -> None:
        path, data, work = ahead.popleft()
        if isinstance(work, Outcome):
            finish(work)
            return
        try:
            reading = work.result()
        except Exception as error:
            finish(_refused(path, error))
            return
        parsed, detected = reading.parsed, reading.language
        version = (parsed.symbol, language or detected)
        if parsed.symbol and version in versions:
            # Else the later file would replace the earlier one without a word.
            finish(
                Outcome(
                    path,
                    REFUSED,
                    f"{versions[version]}, also in this import, is the {language_name(version[1])} "
                    f"version of {parsed.symbol}",
                )
            )
            return
        versions[version] = path
        outcome = publish(path, data, (parsed, detected), language)
        outcome.reading = (reading.cpu_seconds, reading.peak_mb)
        finish(outcome)

    try:
        for path in files:
            try:
                data = path.read_bytes()
            except OSError as error:
                ahead.append((path, b"", Outcome(path, REFUSED, f"cannot read file: {error.strerror}")))
                continue
            digest = hashlib.sha256(data).hexdigest()
            if digest in seen:
                work = Outcome(path, UNCHANGED, f"the same bytes as {seen[digest]}")
            elif SourceFile.objects.filter(sha256=digest, texts__isnull=False).exists():
                work = Outcome(path, UNCHANGED, "stored already")
            else:
                work = pool.submit(sandbox.read, data, path.name, language)
            seen.setdefault(digest, path)
            ahead.append((path, data if isinstance(work, Future) else b"", work))
            # Publish what is ready, keeping each worker a file or two ahead.
            while ahead and (isinstance(ahead[0][2], Outcome) or reading() > 2 * jobs):
                publish_next()
        while ahead:
            publish_next()
    finally:
        pool.shutdown(cancel_futures=True)
    return outcomes


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
    rows = Resolution.objects.exclude(symbol=None).prefetch_related("texts")
    adopted: dict[tuple, set[Resolution]] = defaultdict(set)
    drafts = []
    for row in rows:
        if match := GA_RESOLUTION_SYMBOL.match(row.symbol):
            for text in row.texts.all():
                adopted[(match["session"], row.committee, text.language, normal_title(text.title))].add(row)
        elif (match := GA_DRAFT_SYMBOL.match(row.symbol)) and row.doc_type in (DRAFT_RESOLUTION, RESOLUTION):
            # Not an amendment or a draft decision, which share the symbols; a draft the
            # parser took for a resolution is one by its symbol.
            drafts.append((row, match))

    candidates: dict[Resolution, list[tuple[Resolution, re.Match]]] = defaultdict(list)
    for draft, match in drafts:
        committee = f"C{match['committee']}" if match["committee"] else "plenary"
        found = {
            resolution
            for text in draft.texts.all()
            if normal_title(text.title)
            for resolution in adopted[(match["session"], committee, text.language, normal_title(text.title))]
        }
        if len(found) == 1:
            candidates[found.pop()].append((draft, match))

    links = []
    with transaction.atomic():
        for resolution, matched in candidates.items():
            if len({match["base"] for _, match in matched}) > 1:
                continue
            draft, _ = max(matched, key=lambda pair: int(pair[1]["revision"] or 0))
            if Resolution.objects.filter(pk=draft.pk, became=None).update(
                became=resolution, became_method=BECAME_TITLE
            ):
                draft.became = resolution
                links.append((draft, resolution))
                # The draft's year is now the resolution's: its paragraphs are indexed again.
                record_changes(versions_of(resolution))
    return links
