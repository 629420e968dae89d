"""The query language: what a user typed, read into units, filters and a symbol.

Words are ANDed; "a phrase" matches those words in order; `a OR b`; `-word`
excludes; `lang:` `kind:` `year:` `body:` `symbol:` filter. A symbol typed alone
(`71/322`, `A/RES/71/322`) puts that resolution first. Anything that does not parse
is searched as the words it contains; nothing here raises on user input.

Each unit (a word or a phrase) carries the terms it is matched by in each field, so
the search (`searching`) and the highlighter (`highlight`) read it the same way.
The parsed query also keeps each `name:value` as typed and where it stands: the pages'
chips, facets and suggestions read those, never the typed text again.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from search.engine.analysis import QUOTES, analyze, is_cjk, literal_analyzer, word_analyzer
from search.parsing import MAIN_COMMITTEES, session_number, typed_symbol

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
FILTER_NAMES = {field: name for name, field in FILTERS.items()}  # "language" → "lang"


# "year:2019..2023", "year:2019-2023", "year:2019..", "year:..2000"
YEAR_RANGE = re.compile(r"(\d{4})?(?:\.\.|-|–)(\d{4})?")
FIRST_YEAR, LAST_YEAR = 1946, 2100  # the General Assembly's first session; far enough ahead


def filter_value(name: str, value: str) -> str:
    """Write a filter's value as the index holds it: body:ga → GA, committee:c3 → C3,
    session:78th → 78, type:Draft_Resolution → draft_resolution."""
    if name == "body" or (name == "committee" and value.upper() in MAIN_COMMITTEES):
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


@dataclass(frozen=True)
class TypedFilter:
    """A `name:value` of the query as it was typed, whether or not `name` is a filter."""

    name: str  # lowercased: "lang"
    value: str  # as read, without the quotes of a "phrase": "zh", "2019..2023"
    excluded: bool  # typed "-lang:zh"
    field: str | None  # the index field it narrows ("language"); None when it narrows nothing
    span: tuple[int, int]  # where it stands in `ParsedQuery.text`

    @property
    def is_year_range(self) -> bool:
        return self.field == "year" and YEAR_RANGE.fullmatch(self.value) is not None


@dataclass
class ParsedQuery:
    typed: str = ""  # the query as given: what links that keep the query carry
    text: str = ""  # the query as read (normalised, cut to MAX_QUERY): what the spans point into
    groups: list[list[Unit]] = field(default_factory=list)  # ANDed groups of ORed units
    excluded: list[Unit] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)  # index field → values as indexed
    excluded_filters: dict[str, list[str]] = field(default_factory=dict)
    typed_filters: list[TypedFilter] = field(default_factory=list)  # in the order typed
    symbol: str | None = None  # a symbol typed alone
    unknown_filters: list[str] = field(default_factory=list)  # "type" of "type:resolution"

    @property
    def units(self) -> list[Unit]:
        return [u for group in self.groups for u in group]

    @property
    def asks_for_something(self) -> bool:
        """False for an empty query or one of exclusions only: it finds nothing."""
        return bool(self.groups or self.symbol or self.filters)

    def without(self, typed: TypedFilter) -> str:
        """Return the text with this filter left out, its spaces collapsed."""
        start, end = typed.span
        return re.sub(r"\s+", " ", (self.text[:start] + " " + self.text[end:]).strip())

    @property
    def without_filters(self) -> str:
        """The text with every `name:value` left out, ours or not (each with the space before it)."""
        text = self.text
        for typed in reversed(self.typed_filters):
            start, end = typed.span
            if start and text[start - 1].isspace():  # the space before it goes with it
                start -= 1
            text = text[:start] + " " + text[end:]
        return text.strip()

    def narrows_by(self, name: str, value: str) -> bool:
        """True if the query has the filter `name:value` as typed (case aside), not excluded."""
        wanted = (name.lower(), value.lower())
        return any((f.name, f.value.lower()) == wanted and not f.excluded for f in self.typed_filters)


def _unit(text: str) -> Unit | None:
    unit = Unit(text, analyze(WORDS, text), analyze(LITERAL, text))
    unit.symbol = typed_symbol(text)
    return unit if unit.words or unit.literal else None


def parse_query(q: str) -> ParsedQuery:
    """Read the query language; what does not parse is kept as words."""
    text = unicodedata.normalize("NFKC", q[:MAX_QUERY]).translate(QUOTES).strip()
    parsed = ParsedQuery(typed=q, text=text)
    parsed.symbol = typed_symbol(text)
    pending_or = False  # an OR waits for the unit it joins to the group before
    for token in TOKEN.finditer(text):
        pending_or = _read_token(parsed, token, pending_or)
    return parsed


def _read_token(parsed: ParsedQuery, token: re.Match, pending_or: bool) -> bool:
    """Add what one token says to `parsed`; return whether an OR waits for the next unit."""
    neg, name, phrase, word = token.group("neg", "field", "phrase", "word")
    value = phrase if phrase is not None else word
    if name:
        if _read_filter(parsed, token, value):
            return pending_or
        value = f"{name}:{value}"  # not one of ours: "foo:bar" is searched as its words
    elif word == "OR" and not neg:
        return bool(parsed.groups)
    unit = _unit(value)
    if unit is None:
        return pending_or
    _add_unit(parsed, unit, bool(neg), pending_or)
    return False


def _add_unit(parsed: ParsedQuery, unit: Unit, excluded: bool, ored: bool) -> None:
    """Put a unit where it belongs: excluded, ORed with the group before, or a group of its own."""
    if excluded:
        parsed.excluded.append(unit)
    elif ored:
        parsed.groups[-1].append(unit)
    else:
        parsed.groups.append([unit])


def _read_filter(parsed: ParsedQuery, token: re.Match, value: str) -> bool:
    """Add a `name:value` token to `parsed`; return whether it is one of our filters."""
    name = token.group("field").lower()
    narrows = name in FILTERS and bool(value)
    excluded = token.group("neg") is not None
    typed = TypedFilter(name, value, excluded, FILTERS[name] if narrows else None, token.span())
    parsed.typed_filters.append(typed)
    if narrows:
        values = (parsed.excluded_filters if excluded else parsed.filters).setdefault(typed.field, [])
        values += _indexed_values(typed)
    elif name not in parsed.unknown_filters:  # searched as its words, and said so
        parsed.unknown_filters.append(name)
    return narrows


def _indexed_values(typed: TypedFilter) -> list[str]:
    """The values a filter matches, as the index holds them (a year range: each of its years)."""
    span = YEAR_RANGE.fullmatch(typed.value) if typed.field == "year" else None
    if span and (span.group(1) or span.group(2)):
        return _years(span.group(1), span.group(2))
    return [filter_value(typed.name, typed.value)]


def _years(first: str | None, last: str | None) -> list[str]:
    """Each year of "year:2019..2023" (or 2019-2023), both ends included; an open end is
    the first or last year there can be."""
    low, high = int(first or FIRST_YEAR), int(last or LAST_YEAR)
    # Within the years there are resolutions: "year:9999..0000" is no 10,000 lookups.
    low, high = max(min(low, high), FIRST_YEAR), min(max(low, high), LAST_YEAR)
    return [str(y) for y in range(low, high + 1)] or ["none"]
