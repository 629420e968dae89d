"""Writing the index: postings grouped by term as documents come, segments cut to a budget.

Whoosh's writer puts every posting in a pool it sorts: past `limitmb` it pickles sorted
runs to disk and merges them at the end (at 1,000,000 paragraphs, 29 GB of runs for a
3.4 GB index), and then reads each posting's length back from a column to write it.
Documents reach a writer in order, so each term's postings already are: `TermPool`
appends them to that term's arrays and the segment is written by sorting the terms
alone (`MappedFieldWriter.write_pool`). Memory stays bounded by cutting a new segment
when the pool reaches its budget, not by spilling to disk: a rebuild writes nothing but
its segments.

`build_segments` runs a rebuild on every core: the parent reads the database and sends
documents in batches; each child (forked, with jieba's dictionary already loaded) analyses
them into segments of its own, which the parent lists in the index's table of contents.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import queue
import traceback
from array import array

import numpy as np
from whoosh.writing import SegmentWriter

from search.engine import whoosh_internals as internals
from search.engine.analysis import jieba_tokenizer
from search.engine.codec import MappedFieldWriter, MappedPositions, MappedTermsReader

log = logging.getLogger("search.engine")

BATCH = 200  # documents sent to a child at a time
# What a posting costs in the pool (its number and weight) and a term (its key, the
# dictionary's slot, three arrays): an estimate, within a factor of about 1.5 of the
# process's growth, that bounds the segment before the process grows past its budget.
POSTING_BYTES = 8
TERM_BYTES = 400


class TermPool:
    """A segment's postings grouped by term: (fieldname, term) → document numbers, weights
    and (for a field with positions) the raw positions of each posting in turn.

    Whoosh's writer calls `add` for every posting of every document it is given, then of
    every segment it merges, in document order: each term's arrays come out sorted."""

    def __init__(self, positional: set[str]):
        self.positional = positional
        self.terms: dict[tuple[str, bytes], tuple[array, array, bytearray]] = {}
        self.fieldnames: set[str] = set()
        self.size = 0  # estimated bytes (POSTING_BYTES, TERM_BYTES, positions)

    def add(self, item) -> None:
        fieldname, btext, docnum, weight, vbytes = item
        entry = self.terms.get((fieldname, btext)) or self._new_term(fieldname, btext)
        entry[0].append(docnum)
        entry[1].append(weight)
        self.size += POSTING_BYTES
        if fieldname in self.positional:
            entry[2].extend(vbytes)
            self.size += len(vbytes)

    def add_arrays(
        self, fieldname: str, btext: bytes, ids: np.ndarray, weights: np.ndarray, positions
    ) -> None:
        """Add a term's postings in some documents at once (a merge): document numbers
        after every one this pool holds, positions as raw u4 bytes (empty without)."""
        entry = self.terms.get((fieldname, btext)) or self._new_term(fieldname, btext)
        entry[0].frombytes(ids.astype(np.int32).tobytes())
        entry[1].frombytes(weights.astype(np.float32).tobytes())
        entry[2].extend(positions)
        self.size += POSTING_BYTES * len(ids) + len(positions)

    def _new_term(self, fieldname: str, btext: bytes) -> tuple[array, array, bytearray]:
        entry = self.terms[(fieldname, btext)] = (array("i"), array("f"), bytearray())
        self.fieldnames.add(fieldname)
        self.size += TERM_BYTES
        return entry

    def sorted_terms(self):
        """((fieldname, term), (ids, weights, positions)) in the order a segment is written."""
        for key in sorted(self.terms):
            yield key, self.terms[key]

    def iter_postings(self):
        """Whoosh's pool interface: every posting, term by term (its positions one posting's each)."""
        for (fieldname, btext), (ids, weights, positions) in self.sorted_terms():
            at = 0
            for docnum, weight in zip(ids, weights, strict=True):
                size = 4 * int(weight) if fieldname in self.positional else 0
                yield fieldname, btext, docnum, weight, bytes(positions[at : at + size])
                at += size

    def cleanup(self) -> None:
        self.terms.clear()


def positional_fields(schema) -> set[str]:
    return {name for name in schema.names() if isinstance(schema[name].format, MappedPositions)}


