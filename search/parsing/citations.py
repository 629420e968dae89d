"""What a paragraph cites: the documents it names, where it names them.

"resolution 74/175" is A/RES/74/175, "resolutions 63/210 … and 67/263" both,
"decision 77/548" A/DEC/77/548, "Human Rights Council resolution 32/3" A/HRC/RES/32/3,
"Economic and Social Council resolution 2013/41" (or any year's number) E/RES/2013/41;
in Chinese the word follows the number ("第74/175号决议", "第77/548号决定") and a list
cites each of its numbers ("第71/322号和2018年12月17日第73/189号决议"). Whole symbols
("A/80/537", "E/RES/2013/41") cite themselves. A number with no such word ("a 2/3
majority") and another body's numbering ("Commission on Crime Prevention and Criminal
Justice resolution 27/2", "预防犯罪和刑事司法委员会第27/2号决议") cite nothing.

Stored text is anyone's upload, so the time taken is linear in its length whatever it
holds: each pattern below matches a bounded run or is possessive (nothing to backtrack
into), the text is read once from left to right for the words before a number and once
from right to left for the Chinese lists, and what a look back needs is a fixed window.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .symbols import BODIES, BODY_BY_NAME, CITED_SYMBOL, SERIES, SHORT_NAMES, numbered_by_year


class Cited(NamedTuple):
    """A citation: the characters of the paragraph's text that name a document, and its symbol."""

    start: int
    end: int
    symbol: str


# (ASCII classes: a Chinese character is a word character, and "第71/322号" cites.)
# A whole symbol is symbols.CITED_SYMBOL.
NUMBER = re.compile(r"(?<![A-Za-z0-9/.])\d{1,4}/\d{1,4}(?![A-Za-z0-9/])")

# English: the last "resolution(s)" or "decision(s)" before a number, in the same clause.
KIND = re.compile(r"\b(?:resolutions?|decisions?)\b", re.I)
CLAUSE_END = re.compile(r"[.;:()]")
# Whose resolution the word is, read in the LOOK_BACK characters before it (which hold
# all these can match): a body named right before it ("General Assembly resolution",
# "Human Rights Council decision"); another body, with no symbol of this form
# ("Commission on Crime Prevention and Criminal Justice resolution 27/2": no number,
# date or citation in between); "its (previous) resolutions", the Assembly's own unless
# a body was named just before.
# Otherwise the body named last before it in the sentence ("the resolutions and
# decisions of the Human Rights Council, the most recent of which being resolutions …").
LOOK_BACK = 100
# The bodies whose numbers have symbols of their own, by name.
NAMED = ("GA", "HRC", "ECOSOC")
NAMED_BEFORE = re.compile(rf"\b({'|'.join(BODIES[body][0] for body in NAMED)})\s$")
OTHER_BODY = re.compile(
    r"\b(?:Commission|Conference|Board|(?<!Human Rights )(?<!Economic and Social )Council|Committee"
    r"|Organization|(?<!General )Assembly)\b[^,;.0-9]{0,60}\s$"
)
ITS = re.compile(r"\bits\s+(?:[a-z]+\s+){0,2}$")
ITS_REACH = 30  # "the Human Rights Council, in its resolution 27/21": the Council's
BODY = re.compile("|".join(BODIES[body][0] for body in NAMED))
SENTENCE_END = re.compile(r"[.;:]")

