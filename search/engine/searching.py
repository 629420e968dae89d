"""Run a parsed query against the index: matching sets, exact totals and facets, a page of hits.

A paragraph whose normalised text contains a normalised unit of the query is always
found; whole-word matches rank first (`ranking`). Below those come, in tiers ranked
one after the other (`find_matches`), the paragraphs holding a Chinese query's words in
another order within a sentence, and then, when few paragraphs have every word, those
with most of them. The sets, totals and facets are
computed in numpy (`docsets`); only the page shown is loaded and highlighted.
Everything here returns data (keys, anchors, labels, escaped snippets), never URLs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from search.engine import docsets, families
from search.engine.agenda import is_facet_term, item_order
from search.engine.agenda_titles import agenda_titles
from search.engine.analysis import SENTENCE_MARK, analyze
from search.engine.highlight import snippet
from search.engine.index import searching, text_digest
from search.engine.query import LITERAL, ParsedQuery, Unit, parse_query
from search.engine.ranking import rank, rank_by_level
from search.models import Paragraph

FACETS = (
    "language",
    "body",
    "session",
    "committee",
    "year",
    "doc_type",
    "kind",
    "wording",
    "vote",
    "contested",
)
# What paragraphs ask (several values a paragraph): the entities asked, the deliverables and
# when they are due, the MANDATES_LISTED with most matches of each.
MANDATE_FACETS = ("asks", "deliverable", "due")
MANDATES_LISTED = 15
# The agenda items a facet lists (the items of a session with most matches): a session has
# about 330, and a broad search touches most of them. Counted over every match.
AGENDA_LISTED = 30
MAX_PER_PAGE = 100
STALE_SLACK = 10
# When no paragraph has every word, the paragraphs holding most of them are counted over
# at most this many word groups (the first typed): one pass over their posting lists,
# never a search over subsets of words, so the cost is bounded whatever the query.
MOST_WORDS_COUNTED = 12
# Fewer wordings than a top 10 with every word (a page shows a wording once): the
# paragraphs with most of them follow.
FEW_COMPLETE = 10
# Checking phrase positions is Python work: keep the answer for this index state
# (paging, and htmx asking again as the user types, repeat the same phrases).
_PHRASES = docsets.LRU(budget=32 * 1024 * 1024)


def any_order_docs(searcher, unit: Unit) -> np.ndarray:
    """Return the documents a unit matches literally or, for a run of Chinese, by its
    words in any order within a sentence (see `Unit.any_order`)."""
    found = unit_docs(searcher, unit)
    if not unit.any_order:
        return found
    return docsets.union([found, _any_order(searcher, unit)])


def _any_order(searcher, unit: Unit) -> np.ndarray:
    """The documents that hold a unit's words in one sentence but not the unit literally
    (cached for this index state)."""
    key = (docsets.state(searcher.reader()), "any order", unit.text)
    found = _PHRASES.get(key)
    if found is None:
        found = (_any_order_docs(searcher, unit.any_order, unit_docs(searcher, unit)), docsets.EMPTY_TF)
        _PHRASES.put(key, found)
    return found[0]


def _any_order_docs(searcher, words: list[str], literal: np.ndarray) -> np.ndarray:
    """The documents holding every word (the words field), not literally the unit, with a
    sentence that holds them all: checked on the positions of the literal field, where the
    index marks where each sentence starts (`SENTENCE_MARK`), for every candidate."""
    reader = searcher.reader()
    candidates = docsets.intersect([docsets.term_docs(reader, "content", w) for w in set(words)])
    candidates = docsets.difference(candidates, literal)
    terms = [analyze(LITERAL, w) for w in dict.fromkeys(words)]
    return docsets.same_sentence_docs(reader, terms, SENTENCE_MARK, candidates)


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
        found = (docsets.phrase_docs(searcher.reader(), fieldname, terms), docsets.EMPTY_TF)
        _PHRASES.put(key, found)
    return found[0]


@dataclass
class Tier:
    """Documents ranked together, below the tiers before them."""

    docs: np.ndarray  # sorted
    levels: np.ndarray | None = None  # most of the words: the weight of the words each holds


@dataclass
class Match:
    """The documents a query matches, in tiers ranked one after the other: every word
    literally, then (Chinese) every word in another order, then most of the words."""

    tiers: list[Tier]
    complete: int = 0  # documents that hold every word (the first tiers)

    @property
    def docs(self) -> np.ndarray:
        """Every matching document, sorted."""
        return docsets.union([t.docs for t in self.tiers])

    @property
    def partial(self) -> bool:
        """No paragraph has every word: these have most of them."""
        return not self.complete and any(len(t.docs) for t in self.tiers)


def matching_docs(searcher, parsed: ParsedQuery) -> np.ndarray | None:
    """Return every matching document, or None when the query asks for nothing."""
    match = find_matches(searcher, parsed)
    return None if match is None else match.docs


def find_matches(searcher, parsed: ParsedQuery) -> Match | None:
    """Match every word; then its Chinese words in any order; then, when fewer than
    `FEW_COMPLETE` wordings have every word (a page shows a wording once), the
    paragraphs with most of them.

    Phrases typed in quotes, symbols, filters and exclusions always hold; a symbol typed
    alone and a query of one word (or one group of ORed words) are never relaxed. None when
    the query asks for nothing.
    """
    wanted = _wanted(searcher, parsed, unit_docs)
    if wanted is None:
        return None
    unwanted = _unwanted(searcher, parsed)
    tiers = [Tier(docsets.difference(docsets.intersect(wanted), unwanted))]
    if any(u.any_order for u in parsed.units):
        loose = docsets.difference(docsets.intersect(_wanted(searcher, parsed, any_order_docs)), unwanted)
        tiers.append(Tier(docsets.difference(loose, tiers[0].docs)))
    complete = docsets.union([t.docs for t in tiers])
    counted = [g for g in parsed.groups if not any(u.exact or u.symbol for u in g)]
    if families.wordings_below(searcher.reader(), complete, FEW_COMPLETE) and _relaxed(parsed, counted):
        tiers.append(_most_words(searcher, parsed, counted, unwanted, complete))
    return Match([t for t in tiers if len(t.docs)], len(complete))


def _relaxed(parsed: ParsedQuery, counted: list[list[Unit]]) -> bool:
    """Whether most of the query's words may do (`counted`: its groups of words, not its
    phrases and symbols): not for a symbol typed alone, nor for one word (or one group of
    ORed words), unless it is a run of Chinese of several words."""
    if parsed.symbol or not counted:
        return False
    return len(parsed.groups) >= 2 or (len(counted[0]) == 1 and bool(counted[0][0].any_order))


def _most_words(
    searcher, parsed: ParsedQuery, counted: list[list[Unit]], unwanted: np.ndarray, complete: np.ndarray
) -> Tier:
    """The documents that hold most of the counted words (`_enough`), each also holding
    every phrase, symbol and filter and no exclusion; at least one word, unless a phrase
    or a symbol is there to be found. The documents of `complete`
    (every word) are left out: they rank above.

    Each document's level is the weight of the words it holds (`_counted`): "child
    marriage" holds more of a question than "General Assembly".
    """
    phrases = [docsets.union([unit_docs(searcher, u) for u in g]) for g in parsed.groups if g not in counted]
    required = phrases + [
        docsets.union([docsets.term_docs(searcher.reader(), name, v) for v in values])
        for name, values in parsed.filters.items()
    ]
    sets, weights = zip(*_counted(searcher, counted), strict=True)
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
        return Tier(docsets.EMPTY)
    ids = ids[_enough(counts, ~np.isin(ids, complete), len(counted), 0 if phrases else 1)]
    levels = np.zeros(len(ids), dtype=np.float32)
    for found, weight in zip(sets, weights, strict=True):
        levels[np.isin(ids, found, assume_unique=True)] += weight
    return Tier(ids, np.round(levels, 3))


def _enough(counts: np.ndarray, fresh: np.ndarray, words: int, least: int) -> np.ndarray:
    """Which `fresh` documents (not among those with every word) hold enough of the words:
    all but one of the most any holds; when fewer than a page do, one word fewer at a
    time, down to half the words (and `least`)."""
    floor = max(least, -(-words // 2))
    at = max(least, int(counts.max()) - 1)
    while at > floor and np.count_nonzero((counts >= at) & fresh) < FEW_COMPLETE:
        at -= 1
    return (counts >= at) & fresh


def _counted(searcher, counted: list[list[Unit]]) -> list[tuple[np.ndarray, float]]:
    """What "most of the words" counts, each with its documents and its weight: each group
    of ORed units (weighing the idf of its rarest term), but each jieba word of a run of
    Chinese typed alone (`_run_words`); at most the first MOST_WORDS_COUNTED."""
    found = []
    for group in counted:
        if len(group) == 1 and group[0].any_order:
            found += _run_words(searcher, group[0].any_order)
        else:
            docs = docsets.union([any_order_docs(searcher, u) for u in group])
            found.append((docs, _weight(searcher, group) if len(docs) else 0.0))
    return found[:MOST_WORDS_COUNTED]


def _run_words(searcher, words: list[str]) -> list[tuple[np.ndarray, float]]:
    """The documents and weight of each word of a run of Chinese (贩卖人体器官: 贩卖 and
    人体器官). The run weighs about what a group does, shared by its words as they cover
    it: each word its idf times its share of the run's characters, so the rare 贩卖 does
    not outweigh 人体器官, which says more of the query."""
    reader = searcher.reader()
    size = sum(len(w) for w in words)
    found = [(w, docsets.term_docs(reader, "content", w)) for w in dict.fromkeys(words)]
    # (idf is undefined in an empty index: a word found nowhere weighs nothing)
    return [(docs, searcher.idf("content", w) * len(w) / size if len(docs) else 0.0) for w, docs in found]


def _weight(searcher, group: list[Unit]) -> float:
    """How much a group of ORed units says: the idf of the rarest term of its likeliest unit."""
    weights = [0.0]
    for unit in group:
        if unit.field:
            fieldname, terms = unit.field
            weights.append(max(searcher.idf(fieldname, t) for t in terms))
    return max(weights)


def _wanted(searcher, parsed: ParsedQuery, docs_of) -> list[np.ndarray] | None:
    """The sets a match is in, each of them: its words' (each unit's documents as
    `docs_of` gives them) and each filter's; None when the query asks for nothing
    (filters alone narrow every document)."""
    reader = searcher.reader()
    groups = _word_groups(searcher, parsed, docs_of)
    if not groups:
        if not parsed.filters:
            return None
        groups = [docsets.live_docs(reader)]
    return groups + [
        docsets.union([docsets.term_docs(reader, name, v) for v in values])
        for name, values in parsed.filters.items()
    ]


def _word_groups(searcher, parsed: ParsedQuery, docs_of) -> list[np.ndarray]:
    """A set per group of ORed units; a symbol typed alone finds its own resolution too."""
    groups = [docsets.union([docs_of(searcher, u) for u in group]) for group in parsed.groups]
    if parsed.symbol:
        own = docsets.term_docs(searcher.reader(), "symbol_forms", parsed.symbol)
        groups = [docsets.union([own, docsets.intersect(groups)])] if groups else [own]
    return groups


def _unwanted(searcher, parsed: ParsedQuery) -> np.ndarray:
    """The documents an exclusion rules out: `-word` or `-lang:zh` (a Chinese word: where
    it occurs literally)."""
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
        "complete": 0,
        "agenda_items": {},
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
        stored = _stored(searcher, ranked)
        same = _same_wording(searcher, docs, ranked)
        facets = {name: facet_counts(reader, name, docs) for name in FACETS}
        facets["agenda"] = agenda_counts(reader, docs)
        facets |= {name: keyword_counts(reader, name, docs) for name in MANDATE_FACETS}
        typed = [*parsed.filters.get("agenda", []), *parsed.excluded_filters.get("agenda", [])]
        titles = agenda_titles(docsets.state(reader), [*facets["agenda"], *typed])
        documents, in_document = _per_document(reader, docs, ranked)
    for fields, count, doc in zip(stored, in_document, ranked, strict=True):
        fields["_in_document"] = count
        fields["_same_wording"] = same.get(doc, ([], 0))
    held = _held(stored)
    gone = len(stored) - len(held)
    total = int(len(docs)) - gone
    return (
        answer
        | {
            "partial": match.partial,
            "complete": min(match.complete, total),  # the first hits: every word; the rest most
            "total": total,
            "wordings": int(len(shown.docs)) - gone,
            "documents": documents,
            "hits": [_hit(fields, parsed) for fields in held[:per_page]],
            "facets": facets,
            # Each listed or filtered item of a session ("80/107") with its titles.
            "agenda_items": {term: {"en": t.en, "zh": t.zh} for term, t in titles.items()},
        }
    )


def _one_per_wording(reader, match: Match) -> Match:
    """The match with one paragraph of each wording family: the one a page shows. A
    family shown in a tier is not shown again in the tiers below."""
    tiers, seen = [], families.NONE_SEEN
    for number, tier in enumerate(match.tiers, 1):
        shown, seen = families.representatives(reader, tier.docs, seen, more=number < len(match.tiers))
        levels = None if tier.levels is None else tier.levels[np.searchsorted(tier.docs, shown)]
        tiers.append(Tier(shown, levels))
    return Match(tiers, match.complete)


def _same_wording(searcher, docs: np.ndarray, ranked: list[int]) -> dict[int, tuple[list[dict], int]]:
    """Each ranked hit's matching paragraphs of the same wording (where each is), and how many."""
    found = families.same_wording(searcher.reader(), docs, ranked)
    return {
        doc: ([_where(searcher.stored_fields(d)) for d in others], count)
        for doc, (others, count) in found.items()
    }


