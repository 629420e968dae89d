"""Text normalisation and tokenisation, the same at index time and at query time.

`normalize` folds the forms a reader treats as the same text (full-width digits,
traditional characters, case, curly quotes, the spaces PDF extraction puts between
Chinese characters and digits) and keeps, for every normalised character, where it
came from, so highlights land on the original text.

Two Whoosh analyzers are built from it through Whoosh's Tokenizer and Filter classes:

- `word_analyzer()`: Chinese words from jieba (search mode when indexing, accurate
  mode for queries) and English words, Porter-stemmed; nothing is dropped, so the
  `A` and `1` of `A/RES/70/1` stay searchable.
- `literal_analyzer()`: every Chinese character and every pair of adjacent ones, plus
  whole unstemmed words. A phrase of these finds any literal substring, whatever
  jieba makes of it.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import tempfile
import threading
import unicodedata
from dataclasses import dataclass

import opencc
from whoosh.analysis import Filter, Token, Tokenizer

QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"'})

# Han ideographs (with extension A and compatibility forms) and the iteration mark 〇.
_CJK = r"\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN = re.compile(f"[{_CJK}]+")
TEXT_RUN = re.compile(f"(?P<cjk>[{_CJK}]+)|(?P<word>[^\\W_{_CJK}]+)")
WORD_CHAR = re.compile(f"[^\\W_{_CJK}]")  # a character of a word that is not Chinese


def is_cjk(char: str) -> bool:
    return bool(CJK_RUN.match(char))


@dataclass(frozen=True)
class Normalized:
    """Normalised text and, per character, the span of the original it came from.

    `starts`/`ends` are None when the mapping is the identity (the common case:
    nothing changed length and no space was dropped), which saves building them.
    """

    text: str
    starts: tuple[int, ...] | None = None
    ends: tuple[int, ...] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the normalised text back to the original text."""
        if self.starts is None:
            return (start, start) if start >= end else (start, end)
        if start >= end:
            return self._point(start)
        return self.starts[start], self.ends[end - 1]

    def _point(self, at: int) -> tuple[int, int]:
        """The empty span of the original where the normalised text's position `at` is."""
        if at < len(self.starts):
            return self.starts[at], self.starts[at]
        end_of_text = self.ends[-1] if self.ends else 0
        return end_of_text, end_of_text


@functools.cache
def _t2s():
    return opencc.OpenCC("t2s")


def _to_simplified(text: str) -> str:
    # Character-level conversion keeps the length; if a phrase rule ever changes it,
    # convert character by character so every offset stays valid.
    converted = _t2s().convert(text)
    if len(converted) == len(text):
        return converted
    out = []
    for char in text:
        c = _t2s().convert(char)
        out.append(c if len(c) == 1 else char)
    return "".join(out)


# Whitespace between Chinese characters, or between one and a digit: "2030 年" and
# "2030年" are the same text, the space is an artefact of the PDF.
_DROPPED_SPACE = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}0-9])|(?<=[0-9])\\s+(?=[{_CJK}])")


def normalize(text: str) -> Normalized:
    """Normalise text for matching, keeping where each character came from."""
    return _normalize(text)


# Indexing analyses each paragraph for two fields: the second call is free.
@functools.lru_cache(maxsize=16)
def _normalize(text: str) -> Normalized:
    folded, starts, ends = _fold(text)
    folded = _to_simplified(folded).translate(QUOTES)
    drops = [m.span() for m in _DROPPED_SPACE.finditer(folded)]
    if not drops and starts is None:
        return Normalized(folded)
    if starts is None:
        starts = list(range(len(folded)))
        ends = list(range(1, len(folded) + 1))
    return _without(folded, starts, ends, drops)


