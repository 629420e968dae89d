"""Run a parsed query against the index: matching sets, exact totals and facets, a page of hits.

A paragraph whose normalised text contains a normalised unit of the query is always
found; whole-word matches rank first (`ranking`). The sets, totals and facets are
computed in numpy (`docsets`); only the page shown is loaded and highlighted.
Everything here returns data (keys, anchors, labels, escaped snippets), never URLs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh.query import Phrase

from search.engine import docsets, families
from search.engine.highlight import snippet
from search.engine.index import searching
from search.engine.query import ParsedQuery, Unit, parse_query
from search.engine.ranking import rank, rank_by_level
from search.models import Paragraph

FACETS = ("language", "body", "session", "committee", "year", "doc_type", "kind", "wording")
MAX_PER_PAGE = 100
STALE_SLACK = 10
# When no paragraph has every word, the paragraphs holding most of them are counted over
# at most this many word groups (the first typed): one pass over their posting lists,
# never a search over subsets of words, so the cost is bounded whatever the query.
MOST_WORDS_COUNTED = 12

# Checking phrase positions is Python work: keep the answer for this index state
# (paging, and htmx asking again as the user types, repeat the same phrases).
_PHRASES = docsets.LRU(budget=32 * 1024 * 1024)


def unit_docs(searcher, unit: Unit) -> np.ndarray:
    """Return the documents a word or phrase matches (see `Unit.field`)."""
    field = unit.field
    found = _sequence_docs(searcher, *field) if field else docsets.EMPTY
    if unit.symbol:
        found = docsets.union([found, docsets.term_docs(searcher.reader(), "symbol_forms", unit.symbol)])
    return found


def _sequence_docs(searcher, fieldname: str, terms: list[str]) -> np.ndarray:
    if len(terms) == 1:
        return docsets.term_docs(searcher.reader(), fieldname, terms[0])
    key = (docsets.state(searcher.reader()), fieldname, tuple(terms))
    found = _PHRASES.get(key)
    if found is None:
        found = (_phrase_docs(searcher, fieldname, terms), docsets.EMPTY_TF)
        _PHRASES.put(key, found)
    return found[0]


def _phrase_docs(searcher, fieldname: str, terms: list[str]) -> np.ndarray:
    # Only documents holding every term can hold the phrase: check positions there.
    candidates = docsets.intersect([docsets.term_docs(searcher.reader(), fieldname, t) for t in set(terms)])
    if not len(candidates):
        return candidates
    return docsets.intersect([candidates, docsets.query_docs(searcher, Phrase(fieldname, terms))])


@dataclass
class Match:
    """The documents a query matches; for a partial match, how much of the query each holds."""

    docs: np.ndarray  # every matching document, sorted
    levels: np.ndarray | None = None  # per document of a partial match: the weight of the words it holds

    @property
    def partial(self) -> bool:
        """No paragraph has every word: these have most of them."""
        return self.levels is not None


def matching_docs(searcher, parsed: ParsedQuery) -> np.ndarray | None:
    """Return every matching document, or None when the query asks for nothing."""
    match = find_matches(searcher, parsed)
    return None if match is None else match.docs


def find_matches(searcher, parsed: ParsedQuery) -> Match | None:
    """Match every word; when no paragraph has them all, the paragraphs with most of them.

    Phrases typed in quotes, symbols, filters and exclusions always hold; a symbol typed
    alone and a query of one word (or one group of ORed words) are never relaxed. None when
    the query asks for nothing.
    """
    wanted = _wanted(searcher, parsed)
    if wanted is None:
        return None
    unwanted = _unwanted(searcher, parsed)
    docs = docsets.difference(docsets.intersect(wanted), unwanted)
    counted = [g for g in parsed.groups if not any(u.exact or u.symbol for u in g)]
    if len(docs) or parsed.symbol or not counted or len(parsed.groups) < 2:
        return Match(docs)
    return _most_words(searcher, parsed, counted, unwanted)


def _most_words(searcher, parsed: ParsedQuery, counted: list[list[Unit]], unwanted: np.ndarray) -> Match:
    """The documents that hold all but one of the counted groups at most, or all but two,
    each also holding every phrase, symbol and filter and no exclusion; at least one
    word, unless a phrase or a symbol is there to be found.

    Each document's level is the weight of the groups it holds, a group weighing the idf
    of its rarest term: "child marriage" holds more of a question than "General Assembly".
    """
    reader = searcher.reader()
    phrases = [docsets.union([unit_docs(searcher, u) for u in g]) for g in parsed.groups if g not in counted]
    required = phrases + [
        docsets.union([docsets.term_docs(reader, name, v) for v in values])
        for name, values in parsed.filters.items()
    ]
    counted = counted[:MOST_WORDS_COUNTED]
    sets = [docsets.union([unit_docs(searcher, u) for u in g]) for g in counted]
    if required:
        held = docsets.difference(docsets.intersect(required), unwanted)
        sets = [docsets.intersect([s, held]) for s in sets]
    else:
        held = docsets.EMPTY
        sets = [docsets.difference(s, unwanted) for s in sets]
    # A phrase's (or symbol's) documents count even with none of the other words.
    ids, counts = np.unique(np.concatenate([*sets, held] if phrases else sets), return_counts=True)
    counts -= 1 if phrases else 0
    if not len(ids) or counts.max() < (0 if phrases else 1):
        return Match(docsets.EMPTY)
    keep = counts >= max(0 if phrases else 1, int(counts.max()) - 1)
    ids = ids[keep]
    levels = np.zeros(len(ids), dtype=np.float32)
    for found, group in zip(sets, counted, strict=True):
        levels[np.isin(ids, found, assume_unique=True)] += _weight(searcher, group)
    return Match(ids, np.round(levels, 3))


def _weight(searcher, group: list[Unit]) -> float:
    """How much a group of ORed units says: the idf of the rarest term of its likeliest unit."""
    weights = [0.0]
    for unit in group:
        if unit.field:
            fieldname, terms = unit.field
            weights.append(max(searcher.idf(fieldname, t) for t in terms))
    return max(weights)


def _wanted(searcher, parsed: ParsedQuery) -> list[np.ndarray] | None:
    """The sets a match is in, each of them: its words' and each filter's; None when the
    query asks for nothing (filters alone narrow every document)."""
    reader = searcher.reader()
    groups = _word_groups(searcher, parsed)
    if not groups:
        if not parsed.filters:
            return None
        groups = [docsets.live_docs(reader)]
    return groups + [
        docsets.union([docsets.term_docs(reader, name, v) for v in values])
        for name, values in parsed.filters.items()
    ]


def _word_groups(searcher, parsed: ParsedQuery) -> list[np.ndarray]:
    """A set per group of ORed units; a symbol typed alone finds its own resolution too."""
    groups = [docsets.union([unit_docs(searcher, u) for u in group]) for group in parsed.groups]
    if parsed.symbol:
        own = docsets.term_docs(searcher.reader(), "symbol_forms", parsed.symbol)
        groups = [docsets.union([own, docsets.intersect(groups)])] if groups else [own]
    return groups


def _unwanted(searcher, parsed: ParsedQuery) -> np.ndarray:
    """The documents an exclusion rules out: `-word` or `-lang:zh`."""
    reader = searcher.reader()
    excluded = [unit_docs(searcher, u) for u in parsed.excluded]
    excluded += [
        docsets.term_docs(reader, name, v) for name, values in parsed.excluded_filters.items() for v in values
    ]
    return docsets.union(excluded)


def _parsed(query: str | ParsedQuery) -> ParsedQuery:
    """The query read: a string is parsed here, a parsed query taken as it is."""
    return query if isinstance(query, ParsedQuery) else parse_query(query or "")


def search_paragraphs(
    query: str | ParsedQuery, page: int = 1, per_page: int = 20, sort: str = "relevance"
) -> dict:
    """Search paragraphs; return the exact total, hits of this page and facet counts.

    Raises IndexUnavailable when the index is missing or damaged (it is being rebuilt).
    """
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, page)
    parsed = _parsed(query)
    answer = {
        "query": parsed.typed,
        "total": 0,
        "documents": 0,
        "page": page,
        "per_page": per_page,
        "hits": [],
        "facets": {},
        "unknown_filters": parsed.unknown_filters,
        "partial": False,
        "wordings": 0,
    }
    with searching() as searcher:
        match = find_matches(searcher, parsed)
        if match is None:
            return answer
        docs = match.docs
        reader = searcher.reader()
        shown = _one_per_wording(reader, match)
        start = (page - 1) * per_page
        # A few more than the page, for hits the database no longer holds (see _held).
        ranked = _ranked(searcher, parsed, shown, start + per_page + STALE_SLACK, sort)[start:]
        stored = [dict(searcher.stored_fields(int(d))) for d in ranked]
        same = _same_wording(searcher, docs, ranked)
        facets = {name: facet_counts(reader, name, docs) for name in FACETS}
        documents, in_document = _per_document(reader, docs, ranked)
    for fields, count, doc in zip(stored, in_document, ranked, strict=True):
        fields["_in_document"] = count
        fields["_same_wording"] = same.get(doc, ([], 0))
    held = _held(stored)
    gone = len(stored) - len(held)
    return answer | {
        "partial": match.partial,
        "total": int(len(docs)) - gone,
        "wordings": int(len(shown.docs)) - gone,
        "documents": documents,
        "hits": [_hit(fields, parsed) for fields in held[:per_page]],
        "facets": facets,
    }


def _one_per_wording(reader, match: Match) -> Match:
    """The match with one paragraph of each wording family: the one a page shows."""
    shown = families.representatives(reader, match.docs)
    if len(shown) == len(match.docs):
        return match
    levels = None if match.levels is None else match.levels[np.searchsorted(match.docs, shown)]
    return Match(shown, levels)


def _same_wording(searcher, docs: np.ndarray, ranked: list[int]) -> dict[int, tuple[list[dict], int]]:
    """Each ranked hit's matching paragraphs of the same wording (where each is), and how many."""
    found = families.same_wording(searcher.reader(), docs, ranked)
    return {
        doc: ([_where(searcher.stored_fields(d)) for d in others], count)
        for doc, (others, count) in found.items()
    }


