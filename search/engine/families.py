"""One wording, one hit: paragraphs with the same wording are shown once.

A family (Paragraph.family, the index's numeric column `family`) holds paragraphs of one
language that the site knows to share their wording (SharedWording pairs): a draft, the
resolution it became, the previous session's resolution. A paragraph that joined no
family is its own (its family is its id, the column `pid`). A search ranks one paragraph
of each family among those it matches: of its adopted resolutions the newest, else its
newest document. The others are listed under it ("same wording in …"). Numpy over the
two columns: the paragraphs of a match that share a family with another are found in
linear time, and only they are sorted.
"""

from __future__ import annotations

import numpy as np

from search.engine import docsets
from search.engine.ranking import priors

LISTED = 5  # paragraphs of the same wording listed under a hit; the rest are counted
NONE_SEEN = np.empty(0, dtype=np.int64)


def _families(reader, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each of `docs`' family, and whether another paragraph of its family is among `docs`
    or may be (it joined one, or one of `docs` joined its): the paragraphs to group."""
    family = docsets.numbers(reader, "family")[docs]
    joined = family != docsets.numbers(reader, "pid")[docs]
    if not joined.any():
        return family, joined
    return family, joined | np.isin(family, docsets.distinct(family[joined]))


def wordings_below(reader, docs: np.ndarray, few: int) -> bool:
    """Whether `docs` hold fewer than `few` wordings (their first thousand often say no)."""
    if len(docs) < few:
        return True
    family = docsets.numbers(reader, "family")
    return len(docsets.distinct(family[docs[:1000]])) < few and len(docsets.distinct(family[docs])) < few


def representatives(
    reader, docs: np.ndarray, seen: np.ndarray = NONE_SEEN, more: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """The documents of `docs` (sorted) that stand for their wording, sorted: of each
    family not `seen` already (shown higher), the one a reader wants first
    (`_best_first`). And, when `more` tiers follow, the families seen, these added."""
    family, grouped = _families(reader, docs)
    fresh = ~np.isin(family, seen) if len(seen) else np.ones(len(docs), dtype=bool)
    alone = fresh & ~grouped
    members, codes = docs[fresh & grouped], family[fresh & grouped]
    order = _best_first(reader, members, codes)
    codes = codes[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = codes[1:] != codes[:-1]
    shown = np.sort(np.concatenate([docs[alone], members[order][first]]))
    return shown, np.union1d(seen, family[fresh]) if more else seen


def _best_first(reader, members: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """The order of `members` by family, and within one: adopted resolutions first, then
    newest, then document order."""
    adopted, year = priors(reader, members)
    return np.lexsort((members, -year, ~adopted, codes))


def same_wording(reader, docs: np.ndarray, shown: list[int]) -> dict[int, tuple[list[int], int]]:
    """For each shown document: the other documents of `docs` in its family (at most
    LISTED, adopted and newest first) and how many there are."""
    family, grouped = _families(reader, docs)
    at = np.searchsorted(docs, shown)
    wanted = {
        int(family[i]): d
        for i, d in zip(at, shown, strict=True)
        if i < len(docs) and docs[i] == d and grouped[i]
    }
    if not wanted:
        return {}
    inside = grouped & np.isin(family, np.fromiter(wanted, dtype=family.dtype))
    members, codes = docs[inside], family[inside]
    order = _best_first(reader, members, codes)
    members, codes = members[order], codes[order]
    found: dict[int, tuple[list[int], int]] = {}
    for code, doc in wanted.items():
        others = members[(codes == code) & (members != doc)]
        if len(others):
            found[doc] = ([int(d) for d in others[:LISTED]], len(others))
    return found