def _fold(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    """NFKC and case folding; when that changes the length, where each folded character
    came from (its start and end in text), else None for both: the identity mapping."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if len(folded) == len(text):
        return folded, None, None
    chars: list[str] = []
    starts, ends = [], []
    for i, char in enumerate(text):
        for c in unicodedata.normalize("NFKC", char).casefold():
            chars.append(c)
            starts.append(i)
            ends.append(i + 1)
    return "".join(chars), starts, ends


def _without(folded: str, starts: list[int], ends: list[int], drops: list[tuple[int, int]]) -> Normalized:
    """The folded text without the spans dropped, each character with its span of the original."""
    keep = [True] * len(folded)
    for s, e in drops:
        for i in range(s, e):
            keep[i] = False
    kept = [i for i, k in enumerate(keep) if k]
    return Normalized(
        "".join(folded[i] for i in kept),
        tuple(starts[i] for i in kept),
        tuple(ends[i] for i in kept),
    )


# --- jieba ------------------------------------------------------------------

_jieba_lock = threading.Lock()
_jieba = None


def jieba_tokenizer():
    """Return jieba's tokenizer, loading its dictionary once per process."""
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import jieba  # not jieba.analyse: it loads tables we never use

                jieba.setLogLevel(logging.WARNING)
                cache_dir = os.environ.get("JIEBA_CACHE_DIR") or tempfile.gettempdir()
                os.makedirs(cache_dir, exist_ok=True)
                jieba.dt.tmp_dir = cache_dir
                jieba.dt.initialize()
                _jieba = jieba.dt
    return _jieba


def jieba_words(run: str, search: bool) -> list[tuple[str, int, int, int]]:
    """Segment a run of Chinese text: (word, start, end, word index).

    Offsets come from `jieba.tokenize`. In search mode the dictionary words inside a
    long word (人道主义 inside 国际人道主义法) are added at the long word's position,
    as jieba's own search mode does (up to four characters, where jieba stops at
    three), so phrase positions stay those of accurate mode.
    """
    dt = jieba_tokenizer()
    out = []
    for index, (word, start, end) in enumerate(dt.tokenize(run)):
        width = len(word)
        if search:
            for size in (2, 3, 4):
                if width > size:
                    for i in range(width - size + 1):
                        gram = word[i : i + size]
                        if dt.FREQ.get(gram):
                            out.append((gram, start + i, start + i + size, index))
        out.append((word, start, end, index))
    return out


# --- Whoosh tokenizers and filters ------------------------------------------


class _Emitter:
    """Fill Whoosh's one reused Token with a term whose span is in normalised text."""

    def __init__(self, norm, positions, chars, keeporiginal, removestops, start_char, mode, kw):
        self.norm, self.positions, self.chars = norm, positions, chars
        self.keeporiginal, self.start_char = keeporiginal, start_char
        self.token = Token(positions, chars, removestops=removestops, mode=mode, **kw)

    def __call__(self, text: str, pos: int, start: int, end: int) -> Token:
        t = self.token
        t.text = text
        t.boost = 1.0
        t.stopped = False
        if self.keeporiginal:
            t.original = text
        if self.positions:
            t.pos = pos
        if self.chars:
            s, e = self.norm.span(start, end)
            t.startchar = self.start_char + s
            t.endchar = self.start_char + e
        return t


class _NormalizingTokenizer(Tokenizer):
    """Whoosh's tokenizer interface over normalised text; `tokens` says what to emit."""

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        norm = normalize(value)
        emit = _Emitter(norm, positions, chars, keeporiginal, removestops, start_char, mode, kwargs)
        return self.tokens(norm.text, emit, start_pos, mode)

    def tokens(self, text: str, emit: _Emitter, pos: int, mode: str):
        raise NotImplementedError


class WordTokenizer(_NormalizingTokenizer):
    """Chinese words via jieba, other words as runs of letters and digits."""

    def tokens(self, text, emit, pos, mode):
        for m in TEXT_RUN.finditer(text):
            if not m.group("cjk"):
                yield emit(m.group(), pos, m.start(), m.end())
                pos += 1
                continue
            base = m.start()
            last = None
            for word, s, e, index in jieba_words(m.group(), search=(mode != "query")):
                if last is not None and index != last:
                    pos += 1
                last = index
                yield emit(word, pos, base + s, base + e)
            pos += 1


GRAM = 2  # the longest character n-gram indexed
# Where a sentence ends in normalised text (the ideographic full stop, ；！？ folded to
# ;!?, a full stop before a space or the end).
SENTENCE_END = re.compile(r"[。;!?]|\.(?=\s|$)")
# Indexed in the literal field at the first position of each sentence: a term no query
# makes (a query's terms are letters, digits and Chinese), so the positions of a word's
# occurrences say which sentence each is in (docsets.same_sentence_docs).
SENTENCE_MARK = "\x01"


class LiteralTokenizer(_NormalizingTokenizer):
    """Chinese characters and pairs of adjacent ones, and whole unstemmed words.

    Every Chinese character takes one position and carries the n-grams it starts
    (within its run of Chinese text): itself and itself with the next. A query of one
    or two Chinese characters is one term; a longer one (会员国, 贩运人口) is a phrase of
    the pairs at each position, checked in numpy on the positions the mapped postings
    hold (docsets.phrase_docs: a millisecond or two where Whoosh's phrase matcher took
    a hundred, which is why longer n-grams were once indexed: they doubled the index
    and its build). At query time (mode="query") the terms are produced so that they
    stand at the positions the index gives them: a phrase of them matches exactly the
    texts that contain the query, punctuation aside.
    """

    def tokens(self, text, emit, pos, mode):
        runs = list(TEXT_RUN.finditer(text))
        after = -1  # where the text after the last run starts; -1 before the first
        for n, m in enumerate(runs):
            base, run = m.start(), m.group()
            # A run that starts a sentence carries the sentence mark (indexed text only).
            # The search ends past the run's first character, so that the full stop's
            # look-ahead sees what follows it, never the end of the gap.
            if mode != "query" and (after < 0 or SENTENCE_END.search(text, after, base + 1)):
                yield emit(SENTENCE_MARK, pos, base, base)
            after = m.end()
            if not m.group("cjk"):
                yield emit(run, pos, base, m.end())
                pos += 1
            elif mode == "query":
                pos = yield from self.queried_grams(m, emit, pos, last_run=n + 1 == len(runs))
            else:
                # Indexed: every n-gram each character starts (inline, not a generator of its
                # own: every index write runs this loop).
                size = len(run)
                for i in range(size):
                    for width in range(1, min(GRAM, size - i) + 1):
                        yield emit(run[i : i + width], pos, base + i, base + i + width)
                    pos += 1

    def queried_grams(self, m: re.Match, emit: _Emitter, pos: int, last_run: bool):
        """Emit the longest n-gram at each character of a run of Chinese, as the index has
        it there (the query's last run stops at the one that reaches its end); return the
        position after them."""
        base, run = m.start(), m.group()
        size = len(run)
        for i in range(size):
            if last_run and i and i + GRAM > size:
                break  # the n-gram before already reaches the end of the query
            width = min(GRAM, size - i)
            yield emit(run[i : i + width], pos, base + i, base + i + width)
            pos += 1
        return pos


_VOWEL = re.compile("[aeiouy]")


@functools.lru_cache(maxsize=50_000)
def stem_word(word: str) -> str:
    """Fold English inflections, not derivations.

    Plurals, -ing, -ed, -er and a final -e go, so "trafficking", "traffickers" and
    "trafficked" meet; unlike Porter, "Organization" does not become "organ", which in
    resolutions on organ trafficking that cite the World Health Organization matters.
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    w = _without_ending(_singular(word))
    return w[:-1] if len(w) > 4 and w.endswith("e") else w


def _singular(w: str) -> str:
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "shes", "ches", "xes", "zes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


# The endings that go, each with the shortest stem (holding a vowel) it leaves.
ENDINGS = (("ing", 3), ("ed", 3), ("er", 5))


def _without_ending(w: str) -> str:
    for suffix, shortest in ENDINGS:
        if w.endswith(suffix):
            stem = w[: -len(suffix)]
            return _undoubled(stem) if len(stem) >= shortest and _VOWEL.search(stem) else w
    return w


def _undoubled(stem: str) -> str:
    """A stem without the consonant an ending doubled: "committ" (committed) -> "commit"."""
    return stem[:-1] if len(stem) >= 5 and stem[-1] == stem[-2] and stem[-1] not in "lsz" else stem


class EnglishStemFilter(Filter):
    """Stem words that are not Chinese; keep every token, however short."""

    def __call__(self, tokens):
        for t in tokens:
            if not is_cjk(t.text[0]) and not t.text.isdigit():
                t.text = stem_word(t.text)
            yield t


def word_analyzer():
    return WordTokenizer() | EnglishStemFilter()


def literal_analyzer():
    return LiteralTokenizer()


def analyze(analyzer, text: str, mode: str = "query") -> list[str]:
    """Return the terms an analyzer makes of text, in order."""
    return [t.text for t in analyzer(text, mode=mode)]
