"""Two versions of a text side by side, paragraph by paragraph: a draft and the resolution
it became, or a resolution and its successor. Paragraphs are paired by their wording, not
their numbers (a renumbered paragraph is the same paragraph), and the changes inside a
paragraph are marked word by word (character by character in Chinese)."""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.safestring import mark_safe

from search.engine.wording import diff_tokens as tokens
from search.engine.wording import plain
from search.models import Paragraph, Text

SAME, CHANGED, ADDED, DELETED, MOVED = "same", "changed", "added", "deleted", "moved"
# Two paragraphs this alike (share of their words in common) are one paragraph changed.
ALIKE = 0.5


@dataclass
class Pair:
    # same, changed, added (only in the second), deleted (only in the first), moved (a
    # paragraph the other text has elsewhere: one row where it left, one where it arrived)
    status: str
    left: Paragraph | None
    right: Paragraph | None
    left_html: str = ""
    right_html: str = ""
    moved_to: Paragraph | None = None  # a moved paragraph's place in the second text
    moved_from: Paragraph | None = None  # … and in the first


def compare(first: Text, second: Text) -> list[Pair]:
    """Pair the paragraphs of two texts in one language, in reading order."""
    left = list(first.paragraphs.all())
    right = list(second.paragraphs.all())
    language = first.language
    pairs: list[Pair] = []
    blocks = SequenceMatcher(
        None, [plain(p.text) for p in left], [plain(p.text) for p in right], autojunk=False
    )
    for op, i1, i2, j1, j2 in blocks.get_opcodes():
        if op == "equal":
            pairs += [Pair(SAME, a, b) for a, b in zip(left[i1:i2], right[j1:j2], strict=True)]
        else:
            pairs += _pair_changed(left[i1:i2], right[j1:j2], language)
    _find_moves(pairs, language)
    for pair in pairs:
        _mark(pair, language)
    return pairs


def _find_moves(pairs: list[Pair], language: str) -> None:
    """A deleted paragraph that the second text has, alike, among its added ones moved."""
    added = [p for p in pairs if p.status == ADDED]
    for gone in [p for p in pairs if p.status == DELETED]:
        best, k = _most_alike(gone.left.text, [came.right.text for came in added], language)
        if best >= ALIKE:
            came = added.pop(k)
            gone.status = came.status = MOVED
            gone.moved_to, came.moved_from = came.right, gone.left


def _pair_changed(left: list[Paragraph], right: list[Paragraph], language: str) -> list[Pair]:
    """Within a run that differs, pair each paragraph with the most alike one after the
    last paired (so the order is kept); the rest were added or deleted."""
    pairs: list[Pair] = []
    j = 0
    for a in left:
        score, k = _most_alike(a.text, [b.text for b in right[j:]], language)
        best = (score, k + j)
        if best[0] >= ALIKE:
            pairs += [Pair(ADDED, None, b) for b in right[j : best[1]]]
            pairs.append(Pair(CHANGED, a, right[best[1]]))
            j = best[1] + 1
        else:
            pairs.append(Pair(DELETED, a, None))
    pairs += [Pair(ADDED, None, b) for b in right[j:]]
    return pairs


def _most_alike(text: str, others: list[str], language: str) -> tuple[float, int]:
    """The ratio and index of the most alike of `others` (0.0, -1 when none is ALIKE).

    difflib's cheap upper bounds skip a candidate that cannot beat the best so far: a
    resolution and its successor (150 paragraphs, a third changed) compared in 1.6 s
    before, most of it on pairs that could never be paired.
    """
    best, index = 0.0, -1
    first = _tokens(text, language)
    for k, other in enumerate(others):
        matcher = SequenceMatcher(None, first, _tokens(other, language), autojunk=False)
        floor = max(ALIKE, best)
        if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
            continue
        ratio = matcher.ratio()
        if ratio > best:
            best, index = ratio, k
    return (best, index) if best >= ALIKE else (0.0, -1)


@functools.lru_cache(maxsize=4096)
def _tokens(text: str, language: str) -> tuple[str, ...]:
    return tuple(tokens(plain(text), language))


def _mark(pair: Pair, language: str) -> None:
    """Escape both texts and mark what one has and the other has not (<del>, <ins>)."""
    if pair.moved_to is not None:  # where it was: what it lost marked
        pair.left_html = mark_changes(pair.left.text, pair.moved_to.text, language)[0]
        return
    if pair.moved_from is not None:  # where it is: what it gained marked
        pair.right_html = mark_changes(pair.moved_from.text, pair.right.text, language)[1]
        return
    if pair.status != CHANGED:
        pair.left_html = mark_safe(html.escape(pair.left.text)) if pair.left else ""
        pair.right_html = mark_safe(html.escape(pair.right.text)) if pair.right else ""
        return
    pair.left_html, pair.right_html = mark_changes(pair.left.text, pair.right.text, language)


def mark_changes(first: str, second: str, language: str) -> tuple[str, str]:
    """Escape both texts and mark what one has and the other has not (<del>, <ins>)."""
    a, b = tokens(first, language), tokens(second, language)
    left, right = [], []
    matcher = SequenceMatcher(
        None, [plain(t) or " " for t in a], [plain(t) or " " for t in b], autojunk=False
    )
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
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
