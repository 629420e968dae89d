"""The query language, run against the index, with highlighted snippets and facets.

Words are ANDed; "a phrase" matches those words in order; `a OR b`; `-word`
excludes; `lang:` `kind:` `year:` `body:` `symbol:` filter. A symbol typed alone
(`71/322`, `A/RES/71/322`) puts that resolution first. Anything that does not parse
is searched as the words it contains; nothing here raises on user input.

A text unit (a word or a phrase) with Chinese matches its literal characters (the
n-gram field), which hold every whole-word match too; any other unit matches its
stemmed words. A paragraph whose normalised text contains the normalised unit is
always found; whole-word matches rank first. The sets, totals, facets and ranking are
computed in numpy (`search.engine.docsets`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from html import escape

import numpy as np
from whoosh.query import Phrase

from search.engine import docsets
from search.engine.analysis import (
    QUOTES,
    analyze,
    is_cjk,
    literal_analyzer,
    normalize,
    word_analyzer,
)
from search.engine.index import get_searcher
from search.parsing import LANGUAGES, official_url

MAX_QUERY = 500
SNIPPET = 200  # characters shown around the matches when a paragraph is longer
BEFORE = 40  # characters of context before the first match

FILTERS = {
    "lang": "language",
    "kind": "kind",
    "year": "year",
    "body": "body",
    "symbol": "symbol_forms",
}
FACETS = ("language", "body", "year", "doc_type", "kind")
TOKEN = re.compile(r'(?P<neg>-)?(?:(?P<field>[a-z]+):)?(?:"(?P<phrase>[^"]*)"|(?P<word>\S+))', re.I)
# 71/322, A/RES/71/322, E/RES/2013/41, and the Chinese citation 第71/322号决议.
SYMBOL = re.compile(r"^(?:第\s*)?(?P<symbol>(?:[a-z][a-z0-9.]*/)*\d+/\d+)(?:\s*号(?:决议)?)?$", re.I)

_WORDS = word_analyzer()
_LITERAL = literal_analyzer()


@dataclass
class Unit:
    """A word or phrase the user typed, with the terms each field matches it by."""

    text: str
    words: list[str]
    literal: list[str]
    symbol: str | None = None  # "71/322" typed among other words

    @property
    def has_cjk(self) -> bool:
        return any(is_cjk(c) for c in self.text)


@dataclass
class ParsedQuery:
    groups: list[list[Unit]] = field(default_factory=list)  # ANDed groups of ORed units
    excluded: list[Unit] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    excluded_filters: dict[str, list[str]] = field(default_factory=dict)
    symbol: str | None = None  # a symbol typed alone

    @property
    def units(self) -> list[Unit]:
        return [u for group in self.groups for u in group]


def _unit(text: str) -> Unit | None:
    unit = Unit(text, analyze(_WORDS, text), analyze(_LITERAL, text))
    if m := SYMBOL.match(text):
        unit.symbol = m.group("symbol").lower()
    return unit if unit.words or unit.literal else None


def parse_query(q: str) -> ParsedQuery:
    """Read the query language; what does not parse is kept as words."""
    q = unicodedata.normalize("NFKC", q[:MAX_QUERY]).translate(QUOTES).strip()
    parsed = ParsedQuery()
    if m := SYMBOL.match(q):
        parsed.symbol = m.group("symbol").lower()
    pending_or = False
    for m in TOKEN.finditer(q):
        neg, name, phrase, word = m.group("neg", "field", "phrase", "word")
        value = phrase if phrase is not None else word
        if name and name.lower() in FILTERS and value:
            target = parsed.excluded_filters if neg else parsed.filters
            target.setdefault(FILTERS[name.lower()], []).append(
                value.upper() if name.lower() == "body" else value.lower()
            )
            continue
        if name:  # not one of ours: "foo:bar" is searched as its words
            value = f"{name}:{value}"
        if word == "OR" and not neg and not name:
            pending_or = bool(parsed.groups)
            continue
        unit = _unit(value)
        if unit is None:
            continue
        if neg:
            parsed.excluded.append(unit)
        elif pending_or:
            parsed.groups[-1].append(unit)
        else:
            parsed.groups.append([unit])
        pending_or = False
    return parsed


def unit_docs(searcher, unit: Unit) -> np.ndarray:
    """Return the documents a word or phrase matches.

    A Chinese unit matches its literal characters: a jieba word is always a literal
    substring too, so the literal set holds every whole-word match. Any other unit
    matches its (stemmed) words, which hold its unstemmed literal matches.
    """
    reader = searcher.reader()
    if unit.has_cjk and unit.literal:
        found = _sequence_docs(searcher, "literal", unit.literal)
    elif unit.words:
        found = _sequence_docs(searcher, "content", unit.words)
    else:
        found = docsets.EMPTY
    if unit.symbol:
        found = docsets.union([found, docsets.term_docs(reader, "symbol_forms", unit.symbol)])
    return found


def _sequence_docs(searcher, fieldname: str, terms: list[str]) -> np.ndarray:
    if len(terms) == 1:
        return docsets.term_docs(searcher.reader(), fieldname, terms[0])
    # Checking phrase positions is Python work: keep the answer for this index state
    # (paging, and htmx asking again as the user types, repeat the same phrases).
    key = (docsets.state(searcher.reader()), fieldname, tuple(terms))
    found = _PHRASES.get(key)
    if found is None:
        found = _phrase_docs(searcher, fieldname, terms)
        _PHRASES.put(key, (found, docsets.EMPTY_TF))
    else:
        found = found[0]
    return found


_PHRASES = docsets.LRU(budget=32 * 1024 * 1024)


def _phrase_docs(searcher, fieldname: str, terms: list[str]) -> np.ndarray:
    # Only documents holding every term can hold the phrase: check positions there.
    candidates = docsets.intersect([docsets.term_docs(searcher.reader(), fieldname, t) for t in set(terms)])
    if not len(candidates):
        return candidates
    return docsets.intersect([candidates, docsets.query_docs(searcher, Phrase(fieldname, terms))])


def matching_docs(searcher, parsed: ParsedQuery) -> np.ndarray | None:
    """Return every matching document, or None when the query asks for nothing."""
    reader = searcher.reader()
    groups = [docsets.union([unit_docs(searcher, u) for u in group]) for group in parsed.groups]
    if parsed.symbol:
        own = docsets.term_docs(reader, "symbol_forms", parsed.symbol)
        groups = [docsets.union([own, docsets.intersect(groups)])] if groups else [own]
    if not groups:
        if not parsed.filters:
            return None
        groups = [docsets.live_docs(reader)]
    for name, values in parsed.filters.items():
        groups.append(docsets.union([docsets.term_docs(reader, name, v) for v in values]))
    docs = docsets.intersect(groups)
    excluded = [unit_docs(searcher, u) for u in parsed.excluded]
    excluded += [
        docsets.term_docs(reader, name, v) for name, values in parsed.excluded_filters.items() for v in values
    ]
    return docsets.difference(docs, docsets.union(excluded))


def search_paragraphs(q: str, page: int = 1, per_page: int = 20) -> dict:
    """Search paragraphs; return the exact total, hits of this page and facet counts."""
    per_page = max(1, min(per_page, 100))
    page = max(1, page)
    empty = {"query": q, "total": 0, "page": page, "per_page": per_page, "hits": [], "facets": {}}
    parsed = parse_query(q or "")
    searcher = get_searcher()
    docs = matching_docs(searcher, parsed)
    if docs is None:
        return empty
    start = (page - 1) * per_page
    ranked = rank(searcher, parsed, docs, start + per_page)[start:]
    hits = [_hit(searcher.stored_fields(int(d)), parsed) for d in ranked]
    reader = searcher.reader()
    return {
        "query": q,
        "total": int(len(docs)),
        "page": page,
        "per_page": per_page,
        "hits": hits,
        "facets": {name: facet_counts(reader, name, docs) for name in FACETS},
    }


def facet_counts(reader, fieldname: str, docs: np.ndarray) -> dict[str, int]:
    codes, names = docsets.codes(reader, fieldname)
    if not len(docs):
        return {}
    counts = np.bincount(codes[docs], minlength=len(names) + 1)
    found = ((names[i - 1], int(n)) for i, n in enumerate(counts) if i and n and names[i - 1])
    return dict(sorted(found, key=_count))


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
    best, scored = docsets.bm25_top(searcher, "content", words, rest, want)
    ordered += best.tolist()
    if len(ordered) < needed:
        literal_only = docsets.difference(rest, np.sort(scored))
        ordered += literal_only[: needed - len(ordered)].tolist()
    return ordered[:needed]


def _count(item):
    return -item[1], item[0]


def _hit(hit, parsed: ParsedQuery) -> dict:
    symbol = hit["symbol"] or None
    language = hit["language"]
    return {
        "symbol": symbol,
        "resolution": hit["resolution"],
        "language": language,
        "anchor": hit["anchor"],
        "label": hit["label"],
        "kind": hit["kind"],
        "title": hit["title"],
        "date": hit["adopted_on"] or None,
        "snippet": snippet(hit["text"], parsed.units),
        "url": f"/r/{hit['resolution']}/#{hit['anchor']}",
        "source_url": official_url(symbol, language) if language in LANGUAGES else None,
    }


# --- highlighting -----------------------------------------------------------


def match_spans(text: str, units: list[Unit]) -> list[tuple[int, int]]:
    """Return the merged spans of the original text that match the query's units."""
    norm = normalize(text)
    spans = []
    sequences = {tuple(u.words) for u in units if not u.has_cjk and u.words}
    if sequences:
        # A unit is marked where all its words stand in order, so "trafficking in
        # persons" does not mark every "in", nor A/RES/74/176 every "a".
        tokens = [(t.text, t.startchar, t.endchar) for t in _WORDS(text, chars=True, mode="query")]
        for sequence in sequences:
            n = len(sequence)
            for i in range(len(tokens) - n + 1):
                if all(tokens[i + k][0] == sequence[k] for k in range(n)):
                    spans.append((tokens[i][1], tokens[i + n - 1][2]))
    for unit in units:
        if not unit.has_cjk:
            continue
        needle = normalize(unit.text).text.strip()
        if not needle:
            continue
        for m in re.finditer(re.escape(needle), norm.text):
            spans.append(norm.span(m.start(), m.end()))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def snippet(text: str, units: list[Unit]) -> str:
    """Return escaped text around the matches, with only our own <mark> as markup."""
    spans = match_spans(text, units)
    start, end = 0, len(text)
    if len(text) > SNIPPET:
        start = max(0, _best_window(text, spans) - BEFORE)
        end = min(len(text), start + SNIPPET)
        start = max(0, min(start, end - SNIPPET))
    out = ["…" if start > 0 else ""]
    pos = start
    for s, e in spans:
        s, e = max(s, start), min(e, end)
        if s >= e:
            continue
        out.append(escape(text[pos:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(escape(text[pos:end]))
    if end < len(text):
        out.append("…")
    return "".join(out)


def _best_window(text: str, spans: list[tuple[int, int]]) -> int:
    """Return where the window showing the most different matched words begins."""
    best, best_start = -1, 0
    for i, (s, _) in enumerate(spans):
        seen = set()
        for s2, e2 in spans[i:]:
            if e2 > s + SNIPPET - BEFORE:
                break
            seen.add(normalize(text[s2:e2]).text)
        if len(seen) > best:
            best, best_start = len(seen), s
    return best_start
