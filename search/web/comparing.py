"""Two versions of a text side by side, paragraph by paragraph: a draft and the resolution
it became, or a resolution and its successor. Paragraphs are paired by their wording, not
their numbers (a renumbered paragraph is the same paragraph), and the changes inside a
paragraph are marked word by word (character by character in Chinese).

A comparison does a fixed budget of work whatever the two documents (issue 18: two
unrelated resolutions took 26 s of CPU, comparing every deleted paragraph with every
added one). A paragraph is measured in full (difflib's ratio) against at most CANDIDATES
paragraphs of the other text: those sharing the most word pairs with it, found through
an index of the other text's word pairs. Every search difflib makes is charged to the
comparison's Work before it runs; once STEPS are spent, or for a pair longer than
PAIR_TOKENS, paragraphs are paired by their shared word pairs alone and shown changed
without their words marked, and the page says so. The result is a function of the two
stored versions: `cached_compare` keeps it, keyed by what identifies their paragraphs.
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import accumulate

from django.db.models import Count, Max
from django.utils.safestring import mark_safe

from search.engine.wording import diff_tokens, plain, shingles, words
from search.models import Paragraph, Text
from search.web.caching import remember

SAME, CHANGED, ADDED, DELETED, MOVED = "same", "changed", "added", "deleted", "moved"
# Two paragraphs this alike (share of their words in common) are one paragraph changed.
ALIKE = 0.5
# The budget. On the corpus, no comparison of two of its documents needs more than
# 2.1 M steps (0.22 s), and no paragraph has more than 962 tokens.
CANDIDATES = 5  # full ratios a paragraph, at most
POSTINGS = 5_000  # entries of the other text's word-pair index read for a paragraph, at most
STEPS = 6_000_000  # difflib's steps for a comparison (about 0.5 s of CPU), at most
PAIR_TOKENS = 4_000  # tokens of two paragraphs measured or marked word by word, at most
# Two paragraphs that share fewer of their word pairs than this (twice the pairs in
# common over those of both) are not alike, whatever their ratio: unrelated English
# paragraphs reach a ratio of 0.5 on the spaces and punctuation between their words
# alone ("Takes note of the report of the Secretary-General;" and "Also reaffirms rule
# 153 of its rules of procedure;"), and measuring them was most of the 26 s that two
# unrelated resolutions took. bench/compare_pairing.py lists what the rule changes.
SHARED_PAIRS = 0.15
# Fewer paragraphs alike than this share of the shorter text: "they share little".
LITTLE = 0.2
# A comparison whose texts are longer than this (characters) is not kept in the cache:
# computed again (within its budget) rather than filling every worker's memory.
CACHED_CHARACTERS = 2_000_000
VERSION = 2  # of the method: a change of it makes earlier results unreachable


class OverBudget(Exception):
    pass


@dataclass
class Work:
    """What a comparison spent, and the budget it is held to: tests read the counters."""

    steps: int = 0  # difflib's steps (see _Matcher), tokens read included
    ratios: int = 0  # full ratios computed
    tokens: int = 0  # tokens of the pairs measured or marked word by word
    estimated: int = 0  # pairs judged by their shared word pairs alone: too long, or budget spent
    unmarked: int = 0  # changed pairs shown without their words marked
    limit: int = STEPS

    @property
    def spent(self) -> bool:
        return self.steps >= self.limit

    def charge(self, steps: int) -> None:
        if self.steps + steps > self.limit:
            self.steps = self.limit
            raise OverBudget
        self.steps += steps


class _Matcher(SequenceMatcher):
    """difflib's matcher, charging each search for a longest match before it runs.

    A search over a[alo:ahi] and b[blo:bhi] visits each place in b of each element of
    a[alo:ahi] at most once, then extends its match inside the two windows: that bound is
    charged, read from prefix sums in constant time, so no search starts that the budget
    cannot pay for. Every result is difflib's own.
    """

    def __init__(self, a, b, work: Work):
        work.charge(len(a) + len(b))  # building the index of b and the prefix sums
        super().__init__(None, a, b, autojunk=False)
        self.work = work
        self.cost = list(accumulate((1 + len(self.b2j.get(x, ())) for x in a), initial=0))

    def find_longest_match(self, alo=0, ahi=None, blo=0, bhi=None):
        ahi = len(self.a) if ahi is None else ahi
        bhi = len(self.b) if bhi is None else bhi
        self.work.charge(self.cost[ahi] - self.cost[alo] + (bhi - blo))
        return super().find_longest_match(alo, ahi, blo, bhi)


@dataclass(frozen=True)
class Side:
    """A paragraph as a comparison names it: where it is, what it is called."""

    anchor: str
    label: str


@dataclass
class Pair:
    # same, changed, added (only in the second), deleted (only in the first), moved (a
    # paragraph the other text has elsewhere: one row where it left, one where it arrived)
    status: str
    left: Side | None
    right: Side | None
    left_html: str = ""
    right_html: str = ""
    moved_to: Side | None = None  # a moved paragraph's place in the second text
    moved_from: Side | None = None  # … and in the first
    marked: bool = True  # False: changed, but too long to mark word by word


@dataclass
class Comparison:
    pairs: list[Pair]
    counts: dict[str, int]
    paragraphs: tuple[int, int]  # in the first text, in the second
    work: Work = field(default_factory=Work)

    @property
    def alike(self) -> int:
        """Paragraphs of the first text with a counterpart in the second."""
        return self.counts[SAME] + self.counts[CHANGED] + self.counts[MOVED]

    @property
    def little(self) -> bool:
        return self.alike < LITTLE * min(self.paragraphs)

    @property
    def cut_short(self) -> bool:
        """Whether some paragraphs were paired by their word pairs alone, or not looked for."""
        return bool(self.work.estimated) or self.work.spent


@dataclass
class _Para:
    """A paragraph being paired: its place, its text, and what it is compared by."""

    index: int
    side: Side
    text: str
    language: str
    _tokens: tuple[str, ...] | None = None
    _pairs: set | None = None

    @property
    def tokens(self) -> tuple[str, ...]:
        """Words, spaces and punctuation (characters in Chinese): what a ratio compares."""
        if self._tokens is None:
            self._tokens = tuple(diff_tokens(plain(self.text), self.language))
        return self._tokens

    @property
    def word_pairs(self) -> set:
        """Its overlapping pairs of words (its one word, if it has one): what finds candidates."""
        if self._pairs is None:
            found = words(self.text, self.language)
            self._pairs = shingles(found) or {w.encode() for w in found}
        return self._pairs


def compare(first: Text, second: Text) -> Comparison:
    """Pair the paragraphs of two texts in one language, in reading order."""
    return compare_paragraphs(_paragraphs(first), _paragraphs(second), first.language)


def _paragraphs(text: Text) -> list[tuple[str, str, str]]:
    return list(text.paragraphs.order_by("order").values_list("anchor", "label", "text"))


def compare_paragraphs(
    first: list[tuple[str, str, str]], second: list[tuple[str, str, str]], language: str, limit: int = STEPS
) -> Comparison:
    """Pair two lists of (anchor, label, text) in one language, within `limit` steps."""
    left, right = _paras(first, language), _paras(second, language)
    work = Work(limit=limit)
    index = _Index(right)
    pairs: list[tuple[str, _Para | None, _Para | None]] = []
    for op, i1, i2, j1, j2 in _blocks(left, right, work):
        if op == "equal":
            pairs += [(SAME, a, b) for a, b in zip(left[i1:i2], right[j1:j2], strict=True)]
        else:
            pairs += _pair_changed(left[i1:i2], right[j1:j2], index, work)
    shown = _present(_find_moves(pairs, index, work), work)
    return Comparison(shown, summary(shown), (len(left), len(right)), work)


def _paras(rows: list[tuple[str, str, str]], language: str) -> list[_Para]:
    return [_Para(i, Side(anchor, label), text, language) for i, (anchor, label, text) in enumerate(rows)]


def _blocks(left: list[_Para], right: list[_Para], work: Work) -> list[tuple]:
    """The runs of paragraphs the two texts have word for word, and the runs between.

    Paragraphs repeated many times could make difflib's search for them costly: past a
    quarter of the budget, the texts are one run that differs, paired paragraph by paragraph.
    """
    own = Work(limit=work.limit // 4)
    try:
        matcher = _Matcher([plain(p.text) for p in left], [plain(p.text) for p in right], own)
        return matcher.get_opcodes()
    except OverBudget:
        return [("replace", 0, len(left), 0, len(right))] if left or right else []
    finally:
        work.steps += own.steps


class _Index:
    """The second text's paragraphs by their word pairs: where to look for a paragraph's
    counterpart without measuring it against every one."""

    def __init__(self, paragraphs: list[_Para]):
        self.paragraphs = paragraphs
        self.postings: dict[bytes, list[int]] = {}
        for p in paragraphs:
            for key in p.word_pairs:
                self.postings.setdefault(key, []).append(p.index)

    def candidates(self, para: _Para, allowed, work: Work) -> list[tuple[int, float]]:
        """The CANDIDATES `allowed` paragraphs sharing the largest share of their word pairs
        with `para` (twice the pairs in common over those of both), in reading order, each
        with that share.

        The rarest of its word pairs are looked up first, until POSTINGS entries are read:
        past that, the share is extrapolated from the word pairs looked up. The entries
        read are charged as steps; once the budget is spent, none are.
        """
        if work.spent:
            return []
        share = self._shares(para, allowed, work)
        best = sorted((j for j in share if share[j] >= SHARED_PAIRS), key=lambda j: (-share[j], j))
        return [(j, share[j]) for j in sorted(best[:CANDIDATES])]

    def _shares(self, para: _Para, allowed, work: Work) -> dict[int, float]:
        """Each `allowed` paragraph sharing word pairs with `para` → the share, as far as
        the word pairs looked up (within POSTINGS entries, charged) tell."""
        shared, looked = self._shared_pairs(para, allowed, min(POSTINGS, work.limit - work.steps), work)
        mine = len(para.word_pairs)
        scale = mine / looked if looked else 0.0
        return {
            j: min(1.0, 2 * n * scale / (mine + len(self.paragraphs[j].word_pairs)))
            for j, n in shared.items()
        }

    def _shared_pairs(self, para: _Para, allowed, allowance: int, work: Work) -> tuple[Counter, int]:
        """Each `allowed` paragraph → the word pairs it shares with `para`, its rarest looked
        up first while their entries fit in `allowance`; and how many were looked up."""
        lists = sorted((self.postings.get(key, ()) for key in para.word_pairs), key=len)
        shared: Counter = Counter()
        looked, read = 0, 0
        for postings in lists:
            if read + len(postings) > allowance:
                break
            read, looked = read + len(postings), looked + 1
            shared.update(j for j in postings if j in allowed)
        work.steps += read
        return shared, looked


def _most_alike(para: _Para, allowed, index: _Index, work: Work) -> int | None:
    """The index of the most alike of the `allowed` paragraphs of the second text, if one is ALIKE.

    The first of equals, in reading order, as a search through them all would find.
    difflib's cheap upper bounds skip a candidate that cannot beat the best so far.
    """
    best, found = 0.0, None
    for j, estimate in index.candidates(para, allowed, work):
        other = index.paragraphs[j]
        ratio = _ratio(para, other, estimate, max(ALIKE, best), work)
        if ratio > best:
            best, found = ratio, j
    return found if best >= ALIKE else None


def _ratio(a: _Para, b: _Para, estimate: float, floor: float, work: Work) -> float:
    """difflib's ratio of the two paragraphs' tokens (0 when it cannot reach `floor`); past
    the budget or PAIR_TOKENS, the estimate from their shared word pairs."""
    size = len(a.tokens) + len(b.tokens)
    if work.spent or size > PAIR_TOKENS:
        work.estimated += 1
        return estimate
    try:
        matcher = _Matcher(a.tokens, b.tokens, work)
        if matcher.real_quick_ratio() < floor:
            return 0.0
        work.charge(size)
        if matcher.quick_ratio() < floor:
            return 0.0
        work.ratios += 1
        work.tokens += size
        return matcher.ratio()
    except OverBudget:
        work.estimated += 1
        return estimate


def _pair_changed(left: list[_Para], right: list[_Para], index: _Index, work: Work) -> list[tuple]:
    """Within a run that differs, pair each paragraph with the most alike one after the
    last paired (so the order is kept); the rest were added or deleted."""
    pairs: list[tuple] = []
    if not right:
        return [(DELETED, a, None) for a in left]
    j, end = right[0].index, right[-1].index + 1
    for a in left:
        k = _most_alike(a, range(j, end), index, work) if j < end else None
        if k is None:
            pairs.append((DELETED, a, None))
            continue
        pairs += [(ADDED, None, b) for b in index.paragraphs[j:k]]
        pairs.append((CHANGED, a, index.paragraphs[k]))
        j = k + 1
    pairs += [(ADDED, None, b) for b in index.paragraphs[j:end]]
    return pairs


def _find_moves(pairs: list[tuple], index: _Index, work: Work) -> list[tuple]:
    """A deleted paragraph that the second text has, alike, among its added ones moved:
    one row where it left, one where it arrived."""
    left, arrived = _moves(pairs, index, work)
    return [_with_move(status, a, b, left, arrived) for status, a, b in pairs]


def _moves(pairs: list[tuple], index: _Index, work: Work) -> tuple[dict[int, _Para], dict[int, _Para]]:
    """Each deleted paragraph paired, in reading order, with the most alike added one not
    yet taken: where each left one went (index in the first text → paragraph of the
    second), and where each arrived one came from (index in the second → of the first)."""
    added = {b.index for status, _, b in pairs if status == ADDED}
    left: dict[int, _Para] = {}
    arrived: dict[int, _Para] = {}
    for status, gone, _ in pairs:
        if status == DELETED and added:
            k = _most_alike(gone, added, index, work)
            if k is not None:
                added.discard(k)
                arrived[k], left[gone.index] = gone, index.paragraphs[k]
    return left, arrived


def _with_move(status: str, a: _Para | None, b: _Para | None, left: dict, arrived: dict) -> tuple:
    """A row as _present takes it: (status, a, b, where a went, where b came from)."""
    if status == DELETED and a.index in left:
        return (MOVED, a, None, left[a.index], None)
    if status == ADDED and b.index in arrived:
        return (MOVED, None, b, None, arrived[b.index])
    return (status, a, b, None, None)


def _present(rows: list[tuple], work: Work) -> list[Pair]:
    """Each row with both texts escaped and what one has and the other has not marked.

    A moved paragraph's two rows show one comparison: what it lost where it was, what it
    gained where it is.
    """
    marks: dict[tuple[int, int], tuple[str, str] | None] = {}

    def marked(a: _Para, b: _Para) -> tuple[str, str] | None:
        if (a.index, b.index) not in marks:
            marks[a.index, b.index] = _marks(a, b, work)
        return marks[a.index, b.index]

    pairs = [_shown(*row, marked) for row in rows]
    work.unmarked = sum(1 for pair in pairs if not pair.marked)
    return pairs


def _shown(status: str, a, b, moved_to, moved_from, marked) -> Pair:
    """One row as a Pair, its changes marked by `marked` (None: too long to mark)."""
    pair = Pair(status, _side(a), _side(b), _escaped(a), _escaped(b), _side(moved_to), _side(moved_from))
    if moved_to is not None:
        found = marked(a, moved_to)
        pair.left_html = found[0] if found else pair.left_html
    elif moved_from is not None:
        found = marked(moved_from, b)
        pair.right_html = found[1] if found else pair.right_html
    elif status == CHANGED:
        found = marked(a, b)
        pair.left_html, pair.right_html = found or (pair.left_html, pair.right_html)
    else:
        found = True
    pair.marked = found is not None
    return pair


def _side(para: _Para | None) -> Side | None:
    return para.side if para else None


def _escaped(para: _Para | None) -> str:
    return mark_safe(html.escape(para.text)) if para else ""


def _marks(a: _Para, b: _Para, work: Work) -> tuple[str, str] | None:
    """mark_changes within the budget; None when the pair is too long or the budget spent."""
    if len(a.tokens) + len(b.tokens) > PAIR_TOKENS or work.spent:
        return None
    try:
        return mark_changes(a.text, b.text, a.language, work)
    except OverBudget:
        return None


def mark_changes(first: str, second: str, language: str, work: Work | None = None) -> tuple[str, str]:
    """Escape both texts and mark what one has and the other has not (<del>, <ins>).

    Charged to `work` (a budget of its own when none is given): OverBudget when it cannot
    pay, or when the two have more than PAIR_TOKENS tokens.
    """
    work = work or Work()
    a, b = diff_tokens(first, language), diff_tokens(second, language)
    if len(a) + len(b) > PAIR_TOKENS:
        raise OverBudget
    work.tokens += len(a) + len(b)
    return _tagged(a, b, _Matcher(_compared_tokens(a), _compared_tokens(b), work).get_opcodes())


def _compared_tokens(tokens: list[str]) -> list[str]:
    """What difflib compares of tokens: printers' variants made one, any whitespace a space."""
    return [plain(t) or " " for t in tokens]


