"""Sets of matching documents as sorted numpy arrays, so totals and facets are exact and fast.

Whoosh counts, facets and filters in Python, one document at a time; on a common
term (会员国 is in a third of all paragraphs) that is most of a query's time. Here a
term's postings are read a block at a time into numpy (`whoosh_internals`), sets are
combined with numpy (union, intersection, difference), and facet counts are one
`bincount` over a code array per field, built once per index segment and cached.
"""

from __future__ import annotations

import bisect
import threading
import weakref

import numpy as np

from search.engine import whoosh_internals as internals

EMPTY = np.empty(0, dtype=np.int64)
EMPTY_TF = internals.EMPTY_TF

# Per segment (by segment id), never stale: a segment's documents do not change,
# only its deletions, and deleted documents never reach a docset.
_segment_cache: dict[tuple[str, str], tuple[np.ndarray, list[str]]] = {}
_cache_lock = threading.Lock()


def leaves(reader):
    return list(reader.leaf_readers())


def stored_fields(reader, docs: list[int]) -> list[dict]:
    """The stored fields of these documents (numbers of the whole reader), each read from
    its segment: one lookup of the segment a document."""
    parts = leaves(reader)
    bases = [base for _leaf, base in parts]
    found = []
    for doc in docs:
        leaf, base = parts[bisect.bisect_right(bases, doc) - 1]
        found.append(internals.stored_fields(leaf, doc - base))
    return found


# A reader's state, by reader: a reader sees the segments and deletions it opened with.
_states: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def state(reader) -> tuple:
    """What identifies the documents a reader sees: its segments and their deletions."""
    found = _states.get(reader)
    if found is None:
        found = tuple(
            (internals.segment_id(leaf), leaf.doc_count())
            for leaf, _ in leaves(reader)
            if leaf.doc_count_all()
        )
        _states[reader] = found
    return found


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

    def forget(self, gone) -> None:
        """Drop the entries whose key `gone(key)` says is of segments that are gone."""
        with self.lock:
            for key in [k for k in self.items if gone(k)]:
                value = self.items.pop(key)
                self.used -= value[0].nbytes + value[1].nbytes


POSTINGS = LRU(budget=64 * 1024 * 1024)


