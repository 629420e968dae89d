"""The query language, run against the index, with highlighted snippets and facets.

Words are ANDed; "a phrase" matches those words in order; `a OR b`; `-word`
excludes; `lang:` `kind:` `year:` `body:` `symbol:` filter. A symbol typed alone
(`71/322`, `A/RES/71/322`) puts that resolution first. Anything that does not parse
is searched as the words it contains; nothing here raises on user input.

Every text unit (a word or a phrase) matches its words in the stemmed/jieba field,
ranked higher, or, when it has Chinese, its literal character sequence in the bigram
field: a paragraph whose normalised text contains the normalised unit is always found.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from html import escape

from whoosh import sorting
from whoosh.query import And, Every, Or, Phrase, Term

from search.analysis import (
    QUOTES,
    analyze,
    is_cjk,
    literal_analyzer,
    normalize,
    word_analyzer,
)
from search.documents import LANGUAGES, official_url
from search.index import get_searcher

MAX_QUERY = 500
SNIPPET = 200  # characters shown around the matches when a paragraph is longer
BEFORE = 40  # characters of context before the first match

FILTERS = {
    "lang": "language", "kind": "kind", "year": "year", "body": "body", "symbol": "symbol_forms",
}
FACETS = ("language", "body", "year", "doc_type", "kind")
TOKEN = re.compile(r'(?P<neg>-)?(?:(?P<field>[a-z]+):)?(?:"(?P<phrase>[^"]*)"|(?P<word>\S+))', re.I)
# 71/322, A/RES/71/322, E/RES/2013/41, and the Chinese citation 第71/322号决议.
SYMBOL = re.compile(
    r"^(?:第\s*)?(?P<symbol>(?:[a-z][a-z0-9.]*/)*\d+/\d+)(?:\s*号(?:决议)?)?$", re.I
)

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

    def query(self):
        parts = []
        if self.words:
            parts.append(_sequence("content", self.words, boost=2.0))
        if self.has_cjk and self.literal:
            parts.append(_sequence("literal", self.literal))
        if self.symbol:
            # The resolution itself never cites its own symbol: match it by its symbol too.
            parts.append(Term("symbol_forms", self.symbol))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else Or(parts)


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


def _sequence(fieldname, terms, boost=1.0):
    if len(terms) == 1:
        return Term(fieldname, terms[0], boost=boost)
    return Phrase(fieldname, terms, boost=boost)


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


def build_query(parsed: ParsedQuery):
    """Return (query, filter, mask) for Whoosh, or (None, None, None) for nothing to find."""
    clauses = []
    for group in parsed.groups:
        alternatives = [q for q in (u.query() for u in group) if q is not None]
        if alternatives:
            clauses.append(alternatives[0] if len(alternatives) == 1 else Or(alternatives))
    main = And(clauses) if len(clauses) > 1 else (clauses[0] if clauses else None)
    if parsed.symbol:
        # search_paragraphs sorts the resolution's own paragraphs first.
        own = Term("symbol_forms", parsed.symbol)
        main = Or([own, main]) if main is not None else own
    if main is None:
        main = Every() if parsed.filters else None
    if main is None:
        return None, None, None
    filters = [
        Or([Term(name, v) for v in values]) for name, values in parsed.filters.items()
    ]
    excluded = [q for q in (u.query() for u in parsed.excluded) if q is not None]
    excluded += [Term(name, v) for name, values in parsed.excluded_filters.items() for v in values]
    return (
        main,
        And(filters) if filters else None,
        Or(excluded) if excluded else None,
    )


def search_paragraphs(q: str, page: int = 1, per_page: int = 20) -> dict:
    """Search paragraphs; return total, hits of this page and facet counts."""
    per_page = max(1, min(per_page, 100))
    page = max(1, page)
    empty = {"query": q, "total": 0, "page": page, "per_page": per_page, "hits": [], "facets": {}}
    parsed = parse_query(q or "")
    main, filter_q, mask = build_query(parsed)
    if main is None:
        return empty
    searcher = get_searcher()
    facets = {name: sorting.FieldFacet(name, maptype=sorting.Count) for name in FACETS}
    sortedby = None
    if parsed.symbol:
        # The resolution typed first, in document order; then the paragraphs citing it.
        own = sorting.QueryFacet({"0": Term("symbol_forms", parsed.symbol)}, other="1")
        sortedby = [own, sorting.ScoreFacet(), sorting.FieldFacet("order")]
    results = searcher.search(
        main, limit=page * per_page, filter=filter_q, mask=mask, groupedby=facets,
        sortedby=sortedby, terms=False,
    )
    total = len(results)
    start = (page - 1) * per_page
    stop = min(start + per_page, results.scored_length())
    hits = [_hit(results[i], parsed) for i in range(start, stop)]
    return {
        "query": q,
        "total": total,
        "page": page,
        "per_page": per_page,
        "hits": hits,
        "facets": {
            name: dict(sorted(((k, n) for k, n in results.groups(name).items() if k), key=_count))
            for name in FACETS
        },
    }


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