def _tagged(a: list[str], b: list[str], opcodes: list[tuple]) -> tuple[str, str]:
    """Both token lists escaped, what differs in the first in <del>, in the second in <ins>."""
    left, right = [], []
    for op, i1, i2, j1, j2 in opcodes:
        old, new = html.escape("".join(a[i1:i2])), html.escape("".join(b[j1:j2]))
        if op == "equal":
            left.append(old)
            right.append(new)
            continue
        if old:
            left.append(f"<del>{old}</del>")
        if new:
            right.append(f"<ins>{new}</ins>")
    return mark_safe("".join(left)), mark_safe("".join(right))


def summary(pairs: list[Pair]) -> dict[str, int]:
    counts = {SAME: 0, CHANGED: 0, ADDED: 0, DELETED: 0, MOVED: 0}
    for pair in pairs:
        counts[pair.status] += 1
    counts[MOVED] //= 2  # two rows, one paragraph
    return counts


# --- the cache ----------------------------------------------------------------


def cached_compare(first: Text, second: Text) -> Comparison:
    """compare(), kept in the results cache under what identifies the two versions' paragraphs.

    A publish that changes a version's paragraphs replaces their rows, and new rows take
    ids never used before: the versions' ids and creation times, their paragraphs'
    highest id and count make a key that any replace, delete or new version leaves
    unreachable (the time, because a test database numbers rows from 1 again). One query.
    """
    stamps = dict.fromkeys((first.pk, second.pk), (0, 0))
    rows = (
        Paragraph.objects.filter(version__in=list(stamps))
        .values("version")
        .annotate(last=Max("pk"), n=Count("pk"))
        .values_list("version", "last", "n")
        .order_by()
    )
    stamps |= {version: (last, n) for version, last, n in rows}
    versions = [".".join(map(str, (t.pk, t.created_at.timestamp(), *stamps[t.pk]))) for t in (first, second)]
    key = ":".join(["compare", str(VERSION), str(STEPS), first.language, *versions])
    return remember(key, lambda: compare(first, second), keep=_small_enough)


def _small_enough(found: Comparison) -> bool:
    return sum(len(p.left_html) + len(p.right_html) for p in found.pairs) <= CACHED_CHARACTERS