def _leaf_postings(leaf, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """Decode a term's postings in one segment, deletions not applied (cached)."""
    key = (internals.segment_id(leaf), fieldname, text)
    cached = POSTINGS.get(key)
    if cached is None:
        cached = internals.postings(leaf, fieldname, text)
        POSTINGS.put(key, cached)
    return cached


# A term's postings over every segment, deletions applied, for one reader state: the
# segments' arrays (cached above) joined again at every query cost milliseconds.
JOINED = LRU(budget=32 * 1024 * 1024)


def term_postings(reader, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """Return (document numbers, term frequencies) of a term, deleted documents left out."""
    key = (state(reader), fieldname, text)
    joined = JOINED.get(key)
    if joined is None:
        joined = _joined_postings(reader, fieldname, text)
        for array in joined:  # shared by every later query: never changed in place
            array.flags.writeable = False
        JOINED.put(key, joined)
    return joined


def _joined_postings(reader, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    ids_parts, tf_parts = [], []
    for leaf, base in leaves(reader):
        if not leaf.doc_count_all():
            continue
        ids, tfs = _leaf_postings(leaf, fieldname, text)
        if not len(ids):
            continue
        deleted = internals.deleted_docs(leaf)
        if len(deleted):
            keep = ~np.isin(ids, deleted)
            ids, tfs = ids[keep], tfs[keep]
        ids_parts.append(ids.astype(np.int64) + base)
        tf_parts.append(tfs)
    if not ids_parts:
        return EMPTY, EMPTY_TF
    if len(ids_parts) == 1:
        return ids_parts[0], tf_parts[0]
    return np.concatenate(ids_parts), np.concatenate(tf_parts)


def term_docs(reader, fieldname: str, text: str) -> np.ndarray:
    """Return the sorted document numbers that contain a term (deleted ones left out)."""
    return term_postings(reader, fieldname, text)[0]


def phrase_docs(reader, fieldname: str, terms: list[str], candidates: np.ndarray | None = None) -> np.ndarray:
    """Return the documents (sorted document numbers; among `candidates` when given) in
    which terms[i] stands at position p + i for some p: a phrase, checked on the positions
    arrays of the mapped postings (`whoosh_internals.positions`), deleted documents left out."""
    found = []
    for leaf, base, wanted in _in_leaves(reader, candidates):
        docs = distinct(_phrase_keys(leaf, fieldname, terms, wanted) >> 32)
        deleted = internals.deleted_docs(leaf)
        if len(deleted) and len(docs):
            docs = docs[~np.isin(docs, deleted)]
        if len(docs):
            found.append(docs + base)
    return np.concatenate(found) if found else EMPTY  # segments' documents do not overlap


def same_sentence_docs(reader, words: list[list[str]], mark: str, candidates: np.ndarray) -> np.ndarray:
    """Return the candidates with one sentence that holds every word (each given as its
    terms of the literal field, a phrase of them when several). Sentences are told apart
    by `mark`, indexed at the first position of each: an occurrence is in the sentence of
    the last mark at or before it."""
    found = []
    for leaf, base, wanted in _in_leaves(reader, candidates):
        starts = _position_keys(*internals.positions(leaf, "literal", mark), wanted, 0)  # each sentence's
        common = None
        for terms in words:
            keys = _phrase_keys(leaf, "literal", terms, wanted)
            sentences = distinct(np.searchsorted(starts, keys, side="right") - 1)
            common = sentences if common is None else intersect([common, sentences])
            if not len(common):
                break
        if common is not None and len(common):
            found.append(distinct(starts[common] >> 32) + base)
    return np.concatenate(found) if found else EMPTY


# A phrase's candidates are looked up in a term's documents when they are fewer than
# 1/LOOKED_UP of them (binary search); otherwise every occurrence is masked.
LOOKED_UP = 4


class _Wanted:
    """A segment's candidate documents, sorted and as a boolean per document."""

    def __init__(self, local: np.ndarray, size: int):
        self.local = local
        self.mask = np.zeros(size, dtype=bool)
        self.mask[local] = True


def _in_leaves(reader, candidates: np.ndarray | None):
    """Each segment with candidates: (leaf, its first document number, its candidates:
    None for every document)."""
    for leaf, base in leaves(reader):
        size = leaf.doc_count_all()
        if candidates is None:
            if size:
                yield leaf, base, None
            continue
        local = candidates[(candidates >= base) & (candidates < base + size)] - base
        if len(local):
            yield leaf, base, _Wanted(local, size)


def _phrase_keys(leaf, fieldname: str, terms: list[str], wanted: _Wanted | None) -> np.ndarray:
    """(document << 32 | position) where the phrase starts, in one segment's `wanted`
    documents. The term in fewest documents is read first, and each next one only in the
    documents still in the running."""
    reads = [(offset, internals.positions(leaf, fieldname, term)) for offset, term in enumerate(terms)]
    reads.sort(key=lambda read: len(read[1][0]))
    keys = None
    for offset, read in reads:
        term_keys = _position_keys(*read, wanted, offset)
        keys = term_keys if keys is None else intersect([keys, term_keys])
        if not len(keys):
            return EMPTY
        wanted = _Wanted(distinct(keys >> 32), leaf.doc_count_all())
    return EMPTY if keys is None else keys


def _position_keys(
    ids: np.ndarray, freqs: np.ndarray, positions: np.ndarray, wanted: _Wanted | None, offset: int
) -> np.ndarray:
    """(document << 32 | position - offset) of every occurrence of a term in the `wanted`
    documents (every one: None), sorted: a phrase's documents are where its terms' keys
    meet. Where the candidates are few beside the term's documents, their rows are looked
    up; otherwise every occurrence is kept or not by the candidates' mask."""
    if not len(ids):
        return EMPTY
    if wanted is None:
        docs, pos = np.repeat(ids, freqs), positions
    elif LOOKED_UP * len(wanted.local) < len(ids):
        at = np.minimum(np.searchsorted(ids, wanted.local), len(ids) - 1)
        rows = at[ids[at] == wanted.local]
        lens = freqs[rows]
        ends = np.cumsum(freqs, dtype=np.int64)[rows]
        before = np.cumsum(lens, dtype=np.int64) - lens  # where each row's run starts in the gathered
        index = np.repeat(ends - lens - before, lens) + np.arange(int(lens.sum()), dtype=np.int64)
        docs, pos = np.repeat(ids[rows], lens), positions[index]
    else:
        kept = np.repeat(wanted.mask[ids], freqs)  # per occurrence: in a wanted document
        docs, pos = np.repeat(ids, freqs)[kept], positions[kept]
    pos = pos.astype(np.int64) - offset
    return ((docs.astype(np.int64) << 32) | pos)[pos >= 0]


def union(arrays) -> np.ndarray:
    """The sorted documents of any of these sorted arrays.

    Sorting sorted runs is quick, where `np.unique` hashes them first (30 times as long
    on two arrays of a few tens of thousands)."""
    arrays = [a for a in arrays if len(a)]
    if not arrays:
        return EMPTY
    if len(arrays) == 1:
        return arrays[0]
    return distinct(np.concatenate(arrays))


def distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted: `np.unique` by a sort (numpy 2's `np.unique` hashes
    first, several times as long on values as spread as paragraph ids)."""
    ordered = np.sort(values, kind="stable")  # sorted runs (a union's arrays) are merged, not sorted again
    if not len(ordered):
        return ordered
    first = np.empty(len(ordered), dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return ordered[first]


def intersect(arrays) -> np.ndarray:
    """The sorted documents of all these sorted arrays: the smallest looked up in each
    other by binary search (n log m, where `np.intersect1d` sorts both together)."""
    arrays = sorted(arrays, key=len)
    result = arrays[0]
    for other in arrays[1:]:
        if not len(result):
            break
        if not len(other):
            return EMPTY
        at = np.searchsorted(other, result)
        at[at == len(other)] = 0  # past the end: compared with the first, which is smaller
        result = result[other[at] == result]
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
        deleted = internals.deleted_docs(leaf)
        if len(deleted):
            ids = ids[~np.isin(ids, deleted)]
        parts.append(ids + base)
    return np.concatenate(parts) if parts else EMPTY


# The codes of all segments together, for the reader state they were merged for: a
# search asks for eleven of them (facets, ranking priors, matches per document), and
# merging them is a Python loop over every value of the field.
_merged: dict[tuple, tuple[np.ndarray, list[str]]] = {}
MERGED_KEPT = 64  # entries; more means readers of older states: start again


def codes(reader, fieldname: str) -> tuple[np.ndarray, list[str]]:
    """Return (code per document, names): the value of an ID field for every document.

    Shared between searches: the array is read-only.
    """
    return _merged_once((state(reader), fieldname), lambda: _merge_codes(reader, fieldname))


def _merged_once(key: tuple, merge) -> tuple[np.ndarray, list[str]]:
    """The arrays `merge` makes for this key, made once and kept read-only in `_merged`."""
    with _cache_lock:
        cached = _merged.get(key)
    if cached is None:
        cached = merge()
        cached[0].flags.writeable = False
        with _cache_lock:
            if len(_merged) >= MERGED_KEPT:
                _merged.clear()
            _merged[key] = cached
    return cached


def per_state(reader, tag: str, build) -> np.ndarray:
    """An array `build()` makes from what this reader sees, made once for its state and
    shared read-only (an order of a field's names, say)."""
    return _merged_once((state(reader), tag), lambda: (build(), []))[0]


def _merge_codes(reader, fieldname: str) -> tuple[np.ndarray, list[str]]:
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
    key = (internals.segment_id(leaf), fieldname)
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


def term_slots(reader, fieldname: str, keep) -> tuple[np.ndarray, list[str]]:
    """Return (codes, names) for a field of several values a document (KEYWORD): codes has
    one row ("slot") per value a document can have, so a facet counts them all with one
    `bincount` of `codes[:, docs]`; 0 where a document has fewer values. Only the terms
    `keep` accepts are coded (one `keep` a field: the arrays are cached by its name).
    Shared between searches: the array is read-only."""
    return _merged_once((state(reader), "slots:" + fieldname), lambda: _merge_slots(reader, fieldname, keep))


def slot_counts(reader, fieldname: str, keep, docs: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """How many of `docs` have each value of a field of several values (`term_slots`):
    counts[i] for names[i]. Few documents: their slots are read (one row a slot). Many:
    the field's (document, value) pairs, kept once for the index's state, are filtered by
    a mask of the documents, so the cost is that of the pairs, however deep the slots (a
    paragraph asking twelve addressees makes every paragraph's slots twelve deep)."""
    slots, names = term_slots(reader, fieldname, keep)
    if not len(docs) or not names:
        return np.zeros(len(names), dtype=np.int64), names
    pairs = per_state(reader, "pairs:" + fieldname, lambda: slot_pairs(slots))
    return count_slots(slots, pairs, docs, len(names)), names


def count_slots(
    slots: np.ndarray, pairs: np.ndarray, docs: np.ndarray, values: int, by_pairs=None
) -> np.ndarray:
    """counts[i]: how many of `docs` have value i + 1, read from the slots of the documents
    or from the pairs (`by_pairs`: whichever reads fewer numbers, unless told)."""
    if by_pairs is None:
        by_pairs = len(docs) * slots.shape[0] > pairs.shape[1]
    if not by_pairs:
        return np.bincount(slots[:, docs].ravel(), minlength=values + 1)[1 : values + 1]
    wanted = np.zeros(slots.shape[1], dtype=bool)
    wanted[docs] = True
    return np.bincount(pairs[1][wanted[pairs[0]]], minlength=values + 1)[1 : values + 1]


def slot_pairs(slots: np.ndarray) -> np.ndarray:
    """The (document, value) pairs of a slots array, as two rows: documents, codes."""
    rows, documents = np.nonzero(slots)
    return np.vstack([documents.astype(np.int32), slots[rows, documents]]).reshape(2, -1)


def _merge_slots(reader, fieldname: str, keep) -> tuple[np.ndarray, list[str]]:
    parts, names, index = [], [], {}
    for leaf, _base in leaves(reader):
        leaf_slots, leaf_names = _leaf_slots(leaf, fieldname, keep)
        mapping = np.zeros(len(leaf_names) + 1, dtype=np.int32)
        for i, name in enumerate(leaf_names, 1):
            if name not in index:
                names.append(name)
                index[name] = len(names)
            mapping[i] = index[name]
        parts.append(mapping[leaf_slots])
    if not parts:
        return np.zeros((1, 0), dtype=np.int32), names
    depth = max(part.shape[0] for part in parts)
    padded = [np.vstack([p, np.zeros((depth - p.shape[0], p.shape[1]), dtype=np.int32)]) for p in parts]
    return np.hstack(padded), names


def _leaf_slots(leaf, fieldname: str, keep) -> tuple[np.ndarray, list[str]]:
    key = (internals.segment_id(leaf), "slots:" + fieldname)
    with _cache_lock:
        cached = _segment_cache.get(key)
    if cached is not None:
        return cached
    filled = np.zeros(leaf.doc_count_all(), dtype=np.int32)  # values given each document so far
    rows = [np.zeros(leaf.doc_count_all(), dtype=np.int32)]
    names = []
    for term in leaf.lexicon(fieldname) if leaf.doc_count_all() else []:
        name = term.decode("utf-8") if isinstance(term, bytes) else term
        if not keep(name):
            continue
        names.append(name)
        ids = _leaf_postings(leaf, fieldname, name)[0]
        slots = filled[ids]
        while len(rows) <= int(slots.max(initial=0)):
            rows.append(np.zeros(leaf.doc_count_all(), dtype=np.int32))
        for slot in np.unique(slots):
            rows[slot][ids[slots == slot]] = len(names)
        filled[ids] += 1
    result = (np.vstack(rows), names)
    with _cache_lock:
        _segment_cache[key] = result
    return result


def _per_segment(reader, tag: str, build) -> np.ndarray:
    """An array built once per segment (by `build(leaf)`) and cached, concatenated once for
    the reader's state (a rebuild writes a segment every 50,000 paragraphs or so: copying
    them together at every query cost milliseconds)."""
    key = (state(reader), "segments:" + tag)
    return _merged_once(key, lambda: (_segments_joined(reader, tag, build), []))[0]


def _segments_joined(reader, tag: str, build) -> np.ndarray:
    parts = []
    for leaf, _base in leaves(reader):
        key = (internals.segment_id(leaf), tag)
        with _cache_lock:
            cached = _segment_cache.get(key)
        if cached is None:
            cached = (build(leaf), [])
            cached[0].flags.writeable = False
            with _cache_lock:
                _segment_cache[key] = cached
        parts.append(cached[0])
    if len(parts) == 1:  # one segment: its own array, no copy
        return parts[0]
    return np.concatenate(parts) if parts else EMPTY.copy()


def numbers(reader, fieldname: str) -> np.ndarray:
    """Return a sortable numeric column (e.g. paragraph order) for every document."""

    def build(leaf):
        if not leaf.doc_count_all():  # an empty index has no columns to read
            return np.empty(0, dtype=np.int64)
        return internals.numbers(leaf, fieldname).astype(np.int64)

    return _per_segment(reader, "#" + fieldname, build)


def field_lengths(reader, fieldname: str) -> np.ndarray:
    """Return the length of a field in every document (Whoosh's byte approximation)."""
    return _per_segment(reader, "len:" + fieldname, lambda leaf: internals.field_lengths(leaf, fieldname))


def forget_segments(keep_ids) -> None:
    """Drop cached arrays of segments that are gone (after a merge or a rebuild)."""
    with _cache_lock:
        for key in [k for k in _segment_cache if k[0] not in keep_ids]:
            del _segment_cache[key]
        for key in [k for k in _merged if any(segment not in keep_ids for segment, _ in k[0])]:
            del _merged[key]
    POSTINGS.forget(lambda key: key[0] not in keep_ids)  # keyed by segment
    JOINED.forget(lambda key: any(segment not in keep_ids for segment, _ in key[0]))  # by reader state