# Chinese: "第71/322号决议", "第60/1A和B号决议"; each number of a list reaches the word through
# "号" followed by 和、及、至 or 以及 and at most LIST_GAP characters to the next "号"
# ("第71/322号和2018年12月17日第73/189号决议"), never across 。；，.
ZH_NUMBER_END = re.compile(r"\s*+(?:[A-Z](?:\s*+[和、至]\s*+[A-Z])*+)?+\s*+号")
ZH_KIND = re.compile(r"\s*+(决议|决定)")
ZH_AND = re.compile(r"\s*+(?:[和、及至]|以及)")
ZH_LIST_END = re.compile(r"[。；，]")
LIST_GAP = 40
# "预防犯罪和刑事司法委员会第27/2号决议": another body's numbering (the Councils with
# symbols of their own excepted), right before the number; or the body named last before
# the number in its sentence ("……委员会关于……的2014年5月16日第23/2号决议").
ZH_OTHER_BODY = re.compile(r"(?<!人权|社会)(?:委员会|理事会|会议)\s*+第?\s*+$")
ZH_BODY = re.compile("|".join([BODIES[body][1] for body in NAMED] + list(SHORT_NAMES) + ["委员会", "理事会"]))
ZH_OTHER_BODIES = ("委员会", "理事会")  # the Councils with symbols are matched whole first
ZH_SENTENCE_END = re.compile(r"[。；]")
# The symbols' first part for each body's resolutions and decisions; the Assembly's "A".
SERIES_BY_NAME = {name: SERIES[body] for name, body in BODY_BY_NAME.items() if body in ("HRC", "ECOSOC")}


def find_citations(text: str) -> list[Cited]:
    """Every citation of the text, in order: whole symbols and resolution or decision numbers."""
    symbols = [_symbol(m) for m in CITED_SYMBOL.finditer(text)]
    numbers = _Numbers(text)
    cited = list(symbols)
    for match in NUMBER.finditer(text):
        symbol = numbers.symbol(match)
        if symbol:
            cited.append(Cited(match.start(), match.end(), symbol))
    # A number never starts inside a symbol (the look-behind), so the two never overlap.
    return sorted(cited)


def _symbol(match: re.Match) -> Cited:
    symbol = match.group(0).rstrip("./")
    return Cited(match.start(), match.start() + len(symbol), symbol)


class _Last:
    """The last of a pattern's matches that end before a position, the positions asked
    in increasing order: one pass over the text for all the numbers of a paragraph."""

    def __init__(self, pattern: re.Pattern, text: str):
        self._matches = pattern.finditer(text)
        self._next = next(self._matches, None)
        self.last: re.Match | None = None

    def before(self, position: int) -> re.Match | None:
        while self._next is not None and self._next.end() <= position:
            self.last = self._next
            self._next = next(self._matches, None)
        return self.last


class _Numbers:
    """Reads what each number of a text cites, the numbers asked in order."""

    def __init__(self, text: str):
        self.text = text
        self.kinds = _Last(KIND, text)
        self.clause_ends = _Last(CLAUSE_END, text)
        self.bodies = _Last(BODY, text)
        self.sentence_ends = _Last(SENTENCE_END, text)
        self.zh_bodies = _Last(ZH_BODY, text)
        self.zh_sentence_ends = _Last(ZH_SENTENCE_END, text)
        self.zh_kinds = _zh_list_kinds(text) if "号" in text else {}
        self.whose: tuple[re.Match | None, str | None] = (None, None)  # the last word's body

    def symbol(self, match: re.Match) -> str | None:
        """ "74/175" after "resolution(s)" is A/RES/74/175, after "decision(s)" A/DEC/74/175;
        in Chinese the word follows ("第74/175号决议"). A number with neither cites nothing."""
        body, resolution = self._zh_word(match) or self._word_before(match.start())
        if body is None:
            return None
        number = match.group(0)
        return f"{_series(body, number)}/{'RES' if resolution else 'DEC'}/{number}"

    def _zh_word(self, match: re.Match) -> tuple[str | None, bool] | None:
        """Whose and which (a resolution?) the Chinese word after the number says; None
        where no 决议 or 决定 follows."""
        zh = ZH_NUMBER_END.match(self.text, match.end())
        zh_kind = self.zh_kinds.get(zh.end() - 1) if zh else None
        return (self._zh_body(match.start()), zh_kind == "决议") if zh_kind else None

    def _word_before(self, start: int) -> tuple[str | None, bool]:
        """Whose and which (a resolution?) the English word before the number says."""
        kind = _unbroken(self.kinds.before(start), self.clause_ends.before(start))
        if kind is None:
            return None, False
        return self._body(kind), kind.group(0).lower().startswith("resolution")

    def _body(self, kind: re.Match) -> str | None:
        """Whose resolutions or decisions the word names: a body's name, "" for the
        Assembly's own, None for another body's numbering."""
        if self.whose[0] is not kind:  # read once for all the numbers of a list
            self.whose = (kind, self._read_body(kind))
        return self.whose[1]

    def _read_body(self, kind: re.Match) -> str | None:
        at = kind.start()
        window = (self.text, max(0, at - LOOK_BACK), at)
        named = NAMED_BEFORE.search(*window)
        if named:
            return named.group(1)
        if OTHER_BODY.search(*window):
            return None
        return self._named_last(at, ITS.search(*window))

    def _named_last(self, at: int, its: re.Match | None) -> str:
        """The body named last before `at` in its sentence; "" for the Assembly's own, and
        for "its resolutions" farther than ITS_REACH from that body's name."""
        # The words asked only move forward, so the body readers do too.
        body = _unbroken(self.bodies.before(at), self.sentence_ends.before(at))
        if body is None or (its and its.start() - body.end() > ITS_REACH):
            return ""
        return body.group(0)

    def _zh_body(self, start: int) -> str | None:
        named = _unbroken(self.zh_bodies.before(start), self.zh_sentence_ends.before(start))
        if named and named.group(0) in ZH_OTHER_BODIES:
            return None
        if ZH_OTHER_BODY.search(self.text, max(0, start - LOOK_BACK), start):
            return None
        return named.group(0) if named else ""


