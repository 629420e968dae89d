"""Sets of matching documents as sorted numpy arrays, so totals and facets are exact and fast.

Whoosh counts, facets and filters in Python, one document at a time; on a common
term (会员国 is in a third of all paragraphs) that is most of a query's time. Here a
term's postings are read a block at a time into numpy, sets are combined with numpy
(union, intersection, difference), and facet counts are one `bincount` over a code
array per field, built once per index segment and cached.

This module reads Whoosh's own posting blocks (the `whoosh3` codec); a matcher of any
other kind is read through its public `all_ids()`, which is slower but the same.
"""

from __future__ import annotations

import threading

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

EMPTY = np.empty(0, dtype=np.int64)
EMPTY32 = np.empty(0, dtype=np.int32)
EMPTY_TF = np.empty(0, dtype=np.float32)

# Per segment (by segment id), never stale: a segment's documents do not change,
# only its deletions, and deleted documents never reach a docset.
_segment_cache: dict[tuple[str, str], tuple[np.ndarray, list[str]]] = {}
_cache_lock = threading.Lock()


def leaves(reader):
    return list(reader.leaf_readers())


def state(reader) -> tuple:
    """What identifies the documents a reader sees: its segments and their deletions."""
    return tuple(
        (leaf.segment().segment_id(), leaf.doc_count()) for leaf, _ in leaves(reader) if leaf.doc_count_all()
    )


def term_docs(reader, fieldname: str, text: str) -> np.ndarray:
    """Return the sorted document numbers that contain a term (deleted ones left out)."""
    return term_postings(reader, fieldname, text)[0]


class LRU:
    """A small LRU cache of (array, array) pairs, bounded by the bytes they take.

    A web worker sees the same common terms again and again (会员国, trafficking);
    decoding their posting blocks is most of what is left of such a query.
    """

    def __init__(self, budget: int):
        self.budget = budget
        self.used = 0
        self.items: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.items.pop(key, None)
            if value is not None:
                self.items[key] = value  # most recently used last
            return value

    def put(self, key, value):
        size = value[0].nbytes + value[1].nbytes
        if size > self.budget // 4:
            return
        with self.lock:
            if key in self.items:
                return
            self.items[key] = value
            self.used += size
            while self.used > self.budget and self.items:
                old = self.items.pop(next(iter(self.items)))
                self.used -= old[0].nbytes + old[1].nbytes


POSTINGS = LRU(budget=96 * 1024 * 1024)


