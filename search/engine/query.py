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

from search.engine.agenda import filter_term
from search.engine.analysis import (
    CJK_RUN,
    QUOTES,
    analyze,
    is_cjk,
    jieba_words,
    literal_analyzer,
    normalize,
    word_analyzer,
)
from search.engine.state_names import state_keys
from search.parsing import MAIN_COMMITTEES, MandateContext, normalise_addressee, session_number, typed_symbol

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
    # From the proceedings: vote:recorded, vote:none; contested:yes; sponsor:Japan, sponsor:日本
    "vote": "vote",
    "contested": "contested",
    "sponsor": "sponsor",
    # agenda:107 (item 107 and its sub-items, any session), agenda:80/72(a) (the 80th session's)
    "agenda": "agenda",
    # What a paragraph asks (search.parsing.read_mandates): asks:secretary-general,
    # asks:UNODC, asks:秘书长; deliverable:report; due:81 (the General Assembly's 81st
    # session), due:hrc-62, due:2030, due:annually
    "asks": "asks",
    "deliverable": "deliverable",
    "due": "due",
}
FILTER_NAMES = {field: name for name, field in FILTERS.items()}  # "language" → "lang"


# "year:2019..2023", "year:2019-2023", "year:2019..", "year:..2000"
YEAR_RANGE = re.compile(r"(\d{4})?(?:\.\.|-|–)(\d{4})?")
FIRST_YEAR, LAST_YEAR = 1946, 2100  # the General Assembly's first session; far enough ahead


def filter_value(name: str, value: str) -> str:
    """Write a filter's value as the index holds it: body:ga → GA, committee:c3 → C3,
    session:78th → 78, type:Draft_Resolution → draft_resolution, agenda:"72 (A)" → 72(a)."""
    if name == "body" or (name == "committee" and value.upper() in MAIN_COMMITTEES):
        return value.upper()
    if name == "session":
        return session_number(value) or value.lower()
    if name == "agenda":
        return filter_term(value)
    if name == "asks":
        return normalise_addressee(value.strip('"'), MandateContext(states=state_keys())).lower()
    if name == "deliverable":
        value = value.strip('"').lower()
        return DELIVERABLE_WORDS.get(value, value)
    if name == "due":
        return due_term(value.strip('"'))
    return value.lower()


# What a user may type for a deliverable: the singular, the first word.
DELIVERABLE_WORDS = {
    "reports": "report",
    "oral": "oral-update",
    "update": "oral-update",
    "agenda": "agenda-item",
    "item": "agenda-item",
    "meetings": "meeting",
    "studies": "study",
    "recommendation": "recommendations",
}
DUE_SESSION = re.compile(r"(?:(?P<body>[a-z]+)[-\s]?)?(?P<n>\d{1,4})(?:st|nd|rd|th)?", re.I)


def due_term(value: str) -> str:
    """A due date as the index writes it: "81", "81st" → 81 (the General Assembly's
    session); "HRC 62", "hrc-62" → hrc-62; "GA 81" → 81; "2030"; "annually"."""
    value = value.strip().lower()
    match = DUE_SESSION.fullmatch(value)
    if not match:
        return value
    body, number = match["body"], str(int(match["n"]))
    return number if body in (None, "ga") else f"{body}-{number}"


# Words that carry no meaning in a question, so they are never required: question
# words, articles, auxiliaries, the commonest prepositions and conjunctions, and the
# verbs that frame a question ("what does the Assembly say about…", "which resolutions
# mention…"). Kept small on purpose: a word that carries meaning in a UN paragraph stays
# required — "against", "not", "no", "all", "without", "shall", "States". Compared with
# the word as typed (lowercased), never with its stem.
STOP_WORDS = frozenset(
    {
        *("a", "an", "the", "of", "to", "in", "on", "for", "and", "with", "by", "from", "at", "about"),
        *("how", "what", "which", "who", "whom", "when", "where", "why"),
        *("do", "does", "did", "is", "are", "was", "were", "be", "can", "could", "should", "would"),
        *("say", "says", "said", "mention", "mentions", "it", "its", "their", "that", "any"),
    }
)
# A reported question names its speaker before the verb that frames it ("what does the
# General Assembly say about…", "which resolutions mention…"): the resolutions are the
# speaker of every answer, so the words before such a verb are not required either
# (when words follow it). Typed lowercased, as STOP_WORDS.
REPORTING_VERBS = frozenset({"say", "says", "said", "mention", "mentions", "mentioned"})
# The same in Chinese, compared with jieba's words at the ends of a run of Chinese (so
# 目的 is never cut at 的); the question marks are cut too.
ZH_STOP_WORDS = frozenset(
    {
        *("什么", "如何", "怎样", "怎么", "哪些", "哪个", "是否", "是", "为什么", "请问"),
        *("吗", "呢", "吧", "关于", "有关", "的", "了", "和", "与", "及"),
    }
)

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
    exact: bool = False  # typed in quotes (or as `name:value`): never left out of a match
    stop: bool = False  # a word that carries no meaning in a question ("the", "how", 如何)

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

    @property
    def any_order(self) -> list[str]:
        """The jieba words this unit also matches in any order within a sentence, or none.

        Only a bare word (not in quotes, not a `name:value`) whose words are all Chinese,
        two or more: `人口贩运` also finds 贩运人口 (`searching`).
        """
        if self.exact or len(set(self.words)) < 2 or not all(is_cjk(w[0]) for w in self.words):
            return []
        return self.words


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
    ignored: list[Unit] = field(default_factory=list)  # stop words left out of `groups`
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


