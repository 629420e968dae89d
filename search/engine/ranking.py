"""Ranking: a symbol's own resolution first, then BM25 over whole words, then literal matches."""

from __future__ import annotations

import numpy as np

from search.engine import docsets
from search.engine.query import ParsedQuery

B, K1 = 0.75, 1.2  # Whoosh's BM25F defaults


def rank(searcher, parsed: ParsedQuery, docs: np.ndarray, needed: int) -> list[int]:
    """Return the first `needed` matching documents, best first.

    A symbol typed alone lists its resolution first, in document order. Then come
    the documents with whole-word matches, by BM25 on the words field (scored in
    numpy, all of them, then the best are picked); then the documents that match
    only literally, in document order.
    """
    reader = searcher.reader()
    ordered: list[int] = []
    rest = docs
    if parsed.symbol:
        own = docsets.intersect([docs, docsets.term_docs(reader, "symbol_forms", parsed.symbol)])
        if len(own):
            order = docsets.numbers(reader, "order")[own]
            language, _ = docsets.codes(reader, "language")
            ordered = own[np.lexsort((language[own], order))].tolist()
            rest = docsets.difference(docs, own)
    if len(ordered) >= needed or not len(rest):
        return ordered[:needed]
    words = sorted({w for u in parsed.units for w in u.words})
    want = needed - len(ordered)
    best, scored = bm25_top(searcher, "content", words, rest, want)
    ordered += best.tolist()
    if len(ordered) < needed:
        literal_only = docsets.difference(rest, np.sort(scored))
        ordered += literal_only[: needed - len(ordered)].tolist()
    return ordered[:needed]


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
    lengths = docsets.field_lengths(reader, fieldname)
    avg = searcher.avg_field_length(fieldname) or 1.0
    scores = np.zeros(len(docs), dtype=np.float32)
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
    scored = np.flatnonzero(scores > 0)
    if not len(scored):
        return docsets.EMPTY, docsets.EMPTY
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