def _series(body: str, number: str) -> str:
    """Return the first part of the symbols of a body's resolutions and decisions."""
    return SERIES_BY_NAME.get(body) or (SERIES["ECOSOC"] if numbered_by_year(number) else SERIES["GA"])


def _unbroken(named: re.Match | None, boundary: re.Match | None) -> re.Match | None:
    """`named` if no boundary came after it."""
    if named is None or (boundary is not None and boundary.start() >= named.end()):
        return None
    return named


def _zh_list_kinds(text: str) -> dict[int, str]:
    """For each "号" of the text from which a Chinese list reaches 决议 or 决定, that word.

    A "号" followed by the word ends the list; one followed by 和、及、至 or 以及 reaches
    the "号"s of the next LIST_GAP characters (not past 。；，) and takes the word of the
    nearest of them that goes on (that one reaches all the farther ones too); any other
    "号" ends nothing. Read from right to left, so each "号" is settled once.
    """
    reach = _ListReach(text)
    kinds: dict[int, str] = {}
    nearest = None  # the last "号" read (the nearest to the right) that ends a list or goes on
    for at in reversed([m.start() for m in re.finditer("号", text)]):
        word = ZH_KIND.match(text, at + 1)
        if word:
            kinds[at], nearest = word.group(1), at
            continue
        joined = ZH_AND.match(text, at + 1)
        if not joined:
            continue
        limit = reach.limit(joined.end())
        # (Between this "号" and the gap there are only spaces and 和: no "号".)
        if nearest is not None and nearest <= limit and nearest in kinds:
            kinds[at] = kinds[nearest]
        nearest = at
    return kinds


class _ListReach:
    """How far a Chinese list reaches from a gap: LIST_GAP characters, not past 。；，.
    The gaps are asked from right to left, so one pass over the stops serves them all."""

    def __init__(self, text: str):
        self._stops = [m.start() for m in ZH_LIST_END.finditer(text)]
        self._next = len(self._stops)  # the nearest stop at or after the last gap asked
        self._end = len(text)

    def limit(self, gap_start: int) -> int:
        while self._next > 0 and self._stops[self._next - 1] >= gap_start:
            self._next -= 1
        stop = self._stops[self._next] - 1 if self._next < len(self._stops) else self._end
        return min(gap_start + LIST_GAP, stop)
