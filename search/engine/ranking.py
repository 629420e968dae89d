"""Ranking: a symbol's own resolution first, then BM25 over whole words, then literal matches.

BM25 is weighed by what a UN paragraph is (`relevance`), each weight bounded, all
read from fields computed when the paragraph was indexed:

- a paragraph written in a procedural formula (a request for a report, the question
  put on a later session's agenda, cooperation with a rapporteur, a report taken note
  of: `search.parsing.formulas`) counts for less than one that says something, unless
  the query asks for that formula;
- a paragraph whose subject holds the query's words (its resolution's title, its own
  first words) counts for a little more than one that only mentions them;
- a draft or a report counts for a little less than an adopted resolution, so that a
  draft does not outrank its resolution for a word more or less.
"""

from __future__ import annotations

import numpy as np

from search.engine import docsets
from search.engine.query import ParsedQuery
from search.parsing import FORMULAS, asks_for

B, K1 = 0.75, 1.2  # Whoosh's BM25F defaults
FORMULA_WEIGHT = 0.5  # a procedural paragraph's share of its BM25 score
SUBJECT_WEIGHT = 0.15  # at most, for a subject that holds every word of the query
DRAFT_WEIGHT = 0.95  # a draft's or report's share: more than a length difference of a few words


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
    best, scored = _top(reader, relevance(searcher, parsed, rest), rest, needed - len(ordered))
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
    if not len(docs) or not terms:
        return docsets.EMPTY, docsets.EMPTY
    return _top(searcher.reader(), np.round(bm25_scores(searcher, fieldname, terms, docs), 4), docs, k)


def _top(reader, rounded: np.ndarray, docs: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k best of `docs` by their (rounded) scores, and all those that scored."""
    scored = np.flatnonzero(rounded > 0)
    if not len(scored):
        return docsets.EMPTY, docsets.EMPTY
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


def query_words(parsed: ParsedQuery) -> list[str]:
    return sorted({w for u in parsed.units for w in u.words})


def relevance(searcher, parsed: ParsedQuery, docs: np.ndarray) -> np.ndarray:
    """BM25 of `docs` (sorted) on the query's words, weighed by what each paragraph is
    (see the module's docstring) and rounded: equal wording scores equally, so ties are ties."""
    reader = searcher.reader()
    words = query_words(parsed)
    scores = bm25_scores(searcher, "content", words, docs)
    if not len(docs) or not scores.any():
        return np.round(scores, 4)
    scores *= _formula_weights(reader, parsed, docs)
    meaningful = sorted({w for u in parsed.units if not u.stop for w in u.words})
    scores *= 1 + SUBJECT_WEIGHT * _subject_share(reader, meaningful, docs)
    scores *= np.where(priors(reader, docs)[0], 1.0, DRAFT_WEIGHT).astype(np.float32)
    return np.round(scores, 4)


def _formula_weights(reader, parsed: ParsedQuery, docs: np.ndarray) -> np.ndarray:
    """FORMULA_WEIGHT for a paragraph in a procedural formula the query does not ask for, else 1."""
    codes, names = docsets.codes(reader, "formula")
    typed = " ".join(u.text for u in parsed.units)
    demoted = [i + 1 for i, name in enumerate(names) if name in FORMULAS and not asks_for(name, typed)]
    weights = np.ones(len(docs), dtype=np.float32)
    if demoted:
        weights[np.isin(codes[docs], demoted)] = FORMULA_WEIGHT
    return weights


def _subject_share(reader, words: list[str], docs: np.ndarray) -> np.ndarray:
    """The share of the query's words that each paragraph's subject (title, first words) holds."""
    held = np.zeros(len(docs), dtype=np.float32)
    for word in words:
        held[np.isin(docs, docsets.term_docs(reader, "subject", word), assume_unique=True)] += 1
    return held / max(len(words), 1)


# From this many documents on, BM25 adds each term's scores into an array over every
# document, read back for the documents at the end: aligning a term's postings with the
# documents by binary search took 6 ms a term at 1,000,000 paragraphs.
DENSE_FROM = 20_000


def bm25_scores(searcher, fieldname: str, terms: list[str], docs: np.ndarray) -> np.ndarray:
    """The BM25 score over `terms` of each of `docs` (sorted), as Whoosh's BM25F computes it."""
    reader = searcher.reader()
    lengths = docsets.field_lengths(reader, fieldname)
    avg = searcher.avg_field_length(fieldname) or 1.0
    if not len(docs):
        return np.zeros(0, dtype=np.float32)
    dense = len(docs) >= DENSE_FROM
    if dense:
        wanted = np.zeros(len(lengths), dtype=bool)
        wanted[docs] = True
    scores = np.zeros(len(lengths) if dense else len(docs), dtype=np.float32)
    for term in set(terms):
        ids, tfs = docsets.term_postings(reader, fieldname, term)
        if dense:
            hit = wanted[ids]
            where = ids[hit]
        else:
            where = np.searchsorted(docs, ids)
            where[where == len(docs)] = 0
            hit = docs[where] == ids
            where = where[hit]
        if not len(where):
            continue
        ids, tfs = ids[hit], tfs[hit]
        idf = searcher.idf(fieldname, term)
        norm = K1 * ((1 - B) + B * lengths[ids] / avg)
        scores[where] += idf * (tfs * (K1 + 1)) / (tfs + norm)
    return scores[docs] if dense else scores


def rank_by_level(
    searcher, parsed: ParsedQuery, docs: np.ndarray, levels: np.ndarray, needed: int, sort: str = "relevance"
) -> list[int]:
    """Rank the documents of a partial match: by relevance times the share of the query's
    weight each holds (`levels`), then as `rank` breaks ties — adopted resolutions first,
    newer first, document order. Newest and oldest sort by `levels`, then by date.

    BM25 already sums the idf of the words a paragraph holds; scaling it by the share
    held (Lucene's coordination factor, weighed by idf) keeps a paragraph that lacks a
    rare word below one that lacks a common one, without letting a slightly larger share
    of common words ("assist … Central Africa") outrank a far better match of the rest
    ("refugees in Africa"), as ordering by the share alone did. A run of Chinese counted
    by its words (贩卖人体器官) still ranks by the share first: its words weigh by the
    characters they cover there, which BM25 does not know (the rare 贩卖 would outweigh
    人体器官).
    """
    reader = searcher.reader()
    adopted, year = priors(reader, docs)
    if sort in ("newest", "oldest"):
        when = np.where(year > 0, -year if sort == "newest" else year, np.iinfo(np.int32).max)
        order = np.lexsort((docs, ~adopted, when, -levels))
    else:
        scores = relevance(searcher, parsed, docs)
        if any(u.any_order for u in parsed.units):
            order = np.lexsort((docs, -year, ~adopted, -scores, -levels))
        else:
            order = np.lexsort((docs, -year, ~adopted, -coordinated(scores, levels)))
    return docs[order[:needed]].tolist()


def coordinated(scores: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Scores scaled by each document's share of the highest level, rounded as scores are."""
    top = float(levels.max()) if len(levels) else 0.0
    if top <= 0:
        return scores
    return np.round(scores * (levels / top), 4)


def priors(reader, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return, for each document, whether it is an adopted resolution, and its year (0 unknown)."""
    types, type_names = docsets.codes(reader, "doc_type")
    adopted_code = type_names.index("resolution") + 1 if "resolution" in type_names else -1
    years, year_names = docsets.codes(reader, "year")
    year_of_code = np.array([0] + [int(n) if n.isdigit() else 0 for n in year_names], dtype=np.int32)
    return types[ids] == adopted_code, year_of_code[years[ids]]
