"""The one highlighter: a parsed query and a text in, escaped text with <mark> out.

It decides what matches exactly as the search does: it reads each unit of the query
through the field the search uses (`Unit.field`) and requires what a phrase query of
that field requires, the unit's terms at consecutive positions. Where a cheaper
reading gives the same answer it takes it (stemmed words without segmenting the
Chinese around them; a run of Chinese as a substring), and tests hold the two
readings equal on the corpus. So English
words match whole, with the same inflections folded ("traffickers" marks
"trafficking", "organ" never marks "Organization"); Chinese matches its literal
characters; a phrase is marked only where its words stand together. A snippet and a
whole paragraph differ only in the window.
"""

from __future__ import annotations

import re
from collections import Counter
from html import escape

from search.engine.analysis import (
    CJK_RUN,
    SENTENCE_END,
    TEXT_RUN,
    WORD_CHAR,
    Normalized,
    is_cjk,
    normalize,
    stem_word,
)
from search.engine.query import LITERAL, Unit

# Where a sentence ends, for the words of a Chinese query matched in any order: 。 and
# ; ! ? anywhere (the full-width ；！？ are these once normalised), and a full stop
# followed by a space or the end of the text (so 1.5 and A.B are not cut).

SNIPPET = 200  # characters shown around the matches when a paragraph is longer
BEFORE = 40  # characters of context before the first match


def match_spans(text: str, units: list[Unit]) -> list[tuple[int, int]]:
    """Return the merged spans of `text` that the query's units match, in order."""
    cache: dict = {}
    return _merged(sorted(span for unit in units for span in _unit_matches(text, unit, cache)))