def _ranked(searcher, parsed: ParsedQuery, match: Match, needed: int, sort: str = "relevance") -> list[int]:
    """The first `needed` documents of a match; of a partial match, most of the query first."""
    if match.levels is None:
        return rank(searcher, parsed, match.docs, needed, sort)
    return rank_by_level(searcher, parsed, match.docs, match.levels, needed, sort)


def _per_document(reader, docs: np.ndarray, ranked: list[int]) -> tuple[int, list[int]]:
    """How many documents match, and how many matches the document of each ranked hit holds."""
    resolution_codes = docsets.codes(reader, "resolution")[0]
    codes, counts = np.unique(resolution_codes[docs], return_counts=True)
    per_document = dict(zip(codes.tolist(), counts.tolist(), strict=True))
    return len(per_document), [per_document[int(resolution_codes[d])] for d in ranked]


def ranked_paragraphs(query: str | ParsedQuery, limit: int) -> list[dict]:
    """Return the first `limit` hits of a query, best first, each with its whole text and
    no snippet: what an export lists. One ranking for them all, and no facets.
    """
    parsed = _parsed(query)
    with searching() as searcher:
        match = find_matches(searcher, parsed)
        if match is None:
            return []
        ranked = _ranked(searcher, parsed, match, limit + STALE_SLACK)
        stored = [dict(searcher.stored_fields(int(d))) for d in ranked]
    return [_listed(fields) for fields in _held(stored)[:limit]]


