"""Ranking: a symbol's own resolution first, then BM25 over whole words, then literal matches."""

from __future__ import annotations

import numpy as np

from search.engine import docsets
from search.engine.query import ParsedQuery

B, K1 = 0.75, 1.2  # Whoosh's BM25F defaults


SORTS = ("relevance", "newest", "oldest")


def rank(searcher, parsed: ParsedQuery, docs: np.ndarray, needed: int, sort: str = "relevance") -> list[int]:
    """Return the first `needed` matching documents, best first (or newest or oldest first:
    by year, adopted resolutions first within a year, then in document order).

    A symbol typed alone lists its resolution first, in document order. Then come
    the documents with whole-word matches, by BM25 on the words field (scored in
    numpy, all of them, then the best are picked); then the documents that match
    only literally, in document order.
    """
    reader = searcher.reader()
    if sort in ("newest", "oldest"):
        return _by_date(reader, docs, newest_first=sort == "newest")[:needed].tolist()
    own = _own_resolution(reader, parsed, docs)
    ordered = _in_document_order(reader, own)
    rest = docsets.difference(docs, own)
    if len(ordered) >= needed or not len(rest):
        return ordered[:needed]
    words = sorted({w for u in parsed.units for w in u.words})
    best, scored = bm25_top(searcher, "content", words, rest, needed - len(ordered))
    ordered += best.tolist()
    if len(ordered) < needed:
        ordered += _literal_only(reader, rest, scored)[: needed - len(ordered)].tolist()
    return ordered[:needed]


def _by_date(reader, docs: np.ndarray, newest_first: bool) -> np.ndarray:
    """Order documents by year, adopted resolutions first within a year, then in document
    order; those of unknown year last, either way."""
    adopted, year = priors(reader, docs)
    when = np.where(year > 0, -year if newest_first else year, np.iinfo(np.int32).max)
    return docs[np.lexsort((docs, ~adopted, when))]


def _own_resolution(reader, parsed: ParsedQuery, docs: np.ndarray) -> np.ndarray:
    """The matching paragraphs of the resolution whose symbol was typed alone."""
    if not parsed.symbol:
        return docsets.EMPTY
    return docsets.intersect([docs, docsets.term_docs(reader, "symbol_forms", parsed.symbol)])


def _in_document_order(reader, own: np.ndarray) -> list[int]:
    """Paragraphs in the order they stand in their document (a language's after the other's)."""
    if not len(own):  # no symbol typed alone: its columns are not read
        return []
    order = docsets.numbers(reader, "order")[own]
    language, _ = docsets.codes(reader, "language")
    return own[np.lexsort((language[own], order))].tolist()


def _literal_only(reader, docs: np.ndarray, scored: np.ndarray) -> np.ndarray:
    """The documents that match only literally (no whole word scored): adopted resolutions
    first, then newer before older, then document order."""
    literal_only = docsets.difference(docs, np.sort(scored))
    adopted, year = priors(reader, literal_only)
    return literal_only[np.lexsort((literal_only, -year, ~adopted))]


def bm25_top(
    searcher, fieldname: str, terms: list[str], docs: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Score `docs` by BM25 over `terms` in numpy; return (best k, the rest that scored).

    Every matching document is scored, in C rather than Python, so a common term
    costs a few milliseconds even when it is in a third of the index.
    """
    reader = searcher.reader()
    if not len(docs) or not terms:
        return docsets.EMPTY, docsets.EMPTY
    scores = bm25_scores(searcher, fieldname, terms, docs)
    scored = np.flatnonzero(scores > 0)
    if not len(scored):
        return docsets.EMPTY, docsets.EMPTY
    # Equal wording scores equally (to float noise): round so that ties are ties.
    rounded = np.round(scores, 4)
    if len(scored) > k:
        # The candidates for the k best: all above the k-th score and all equal to it.
        negative = -rounded[scored]
        kth = np.partition(negative, k - 1)[k - 1]
        candidates = scored[negative <= kth]
    else:
        candidates = scored
    # Best first; among equal scores, adopted resolutions before drafts and reports, then
    # newer before older, then document order: page after page cut at the same places.
    adopted, year = priors(reader, docs[candidates])
    order = np.lexsort((docs[candidates], -year, ~adopted, -rounded[candidates]))
    return docs[candidates[order][:k]], docs[scored]


def bm25_scores(searcher, fieldname: str, terms: list[str], docs: np.ndarray) -> np.ndarray:
    """The BM25 score over `terms` of each of `docs` (sorted), as Whoosh's BM25F computes it."""
    reader = searcher.reader()
    lengths = docsets.field_lengths(reader, fieldname)
    avg = searcher.avg_field_length(fieldname) or 1.0
    scores = np.zeros(len(docs), dtype=np.float32)
    if not len(docs):
        return scores
    for term in set(terms):
        ids, tfs = docsets.term_postings(reader, fieldname, term)
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
    return scores


def rank_by_level(
    searcher, parsed: ParsedQuery, docs: np.ndarray, levels: np.ndarray, needed: int, sort: str = "relevance"
) -> list[int]:
    """Rank the documents of a partial match: by `levels` (how much of the query each
    holds), then as `rank` does within a level — BM25 (or the date), adopted resolutions
    first, newer first, document order."""
    reader = searcher.reader()
    adopted, year = priors(reader, docs)
    if sort in ("newest", "oldest"):
        when = np.where(year > 0, -year if sort == "newest" else year, np.iinfo(np.int32).max)
        order = np.lexsort((docs, ~adopted, when, -levels))
    else:
        words = sorted({w for u in parsed.units for w in u.words})
        scores = np.round(bm25_scores(searcher, "content", words, docs), 4)
        order = np.lexsort((docs, -year, ~adopted, -scores, -levels))
    return docs[order[:needed]].tolist()


def priors(reader, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return, for each document, whether it is an adopted resolution, and its year (0 unknown)."""
    types, type_names = docsets.codes(reader, "doc_type")
    adopted_code = type_names.index("resolution") + 1 if "resolution" in type_names else -1
    years, year_names = docsets.codes(reader, "year")
    year_of_code = np.array([0] + [int(n) if n.isdigit() else 0 for n in year_names], dtype=np.int32)
    return types[ids] == adopted_code, year_of_code[years[ids]]