def _ranked(searcher, parsed: ParsedQuery, match: Match, needed: int, sort: str = "relevance") -> list[int]:
    """The first `needed` documents of a match, tier after tier, each tier in its own order
    (whatever the sort: the words' order and most of the words always come below)."""
    ordered: list[int] = []
    for tier in match.tiers:
        if len(ordered) >= needed:
            break
        if tier.levels is None:
            ordered += rank(searcher, parsed, tier.docs, needed - len(ordered), sort)
        else:
            ordered += rank_by_level(searcher, parsed, tier.docs, tier.levels, needed - len(ordered), sort)
    return ordered


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
        stored = _stored(searcher, ranked)
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


def _stored(searcher, ranked: list[int]) -> list[dict]:
    """The stored fields of each ranked document, with its paragraph's id (`_pid`) and the
    digest of the text it was indexed with (`_digest`)."""
    reader = searcher.reader()
    pids, digests = docsets.numbers(reader, "pid"), docsets.numbers(reader, "digest")
    return [
        fields | {"_pid": int(pids[d]), "_digest": int(digests[d])}
        for fields, d in zip(docsets.stored_fields(reader, ranked), ranked, strict=True)
    ]


def _held(stored: list[dict]) -> list[dict]:
    """Keep the hits whose paragraph the database holds as indexed, each with its text.

    Between a commit and its indexing (about a second) the index still has the old
    paragraphs of a changed version: they are never shown. Looked up by primary key; the
    text is the database's (the index keeps only its digest: the text stored again in
    every segment was two fifths of the index).
    """
    current = dict(
        Paragraph.objects.filter(pk__in={fields["_pid"] for fields in stored})
        .order_by()  # looked up by key: the model's ordering would only sort them
        .values_list("pk", "text")
    )
    held = []
    for fields in stored:
        text = current.get(fields["_pid"])
        if text is not None and text_digest(text) == fields["_digest"]:
            held.append(fields | {"text": text})
    return held


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