def _unit_matches(text: str, unit: Unit, cache: dict) -> list[tuple[int, int]]:
    """Where one unit matches, read through the field the search matches it in."""
    field = unit.field
    if field is None:
        return []
    fieldname, terms = field
    if fieldname == "content":
        return _word_matches(text, terms, cache)
    if CJK_RUN.fullmatch(needle := normalize(unit.text).text):
        found = _literal_matches(text, needle, cache)
    else:  # Chinese mixed with other words: the literal field's own positions.
        found = _positional_matches(text, terms, cache)
    return found or _words_matches(text, unit.any_order, cache)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge sorted spans that overlap or touch."""
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _word_matches(text: str, terms: list[str], cache: dict) -> list[tuple[int, int]]:
    """Where the unit's stemmed words stand side by side, as a phrase of the words field.

    Only the words that may stem to the first term are read, and the words after them:
    the cost follows the matches, not the length of the paragraph.
    """
    norm = _normalized(text, cache)
    found = []
    for start, end in _words_stemming_to(norm.text, terms[0]):
        for term in terms[1:]:
            # The next word of the words field: a run of Chinese between breaks the phrase.
            following = TEXT_RUN.search(norm.text, end)
            if following is None or following.lastgroup == "cjk" or stem_word(following.group()) != term:
                break
            end = following.end()
        else:
            found.append(norm.span(start, end))
    return found


def _words_stemming_to(text: str, term: str):
    """The spans of the words of normalised `text` whose term in the words field is `term`.

    A stem is the word with an ending taken off, its last letter sometimes changed
    ("countries", "country"): every word of the term begins with the term less its last
    character, so only where that occurs is a word read and stemmed.
    """
    prefix = term[: max(1, len(term) - 1)]
    at = text.find(prefix)
    while at >= 0:
        if at == 0 or not WORD_CHAR.match(text, at - 1):  # a word begins here
            word = TEXT_RUN.match(text, at)
            if word.lastgroup == "word" and stem_word(word.group()) == term:
                yield word.span()
        at = text.find(prefix, at + 1)


def _literal_matches(text: str, needle: str, cache: dict) -> list[tuple[int, int]]:
    """Where a run of Chinese occurs in the normalised text, overlapping occurrences too.

    For a unit of Chinese characters only this is what a phrase of its n-grams in the
    literal field matches: the characters in that order within a run of Chinese.
    """
    norm = _normalized(text, cache)
    return [
        norm.span(m.start(), m.start() + len(needle))
        for m in re.finditer(f"(?={re.escape(needle)})", norm.text)
    ]


def _normalized(text: str, cache: dict) -> Normalized:
    """The text normalised, once for all the units marked in it."""
    if "norm" not in cache:
        cache["norm"] = normalize(text)
    return cache["norm"]


def _words_matches(text: str, words: list[str], cache: dict) -> list[tuple[int, int]]:
    """Where a run of Chinese that does not occur literally matches by its words: in the
    sentences that hold them all, or else (the paragraph holds most of the query's words)
    wherever each stands. Ranked after the literal matches, so marked only where there is none."""
    norm = _normalized(text, cache)
    spans = _sentence_spans(norm, words)
    if spans or not words:
        return spans
    return [norm.span(s, s + len(w)) for w in words for s in _occurrences(norm.text, w, 0, len(norm.text))]


def any_order_spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Return where `words` (normalised) stand in `text`, in order, in the sentences that hold each of them.

    Empty when no sentence holds them all: `searching` reads it so to decide that a
    paragraph matches a Chinese query's words in any order. A word is found as a
    substring of the normalised sentence (the search has checked that the paragraph
    holds it as a jieba word).
    """
    return _sentence_spans(normalize(text), words) if words else []


def _sentence_spans(norm: Normalized, words: list[str]) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for end in [m.end() for m in SENTENCE_END.finditer(norm.text)] + [len(norm.text)]:
        found = [_occurrences(norm.text, word, start, end) for word in words]
        if all(found):
            spans += [norm.span(s, s + len(word)) for word, at in zip(words, found, strict=True) for s in at]
        start = end
    return sorted(spans)


def _occurrences(text: str, word: str, start: int, end: int) -> list[int]:
    """Where `word` begins in text[start:end], occurrences not overlapping."""
    found = []
    at = text.find(word, start, end)
    while at >= 0:
        found.append(at)
        at = text.find(word, at + len(word), end)
    return found


def _positional_matches(text: str, terms: list[str], cache: dict) -> list[tuple[int, int]]:
    """Where the terms stand at consecutive positions of the literal field, as the index has them."""
    at = _literal_positions(text, cache)
    return [span for pos in at if (span := _phrase_at(at, pos, terms)) is not None]


def _literal_positions(text: str, cache: dict) -> dict[int, dict[str, tuple[int, int]]]:
    """Each position of the literal field: its terms and the span of text each stands for."""
    if "literal" not in cache:
        at: dict[int, dict[str, tuple[int, int]]] = {}
        for token in LITERAL(text, positions=True, chars=True, mode="index"):
            at.setdefault(token.pos, {}).setdefault(token.text, (token.startchar, token.endchar))
        cache["literal"] = at
    return cache["literal"]


def _phrase_at(at: dict, pos: int, terms: list[str]) -> tuple[int, int] | None:
    """The span of the terms standing at consecutive positions from `pos`; None if they do not."""
    spans = []
    for k, term in enumerate(terms):
        span = at.get(pos + k, {}).get(term)
        if span is None:
            return None
        spans.append(span)
    return min(s for s, _ in spans), max(e for _, e in spans)


def highlight(text: str, units: list[Unit], window: int | None = None) -> str:
    """Return `text` escaped, its matches in <mark>; cut to `window` characters if given.

    The window is placed to show the most different matched words, starting a little
    before the first of them; "…" says where text was left out.
    """
    spans = match_spans(text, units)
    start, end = 0, len(text)
    if window is not None and len(text) > window:
        start, end = _window(text, spans, window)
    before = "…" if start > 0 else ""
    after = "…" if end < len(text) else ""
    return before + _marked(text, spans, start, end) + after


def _window(text: str, spans: list[tuple[int, int]], window: int) -> tuple[int, int]:
    """Where a window of `window` characters showing the most different matched words begins and ends."""
    start = max(0, _best_window(text, spans, window) - BEFORE)
    end = min(len(text), start + window)
    start = max(0, min(start, end - window))
    return _whole_words(text, start, end, spans)


def _marked(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    """Return text[start:end] escaped, the parts of it the spans cover in <mark>."""
    out = []
    pos = start
    for s, e in spans:
        s, e = max(s, start), min(e, end)
        if s >= e:
            continue
        out.append(escape(text[pos:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(escape(text[pos:end]))
    return "".join(out)


def _inside_word(text: str, at: int) -> bool:
    """True where a cut at `at` would split a word of letters or digits (Chinese never)."""
    if not 0 < at < len(text):
        return False
    before, after = text[at - 1], text[at]
    return before.isalnum() and after.isalnum() and not (is_cjk(before) or is_cjk(after))


def _whole_words(text: str, start: int, end: int, spans) -> tuple[int, int]:
    """Move a window's ends out of the words they cut, never dropping a match."""
    shown = [(s, e) for s, e in spans if e > start and s < end]
    first = min((s for s, _ in shown), default=end)
    last = max((e for _, e in shown), default=start)
    return _start_outside_word(text, start, first), _end_outside_word(text, end, last)


def _start_outside_word(text: str, start: int, first: int) -> int:
    """Move a window's start past the word it cuts and the spaces after, up to `first`."""
    while _inside_word(text, start) and start < first:
        start += 1
    while start < first and text[start].isspace():
        start += 1
    return start


def _end_outside_word(text: str, end: int, last: int) -> int:
    """Move a window's end back before the word it cuts and the spaces before, down to `last`."""
    while _inside_word(text, end) and end > last:
        end -= 1
    while end > last and text[end - 1].isspace():
        end -= 1
    return end


def snippet(text: str, units: list[Unit]) -> str:
    """Return the part of a paragraph shown in a hit, matches marked."""
    return highlight(text, units, window=SNIPPET)


def _best_window(text: str, spans: list[tuple[int, int]], window: int) -> int:
    """Return where the window showing the most different matched words begins.

    The window slides from match to match: each match enters once and leaves once.
    """
    words = [normalize(text[s:e]).text for s, e in spans]
    shown: Counter[str] = Counter()
    best, best_start, end = -1, 0, 0
    for i, (s, _) in enumerate(spans):
        end = max(end, i)
        while end < len(spans) and spans[end][1] <= s + window - BEFORE:
            shown[words[end]] += 1
            end += 1
        if len(shown) > best:
            best, best_start = len(shown), s
        if end > i:  # the match at i leaves the window
            shown[words[i]] -= 1
            if not shown[words[i]]:
                del shown[words[i]]
    return best_start
