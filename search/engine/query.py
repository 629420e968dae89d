"""The query language: what a user typed, read into units, filters and a symbol.

Words are ANDed; "a phrase" matches those words in order; `a OR b`; `-word`
excludes; `lang:` `kind:` `year:` `body:` `symbol:` filter. A symbol typed alone
(`71/322`, `A/RES/71/322`) puts that resolution first. Anything that does not parse
is searched as the words it contains; nothing here raises on user input.

Each unit (a word or a phrase) carries the terms it is matched by in each field, so
the search (`searching`) and the highlighter (`highlight`) read it the same way.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from search.engine.analysis import QUOTES, analyze, is_cjk, literal_analyzer, word_analyzer
from search.parsing import session_number, typed_symbol

MAX_QUERY = 500  # characters of a query that are read; the rest is ignored

FILTERS = {
    "lang": "language",
    "kind": "kind",
    "year": "year",
    "body": "body",
    "symbol": "symbol_forms",
    "session": "session",
    "committee": "committee",
    "type": "doc_type",
    "wording": "wording",  # wording:new, wording:agreed
}


# "year:2019..2023", "year:2019-2023", "year:2019..", "year:..2000"
YEAR_RANGE = re.compile(r"(\d{4})?(?:\.\.|-|–)(\d{4})?")
FIRST_YEAR, LAST_YEAR = 1946, 2100  # the General Assembly's first session; far enough ahead


def filter_value(name: str, value: str) -> str:
    """Write a filter's value as the index holds it: body:ga → GA, committee:c3 → C3,
    session:78th → 78, type:Draft_Resolution → draft_resolution."""
    if name == "body" or (name == "committee" and re.fullmatch(r"c[1-6]", value, re.I)):
        return value.upper()
    if name == "session":
        return session_number(value) or value.lower()
    return value.lower()


TOKEN = re.compile(r'(?P<neg>-)?(?:(?P<field>[a-z]+):)?(?:"(?P<phrase>[^"]*)"|(?P<word>\S+))', re.I)

WORDS = word_analyzer()
LITERAL = literal_analyzer()


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

    @property
    def field(self) -> tuple[str, list[str]] | None:
        """Return the field and the terms, in order, that this unit is matched by.

        A unit with Chinese matches its literal characters: a jieba word is always a
        literal substring too, so the literal field holds every whole-word match. Any
        other unit matches its (stemmed) words, which hold its unstemmed matches.
        """
        if self.has_cjk and self.literal:
            return "literal", self.literal
        if self.words:
            return "content", self.words
        return None


@dataclass
class ParsedQuery:
    groups: list[list[Unit]] = field(default_factory=list)  # ANDed groups of ORed units
    excluded: list[Unit] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    excluded_filters: dict[str, list[str]] = field(default_factory=dict)
    symbol: str | None = None  # a symbol typed alone
    unknown_filters: list[str] = field(default_factory=list)  # "type" of "type:resolution"

    @property
    def units(self) -> list[Unit]:
        return [u for group in self.groups for u in group]

    @property
    def asks_for_something(self) -> bool:
        """False for an empty query or one of exclusions only: it finds nothing."""
        return bool(self.groups or self.symbol or self.filters)


def _unit(text: str) -> Unit | None:
    unit = Unit(text, analyze(WORDS, text), analyze(LITERAL, text))
    unit.symbol = typed_symbol(text)
    return unit if unit.words or unit.literal else None


def parse_query(q: str) -> ParsedQuery:
    """Read the query language; what does not parse is kept as words."""
    q = unicodedata.normalize("NFKC", q[:MAX_QUERY]).translate(QUOTES).strip()
    parsed = ParsedQuery()
    parsed.symbol = typed_symbol(q)
    pending_or = False
    for m in TOKEN.finditer(q):
        neg, name, phrase, word = m.group("neg", "field", "phrase", "word")
        value = phrase if phrase is not None else word
        if name and name.lower() in FILTERS and value:
            _add_filter(parsed.excluded_filters if neg else parsed.filters, name.lower(), value)
            continue
        if name:  # not one of ours: "foo:bar" is searched as its words, and said so
            if name.lower() not in parsed.unknown_filters:
                parsed.unknown_filters.append(name.lower())
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


def _add_filter(target: dict[str, list[str]], name: str, value: str) -> None:
    """Add a filter's value to `target` (a year range: each of its years)."""
    values = target.setdefault(FILTERS[name], [])
    span = YEAR_RANGE.fullmatch(value) if name == "year" else None
    if span and (span.group(1) or span.group(2)):
        # "year:2019..2023" (or 2019-2023): any year of the range, both ends included.
        first, last = int(span.group(1) or FIRST_YEAR), int(span.group(2) or LAST_YEAR)
        # Within the years there are resolutions: "year:9999..0000" is no 10,000 lookups.
        low, high = max(min(first, last), FIRST_YEAR), min(max(first, last), LAST_YEAR)
        values += [str(y) for y in range(low, high + 1)] or ["none"]
    else:
        values.append(filter_value(name, value))