def _unit(text: str, exact: bool = False) -> Unit | None:
    unit = Unit(text, analyze(WORDS, text), analyze(LITERAL, text), exact=exact)
    unit.symbol = typed_symbol(text)
    unit.stop = not exact and bool(unit.literal) and all(t in STOP_WORDS for t in unit.literal)
    return unit if unit.words or unit.literal else None


def _pieces(text: str) -> list[tuple[str, bool]]:
    """Cut the Chinese stop words off the ends of a typed word: (piece, whether it is one).

    如何保护人口贩运受害者？ → 如何 (stop), 保护人口贩运受害者, ？ (stop). Only at the
    ends: inside, the run stays whole, so a query that occurs literally is still found
    and marked as it stands (到2025年终止一切形式的使用童工 keeps its 的). jieba's
    accurate mode says where the words are, on the normalised text (如何 in either
    script); the pieces are cut from the typed text.
    """
    norm = normalize(text)
    words = [(m.span(), True) for m in re.finditer(r"[?？]+", norm.text)]
    for run in CJK_RUN.finditer(norm.text):
        for word, start, end, _ in jieba_words(run.group(), search=False):
            words.append(((run.start() + start, run.start() + end), word in ZH_STOP_WORDS))
    words.sort()
    first, last, start, end = 0, len(words), 0, len(norm.text)
    while first < last and words[first][1] and not norm.text[start : words[first][0][0]].strip():
        start = words[first][0][1]
        first += 1
    while last > first and words[last - 1][1] and not norm.text[words[last - 1][0][1] : end].strip():
        end = words[last - 1][0][0]
        last -= 1
    if start >= end:  # nothing but stop words: the query keeps them
        return [(text, True)]
    cut = [norm.span(s, e) for s, e in ((0, start), (start, end), (end, len(norm.text)))]
    pieces = [(text[cut[0][0] : cut[0][1]] if start else "", True), (text[cut[1][0] : cut[1][1]], False)]
    pieces.append((text[cut[2][0] :] if end < len(norm.text) else "", True))
    return [(piece, stop) for piece, stop in pieces if piece.strip()]


def _typed_units(value: str, exact: bool) -> list[Unit]:
    """The units of one typed word or phrase: a bare word with Chinese is cut at its stop words."""
    if exact or not any(is_cjk(c) for c in value):
        unit = _unit(value, exact)
        return [unit] if unit else []
    units = []
    for piece, stop in _pieces(value):
        unit = _unit(piece)
        if unit:
            unit.stop = unit.stop or stop
            units.append(unit)
    return units


def is_stop_word(text: str) -> bool:
    """True for a typed word that carries no meaning in a question: "the", "How?", 如何, ？."""
    return all(unit.stop for unit in _typed_units(text, exact=False))


def _leave_out_speaker(parsed: ParsedQuery) -> None:
    """Mark as stop words the speaker of a reported question: the words before its first
    reporting verb ("say", "mention"), when meaningful words follow that verb."""
    for at, group in enumerate(parsed.groups):
        if len(group) == 1 and not group[0].exact and group[0].text.lower() in REPORTING_VERBS:
            if any(not u.stop for g in parsed.groups[at + 1 :] for u in g):
                for unit in (u for g in parsed.groups[:at] for u in g if not u.exact and not u.symbol):
                    unit.stop = True
            return


def _leave_out_stop_words(parsed: ParsedQuery) -> None:
    """Require no group made only of stop words, unless the query has nothing else."""
    meaningful = [g for g in parsed.groups if not all(u.stop for u in g)]
    if meaningful and len(meaningful) < len(parsed.groups):
        parsed.ignored = [u for g in parsed.groups if all(u.stop for u in g) for u in g]
        parsed.groups = meaningful


def parse_query(q: str) -> ParsedQuery:
    """Read the query language; what does not parse is kept as words."""
    text = unicodedata.normalize("NFKC", q[:MAX_QUERY]).translate(QUOTES).strip()
    parsed = ParsedQuery(typed=q, text=text)
    parsed.symbol = typed_symbol(text)
    pending_or = False  # an OR waits for the unit it joins to the group before
    for token in TOKEN.finditer(text):
        pending_or = _read_token(parsed, token, pending_or)
    _leave_out_speaker(parsed)
    _leave_out_stop_words(parsed)
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
    # A phrase, and a `name:value` meant as a filter, are never left out of a match.
    units = _typed_units(value, exact=phrase is not None or name is not None)
    if not units:
        return pending_or
    for unit in units:  # a word cut at its Chinese stop words: the first piece takes the OR
        _add_unit(parsed, unit, bool(neg), pending_or)
        pending_or = False
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
