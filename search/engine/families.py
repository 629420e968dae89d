"""One wording, one hit: paragraphs with the same wording are shown once.

A family (the index field `family`, Paragraph.wording_key) holds paragraphs of one
language that the site knows to share their wording (SharedWording pairs): a draft, the
resolution it became, the previous session's resolution. A search ranks one paragraph of
each family among those it matches: of its adopted resolutions the newest, else its
newest document. The others are listed under it ("same wording in …"). Numpy over the
family codes: one sort of the matching paragraphs that have a family, whatever their number.
"""

from __future__ import annotations

import numpy as np

from search.engine import docsets
from search.engine.ranking import priors

LISTED = 20  # paragraphs of the same wording listed under a hit; the rest are counted


def family_codes(reader) -> np.ndarray:
    """The family code of every document (0: none)."""
    return docsets.codes(reader, "family")[0]


NONE_SEEN = np.empty(0, dtype=np.int32)


def wordings_below(reader, docs: np.ndarray, few: int) -> bool:
    """Whether `docs` hold fewer than `few` wordings: linear, and no sort when the
    paragraphs without a family are enough."""
    if len(docs) < few:
        return True
    family = family_codes(reader)[docs]
    alone = int(np.count_nonzero(family == 0))
    return alone < few and alone + len(np.unique(family[family > 0])) < few


def representatives(reader, docs: np.ndarray, seen: np.ndarray = NONE_SEEN) -> tuple[np.ndarray, np.ndarray]:
    """The documents of `docs` (sorted) that stand for their wording, sorted: every one
    without a family and, of each family not `seen` already (shown higher), the one a
    reader wants first (`_best_first`). And the families seen, these added."""
    family = family_codes(reader)[docs]
    grouped = family > 0
    if not grouped.any():
        return docs, seen
    members, codes = docs[grouped], family[grouped]
    fresh = ~np.isin(codes, seen)
    members, codes = members[fresh], codes[fresh]
    order = _best_first(reader, members, codes)
    codes = codes[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = codes[1:] != codes[:-1]
    shown = np.sort(np.concatenate([docs[~grouped], members[order][first]]))
    return shown, np.union1d(seen, codes[first])


def _best_first(reader, members: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """The order of `members` by family, and within one: adopted resolutions first, then
    newest, then document order."""
    adopted, year = priors(reader, members)
    return np.lexsort((members, -year, ~adopted, codes))


def same_wording(reader, docs: np.ndarray, shown: list[int]) -> dict[int, tuple[list[int], int]]:
    """For each shown document with a family: the other documents of `docs` in it (at most
    LISTED, adopted and newest first) and how many there are."""
    codes = family_codes(reader)
    wanted = {int(codes[d]): d for d in shown if codes[d]}
    if not wanted:
        return {}
    family = codes[docs]
    inside = np.isin(family, np.fromiter(wanted, dtype=family.dtype))
    members, family = docs[inside], family[inside]
    order = _best_first(reader, members, family)
    members, family = members[order], family[order]
    found: dict[int, tuple[list[int], int]] = {}
    for code, doc in wanted.items():
        others = members[(family == code) & (members != doc)]
        if len(others):
            found[doc] = ([int(d) for d in others[:LISTED]], len(others))
    return found
