"""The one module that reads Whoosh's private structures.

Whoosh (whoosh-reloaded 2.7.5) decodes postings one document at a time and keeps
field lengths in a per-segment column it does not expose. For exact totals,
facets and BM25 over every match we read both as arrays: the index's postings as the
mapped codec wrote them (engine.codec), viewed in place; a segment of Whoosh's own
`whoosh3` codec (an index written before it) block by block. Everything here relies
on details of the `whoosh3` codec; `tests/engine/test_whoosh_internals.py` and
`tests/engine/test_codec.py` pin them against Whoosh's public answers, so an upgrade
that changes them fails there and nowhere else.
"""

from __future__ import annotations

import numpy as np
import whoosh
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.reading import TermNotFound

from search.engine.codec import MappedTermsReader, column_lengths, numeric_column

# The release whose internals this module reads.
WHOOSH_VERSION = (2, 7, 5)

EMPTY32 = np.empty(0, dtype=np.int32)
EMPTY_TF = np.empty(0, dtype=np.float32)


def whoosh_version() -> tuple:
    return tuple(whoosh.__version__)


def segment_id(leaf) -> str:
    """Return the identity of a leaf reader's segment (stable while the segment exists)."""
    segment = leaf.segment()
    # An index with no documents has one reader and no segment at all.
    return segment.segment_id() if segment is not None else "empty"


def deleted_docs(leaf) -> np.ndarray:
    """Return a segment's deleted document numbers (local to the segment)."""
    if not leaf.has_deletions():
        return EMPTY32
    return np.fromiter(leaf.deleted_docs_set, dtype=np.int32)


def stored_fields(leaf, docnum: int) -> dict:
    """A document's stored fields, read from its segment's per-document reader (local
    number): what `reader.stored_fields` returns without looking each field up in the
    schema again (an index's schema is the same for every segment: a new schema is a new
    index, engine.index)."""
    return leaf._perdoc.stored_fields(docnum) or {}


def postings(leaf, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """Return (document numbers, term frequencies) of a term in one segment, deleted ones included.

    The caller drops deleted documents with `deleted_docs`, so the decoded arrays
    stay right for as long as the segment lives, whatever is deleted from it later.
    (Whoosh's own `postings()` skips deleted documents, some of them before it is
    even asked, so it is read underneath that filter.)
    """
    try:
        btext = leaf._text_to_bytes(fieldname, text)
        if isinstance(leaf._terms, MappedTermsReader):  # the index's own codec: viewed in place
            return leaf._terms.arrays(fieldname, btext)
        if (fieldname, btext) not in leaf._terms:
            return EMPTY32, EMPTY_TF
        matcher = leaf._terms.matcher(fieldname, btext, leaf.schema[fieldname].format)
    except (TermNotFound, KeyError):
        return EMPTY32, EMPTY_TF
    if isinstance(matcher, W3LeafMatcher) and not matcher._byteids:
        ids, tfs = _read_blocks(matcher)
    else:  # any other matcher, through its public interface: slower, the same answer
        id_list, tf_list = [], []
        while matcher.is_active():
            id_list.append(matcher.id())
            tf_list.append(matcher.weight())
            matcher.next()
        ids = np.array(id_list, dtype=np.int64)
        tfs = np.array(tf_list, dtype=np.float32)
    return ids.astype(np.int32), tfs


def positions(leaf, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (document numbers, frequencies, positions of each posting in turn) of a term in
    one segment, deleted documents included: viewed in the mapped postings file, or, in a
    segment written by Whoosh's own codec, read posting by posting through its matcher."""
    try:
        btext = leaf._text_to_bytes(fieldname, text)
        if isinstance(leaf._terms, MappedTermsReader):
            return leaf._terms.positions(fieldname, btext)
        if (fieldname, btext) not in leaf._terms:
            return EMPTY32, EMPTY32, EMPTY32
        matcher = leaf._terms.matcher(fieldname, btext, leaf.schema[fieldname].format)
    except (TermNotFound, KeyError):
        return EMPTY32, EMPTY32, EMPTY32
    ids, freqs, found = [], [], []
    while matcher.is_active():
        at = matcher.value_as("positions")
        ids.append(matcher.id())
        freqs.append(len(at))
        found += at
        matcher.next()
    return np.array(ids, dtype=np.int32), np.array(freqs, dtype=np.int32), np.array(found, dtype=np.int64)


def _read_blocks(matcher: W3LeafMatcher) -> tuple[np.ndarray, np.ndarray]:
    """Decode a posting list a block at a time: ids are delta-coded, weights per block."""
    ids_parts, tf_parts = [], []
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        ids = np.cumsum(np.asarray(matcher._data[0], dtype=np.int64))
        weights = matcher._data[1]
        if weights is None or isinstance(weights, float):
            tfs = np.full(len(ids), 1.0 if weights is None else weights, dtype=np.float32)
        else:
            tfs = np.asarray(weights, dtype=np.float32)
        ids_parts.append(ids[matcher._i :])
        tf_parts.append(tfs[matcher._i :])
        matcher._next_block()
    if not ids_parts:
        return np.empty(0, dtype=np.int64), EMPTY_TF
    return np.concatenate(ids_parts), np.concatenate(tf_parts)


def numbers(leaf, fieldname: str) -> np.ndarray:
    """Return the values of a numeric column field (`COLUMN(NumericColumn)`) for every
    document of a segment, read as one array."""
    column = leaf.column_reader(fieldname, translate=False)
    return numeric_column(column, leaf.doc_count_all())


def field_lengths(leaf, fieldname: str) -> np.ndarray:
    """Return the length of a field in every document of a segment, as BM25 sees it."""
    return column_lengths(leaf._perdoc, fieldname, leaf.doc_count_all())