class StreamingWriter(SegmentWriter):
    """Whoosh's segment writer with the pool above in place of its sorting pool."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        self.pool = TermPool(positional_fields(self.schema))

    def add_postings_to_pool(self, reader, startdoc, docmap):
        """A merged segment's postings, a term at a time as arrays (`MappedTermsReader.records`)
        where Whoosh's own writer read them one posting at a time through a matcher each:
        merging 15 small segments of the corpus's index took 8 s, most of a publish's time."""
        terms = getattr(reader, "_terms", None)
        if not isinstance(terms, MappedTermsReader):
            return super().add_postings_to_pool(reader, startdoc, docmap)
        size = reader.doc_count_all()
        live = np.ones(size, dtype=bool)
        live[internals.deleted_docs(reader)] = False
        renumbered = np.full(size, -1, dtype=np.int64)  # what write_per_doc gave each live document
        renumbered[live] = startdoc + np.arange(int(live.sum()))
        for fieldname, btext, ids, weights, freqs, positions in terms.records():
            if fieldname not in self.schema:
                continue
            kept = live[ids]
            if not kept.any():
                continue
            raw = b""
            if fieldname in self.pool.positional:
                raw = positions[np.repeat(kept, freqs)].astype("<u4").tobytes()
            self.pool.add_arrays(fieldname, btext, renumbered[ids[kept]], weights[kept], raw)

    def _flush_segment(self):
        self.perdocwriter.close()
        if isinstance(self.fieldwriter, MappedFieldWriter):
            with contextlib.closing(self.per_document_reader()) as lengths:
                self.fieldwriter.write_pool(self.schema, self.pool, lengths)
            self.fieldwriter.close()
        else:  # another codec: the postings one at a time, as Whoosh writes them
            super()._flush_segment()


def build_segments(ix, documents, procs: int, budget: int, options: dict) -> list:
    """Index `documents` (an iterator of field dicts) in `procs` processes into segments of
    at most about `budget` bytes of postings each; return the segments (not yet listed in the
    index's table of contents)."""
    jieba_tokenizer()  # loaded once, shared by the children it is forked into
    context = multiprocessing.get_context("fork")
    jobs, results = context.Queue(maxsize=4 * procs), context.Queue()
    children = [
        context.Process(target=_child, args=(ix.storage.folder, jobs, results, budget, options), daemon=True)
        for _ in range(procs)
    ]
    for child in children:
        child.start()
    try:
        batch = []
        for document in documents:
            batch.append(document)
            if len(batch) >= BATCH:
                _put(jobs, batch, children)
                batch = []
        if batch:
            _put(jobs, batch, children)
        for _ in children:
            _put(jobs, None, children)
        segments = []
        for _ in children:
            kind, value = _get(results, children)
            if kind == "error":
                raise RuntimeError(f"a process writing the index failed:\n{value}")
            segments += value
        return segments
    finally:
        for child in children:
            if child.is_alive():
                child.terminate()
            child.join()


def _put(jobs, item, children) -> None:
    """Hand a batch to the children, noticing when they are all gone (an error in each)."""
    while True:
        try:
            jobs.put(item, timeout=1.0)
            return
        except queue.Full:
            if not any(child.is_alive() for child in children):
                raise RuntimeError("every process writing the index has stopped") from None


def _get(results, children):
    while True:
        try:
            return results.get(timeout=1.0)
        except queue.Empty:
            if not any(child.is_alive() for child in children) and results.empty():
                raise RuntimeError("a process writing the index stopped without a word") from None


def _child(folder: str, jobs, results, budget: int, options: dict) -> None:
    """Index the batches handed out until told to stop, into segments of its own."""
    from whoosh import index as whoosh_index

    try:
        documents = (document for batch in iter(jobs.get, None) for document in batch)
        segments = write_segments(whoosh_index.open_dir(folder), documents, budget, options)
        results.put(("segments", segments))
    except BaseException:
        results.put(("error", traceback.format_exc()))


def write_segments(ix, documents, budget: int, options: dict) -> list:
    """Index documents into new segments, each cut when its pool reaches `budget` bytes;
    return them (not yet listed in the index's table of contents)."""
    segments, writer = [], None
    for document in documents:
        if writer is None:
            writer = StreamingWriter(ix, _lk=False, **options)
        writer.add_document(**document)
        if writer.pool.size >= budget:
            segments.append(writer._finalize_segment())
            writer = None
    if writer is not None:
        segments.append(writer._finalize_segment())
    return segments


def list_segments(ix, segments: list, options: dict) -> None:
    """Make these segments, written beside the index's own, part of it: one new table of
    contents, as Whoosh's multi-process writer does with the segments of its processes."""
    writer = StreamingWriter(ix, **options)
    try:
        writer._close_segment()  # its own segment stays empty: its files are cleaned away
        writer._commit_toc(writer.segments + segments)
    finally:
        writer._finish()