def _leaf_postings(leaf, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """Decode a term's postings in one segment, deletions not applied (cached)."""
    key = (leaf.segment().segment_id(), fieldname, text)
    cached = POSTINGS.get(key)
    if cached is not None:
        return cached
    try:
        matcher = leaf.postings(fieldname, text)
    except TermNotFound:
        return EMPTY32, EMPTY_TF
    if isinstance(matcher, FilterMatcher):
        # Whoosh filters deleted documents one by one; read the raw blocks instead
        # (from where the filter stopped) and drop deleted ones in term_postings.
        matcher = matcher.child
    if isinstance(matcher, W3LeafMatcher) and not matcher._byteids:
        ids, tfs = _read_blocks_with_weights(matcher)
    else:
        id_list, tf_list = [], []
        while matcher.is_active():
            id_list.append(matcher.id())
            tf_list.append(matcher.weight())
            matcher.next()
        ids = np.array(id_list, dtype=np.int64)
        tfs = np.array(tf_list, dtype=np.float32)
    value = (ids.astype(np.int32), tfs)
    POSTINGS.put(key, value)
    return value


def query_docs(searcher, query) -> np.ndarray:
    """Return the sorted document numbers matching any Whoosh query (phrases too)."""
    return np.fromiter(query.docs(searcher), dtype=np.int64)


def union(arrays) -> np.ndarray:
    arrays = [a for a in arrays if len(a)]
    if not arrays:
        return EMPTY
    if len(arrays) == 1:
        return arrays[0]
    return np.unique(np.concatenate(arrays))


def intersect(arrays) -> np.ndarray:
    arrays = sorted(arrays, key=len)
    result = arrays[0]
    for other in arrays[1:]:
        if not len(result):
            break
        result = np.intersect1d(result, other, assume_unique=True)
    return result


def difference(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if not len(a) or not len(b):
        return a
    return np.setdiff1d(a, b, assume_unique=True)


def live_docs(reader) -> np.ndarray:
    """Every document that is not deleted."""
    parts = []
    for leaf, base in leaves(reader):
        ids = np.arange(leaf.doc_count_all(), dtype=np.int64)
        deleted = leaf.deleted_docs_set if leaf.has_deletions() else None
        if deleted:
            ids = ids[~np.isin(ids, np.fromiter(deleted, dtype=np.int64))]
        parts.append(ids + base)
    return np.concatenate(parts) if parts else EMPTY


def codes(reader, fieldname: str) -> tuple[np.ndarray, list[str]]:
    """Return (code per document, names): the value of an ID field for every document."""
    arrays, names, index = [], [], {}
    for leaf, _base in leaves(reader):
        leaf_codes, leaf_names = _leaf_codes(leaf, fieldname)
        # Map this segment's codes onto the codes shared by all segments.
        mapping = np.empty(len(leaf_names) + 1, dtype=np.int32)
        mapping[0] = 0
        for i, name in enumerate(leaf_names, 1):
            if name not in index:
                names.append(name)
                index[name] = len(names)
            mapping[i] = index[name]
        arrays.append(mapping[leaf_codes])
    all_codes = np.concatenate(arrays) if arrays else np.empty(0, dtype=np.int32)
    return all_codes, names  # code 0: no value; code k: names[k - 1]


def _leaf_codes(leaf, fieldname: str) -> tuple[np.ndarray, list[str]]:
    key = (leaf.segment().segment_id(), fieldname)
    with _cache_lock:
        cached = _segment_cache.get(key)
    if cached is not None:
        return cached
    values = np.zeros(leaf.doc_count_all(), dtype=np.int32)
    names = []
    for i, term in enumerate(leaf.lexicon(fieldname), 1):
        name = term.decode("utf-8") if isinstance(term, bytes) else term
        names.append(name)
        # Deleted documents keep their code: they never reach a docset, so never count.
        ids = _leaf_postings(leaf, fieldname, name)[0]
        values[ids] = i
    result = (values, names)
    with _cache_lock:
        _segment_cache[key] = result
    return result


def _per_segment(reader, tag: str, build) -> np.ndarray:
    """Concatenate an array built once per segment (by `build(leaf)`) and cached."""
    parts = []
    for leaf, _base in leaves(reader):
        key = (leaf.segment().segment_id(), tag)
        with _cache_lock:
            cached = _segment_cache.get(key)
        if cached is None:
            cached = (build(leaf), [])
            with _cache_lock:
                _segment_cache[key] = cached
        parts.append(cached[0])
    return np.concatenate(parts) if parts else EMPTY


def numbers(reader, fieldname: str) -> np.ndarray:
    """Return a sortable numeric column (e.g. paragraph order) for every document."""

    def build(leaf):
        column = leaf.column_reader(fieldname)
        return np.fromiter((int(v) for v in column), dtype=np.int64, count=leaf.doc_count_all())

    return _per_segment(reader, "#" + fieldname, build)


def forget_segments(keep_ids) -> None:
    """Drop cached arrays of segments that are gone (after a merge or a rebuild)."""
    with _cache_lock:
        for key in [k for k in _segment_cache if k[0] not in keep_ids]:
            del _segment_cache[key]
    with POSTINGS.lock:
        for key in [k for k in POSTINGS.items if k[0] not in keep_ids]:
            value = POSTINGS.items.pop(key)
            POSTINGS.used -= value[0].nbytes + value[1].nbytes


# --- ranking ------------------------------------------------------------------

B, K1 = 0.75, 1.2  # Whoosh's BM25F defaults


def term_postings(reader, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """Return (document numbers, term frequencies) of a term, deleted documents left out."""
    ids_parts, tf_parts = [], []
    for leaf, base in leaves(reader):
        if not leaf.doc_count_all():
            continue
        ids, tfs = _leaf_postings(leaf, fieldname, text)
        if not len(ids):
            continue
        if leaf.has_deletions():
            keep = ~np.isin(ids, np.fromiter(leaf.deleted_docs_set, dtype=np.int32))
            ids, tfs = ids[keep], tfs[keep]
        ids_parts.append(ids.astype(np.int64) + base)
        tf_parts.append(tfs)
    if not ids_parts:
        return EMPTY, EMPTY_TF
    if len(ids_parts) == 1:
        return ids_parts[0], tf_parts[0]
    return np.concatenate(ids_parts), np.concatenate(tf_parts)


def _read_blocks_with_weights(matcher: W3LeafMatcher) -> tuple[np.ndarray, np.ndarray]:
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
        return EMPTY, np.empty(0, dtype=np.float32)
    return np.concatenate(ids_parts), np.concatenate(tf_parts)


# Whoosh stores a field's length per document as one byte; this maps it back.
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)


def field_lengths(reader, fieldname: str) -> np.ndarray:
    """Return the length of a field in every document (Whoosh's byte approximation)."""

    def build(leaf):
        column = leaf._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
        n = leaf.doc_count_all()
        if column is None:
            return np.zeros(n, dtype=np.float32)
        return _LENGTH_OF_BYTE[np.fromiter(iter(column), dtype=np.uint8, count=n)]

    return _per_segment(reader, "len:" + fieldname, build)


def bm25_top(
    searcher, fieldname: str, terms: list[str], docs: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Score `docs` by BM25 over `terms` in numpy; return (best k, the rest that scored).

    Every matching document is scored, in C rather than Python, so a common term
    costs a few milliseconds even when it is in a third of the index.
    """
    reader = searcher.reader()
    if not len(docs) or not terms:
        return EMPTY, EMPTY
    lengths = field_lengths(reader, fieldname)
    avg = searcher.avg_field_length(fieldname) or 1.0
    scores = np.zeros(len(docs), dtype=np.float32)
    for term in set(terms):
        ids, tfs = term_postings(reader, fieldname, term)
        if not len(ids):
            continue
        where = np.searchsorted(docs, ids)
        where[where == len(docs)] = 0
        hit = docs[where] == ids
        if not hit.any():
            continue
        ids, tfs, where = ids[hit], tfs[hit], where[hit]
        idf = searcher.idf(fieldname, term)
        norm = K1 * ((1 - B) + B * lengths[ids] / avg)
        scores[where] += idf * (tfs * (K1 + 1)) / (tfs + norm)
    scored = np.flatnonzero(scores > 0)
    if not len(scored):
        return EMPTY, EMPTY
    if len(scored) > k:
        # The k best by (score, then document order), so that page after page the
        # same ranking is cut at the same places, ties included.
        negative = -scores[scored]
        kth = np.partition(negative, k - 1)[k - 1]
        above = scored[negative < kth]
        ties = scored[negative == kth]  # in document order already
        top = np.concatenate([above, ties[: k - len(above)]])
    else:
        top = scored
    # Best first; equal scores in document order.
    top = top[np.lexsort((docs[top], -scores[top]))]
    return docs[top], docs[scored]