def _where(stored: dict) -> dict:
    """Which paragraph a hit is: what every list of hits gives."""
    return {
        "symbol": stored["symbol"] or None,
        "resolution": stored["resolution"],
        "language": stored["language"],
        "anchor": stored["anchor"],
        "label": stored["label"],
    }


def _listed(stored: dict) -> dict:
    return _where(stored) | {"text": stored["text"]}  # the database's: _held keeps only those


def _held(stored: list[dict]) -> list[dict]:
    """Keep the hits whose paragraph the database holds as indexed.

    Between a commit and its indexing (about a second) the index still has the old
    paragraphs of a changed version: they are never shown.
    """
    keys = {}
    for fields in stored:
        version, _, anchor = fields["id"].partition(":")
        keys[(int(version), anchor)] = fields
    current = _stored_texts(keys)
    return [fields for key, fields in keys.items() if current.get(key) == fields["text"]]


def _stored_texts(keys) -> dict[tuple[int, str], str]:
    """The database's text of each paragraph named by (version id, anchor)."""
    rows = (
        Paragraph.objects.filter(version_id__in={v for v, _ in keys}, anchor__in={a for _, a in keys})
        .order_by()  # looked up by key: the model's ordering would only sort them
        .values_list("version_id", "anchor", "text")
    )
    return {(v, a): text for v, a, text in rows}


def matching_anchors(parsed: ParsedQuery, versions: list[tuple[str, str]]) -> list[set[str]]:
    """Return, for each (resolution key, language), the anchors the search finds for a query.

    The query runs once, whatever the number of versions (a side by side page has two).
    """
    with searching() as searcher:
        docs = matching_docs(searcher, parsed)
        if docs is None:
            return [set() for _ in versions]
        reader = searcher.reader()
        found = []
        for resolution, language in versions:
            in_version = [
                docsets.term_docs(reader, "resolution", resolution),
                docsets.term_docs(reader, "language", language),
            ]
            ids = docsets.intersect([docs, *in_version])
            found.append({searcher.stored_fields(int(d))["anchor"] for d in ids})
        return found


def facet_counts(reader, fieldname: str, docs: np.ndarray) -> dict[str, int]:
    codes, names = docsets.codes(reader, fieldname)
    if not len(docs):
        return {}
    counts = np.bincount(codes[docs], minlength=len(names) + 1)
    # Code 0 is "no value": the names are those of codes 1, 2, …
    found = ((name, int(n)) for name, n in zip(names, counts[1:], strict=True) if n and name)
    return dict(sorted(found, key=lambda item: (-item[1], item[0])))


def forget_answers() -> None:
    """Empty the caches of decoded postings and phrase answers (the benchmark's "first time")."""
    for cache in (docsets.POSTINGS, _PHRASES):
        with cache.lock:
            cache.items.clear()
            cache.used = 0


def _hit(stored: dict, parsed: ParsedQuery) -> dict:
    return _where(stored) | {
        "kind": stored["kind"],
        "title": stored["title"],
        "date": stored["adopted_on"] or None,
        "snippet": snippet(stored["text"], parsed.units),
        "in_document": stored.get("_in_document", 1),  # matches in its language version's document
        # Matching paragraphs of other documents with the same wording, shown once: here.
        "same_wording": stored.get("_same_wording", ([], 0))[0],
        "same_wording_count": stored.get("_same_wording", ([], 0))[1],
    }