def agenda_counts(reader, docs: np.ndarray) -> dict[str, int]:
    """The items of a session ("80/72(a)", and "80/72" it is part of) the matches are filed
    under, with how many: the AGENDA_LISTED with most, each counted once a paragraph, ties in
    the agenda's order (ranked once for the index's state: a broad search counts hundreds)."""
    counts, names = docsets.slot_counts(reader, "agenda", is_facet_term, docs)
    if not counts.any():
        return {}
    order = docsets.per_state(reader, "order:agenda", lambda: _agenda_order(names))
    found = np.flatnonzero(counts)
    listed = found[np.lexsort((order[found], -counts[found]))][:AGENDA_LISTED]
    return {names[i]: int(counts[i]) for i in listed.tolist()}


def keyword_counts(reader, fieldname: str, docs: np.ndarray, listed: int = MANDATES_LISTED) -> dict[str, int]:
    """The values of a field of several values a paragraph (KEYWORD) the matches have, with
    how many: the `listed` with most."""
    counts, names = docsets.slot_counts(reader, fieldname, bool, docs)
    found = np.flatnonzero(counts)
    # By count, ties in the index's order of the names (a segment's are sorted): a field
    # with thousands of values is ordered by numpy, not a Python sort.
    ordered = found[np.argsort(-counts[found], kind="stable")][:listed].tolist()
    return {names[i]: int(counts[i]) for i in ordered}


def _agenda_order(names: list[str]) -> np.ndarray:
    """Each name's place in the agenda's order (`item_order`)."""
    order = np.empty(len(names), dtype=np.int64)
    order[sorted(range(len(names)), key=lambda i: item_order(names[i]))] = np.arange(len(names))
    return order


def forget_answers() -> None:
    """Empty the caches of decoded postings and phrase answers (the benchmark's "first time")."""
    for cache in (docsets.POSTINGS, docsets.JOINED, _PHRASES):
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
