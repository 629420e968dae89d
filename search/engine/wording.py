"""Near-duplicate wording: which paragraphs say the same thing in nearly the same words.

"Agreed language" is wording adopted once and reused, year after year, with small edits:
a date, a session, a reference updated, a clause added. Finding it among millions of
paragraphs cannot compare every pair. Each paragraph's overlapping word pairs (in
Chinese, character pairs) are summarised by a MinHash signature (datasketch); the
signature is cut into bands, and two paragraphs that share a band are candidates
(locality-sensitive hashing). Only candidates are compared word by word. Pure: no
database here; search.ingest.agreed_language stores the bands and the pairs.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from difflib import SequenceMatcher

import numpy as np

# 126 hash functions cut into 42 bands of 3. Two paragraphs whose word pairs overlap
# by a Jaccard similarity s share a band with probability 1 - (1 - s^3)^42: 0.84 at
# s = 0.35, 0.996 at 0.5, 0.29 at 0.2. Of the hand-labelled pairs that are the same
# wording (bench/lineage_pairs.toml), the least alike overlap by 0.35.
PERMUTATIONS = 126
BANDS = 42
ROWS = PERMUTATIONS // BANDS
SEED = 1
# Shorter paragraphs ("Annex", "Decides to remain seized of the matter") are formulas
# every resolution repeats: their reuse says nothing about where wording comes from.
MIN_WORDS = 8
MIN_CHARACTERS = 12  # Chinese
# Two paragraphs are the same wording, nearly, when their words in order agree this much
# (difflib's ratio: twice the words in common over the words of both) ...
SAME_WORDING = 0.65
# ... or when most of one is inside the other, and the rest is not most of it (a clause
# added to agreed language keeps the agreed language). Chosen on half the hand-labelled
# pairs (the even ones), measured on the other half: bench/lineage.py.
CONTAINED = 0.8
CONTAINED_RATIO = 0.5

# The typography printers vary and no reader counts as a change.
SAME_SIGN = str.maketrans({"\u2011": "-", "\u2010": "-", "\u00a0": " ", "\u202f": " "})


def plain(text: str) -> str:
    """Return the text with printers' variants of hyphens and spaces made one."""
    return re.sub(r"\s+", " ", text.translate(SAME_SIGN)).strip()


def diff_tokens(text: str, language: str) -> list[str]:
    """Words and the spaces and punctuation between them; in Chinese, each character."""
    if language == "zh":
        return list(text)
    return re.findall(r"\w+|\s+|[^\w\s]", text)


def words(text: str, language: str) -> list[str]:
    """The words compared: lower-cased words; in Chinese, characters (no punctuation)."""
    text = unicodedata.normalize("NFKC", plain(text)).casefold()
    if language == "zh":
        return [c for c in text if c.isalnum()]
    return re.findall(r"\w+", text)


def long_enough(tokens: list[str], language: str) -> bool:
    return len(tokens) >= (MIN_CHARACTERS if language == "zh" else MIN_WORDS)


def shingles(tokens: list[str]) -> set[bytes]:
    """Overlapping pairs of words (of characters in Chinese)."""
    return {f"{a} {b}".encode() for a, b in zip(tokens, tokens[1:], strict=False)}


def band_keys(texts: list[tuple[str, str]]) -> list[list[int]]:
    """For each (text, language), the keys of its signature's bands; [] when too short.

    A key is a signed 64-bit integer (a database column) that mixes the language and the
    band's number in, so only the same band of the same language can collide.
    """
    # Imported here: datasketch loads SciPy (56 MB), which a web process showing pages
    # never needs; only a process that publishes does.
    from datasketch import MinHash

    tokens = [words(text, language) for text, language in texts]
    wanted = [i for i, (t, (_, lang)) in enumerate(zip(tokens, texts, strict=True)) if long_enough(t, lang)]
    signatures = MinHash.bulk([shingles(tokens[i]) for i in wanted], num_perm=PERMUTATIONS, seed=SEED)
    keys: list[list[int]] = [[] for _ in texts]
    for i, signature in zip(wanted, signatures, strict=True):
        keys[i] = _signature_bands(signature.hashvalues, texts[i][1])
    return keys


def _signature_bands(hashvalues, language: str) -> list[int]:
    """The keys of a signature's bands, in the language's own key space."""
    values = np.asarray(hashvalues, dtype="<u8")
    language_bytes = language.encode()
    return [
        int.from_bytes(
            hashlib.blake2b(
                language_bytes + band.to_bytes(1) + values[band * ROWS : (band + 1) * ROWS].tobytes(),
                digest_size=8,
            ).digest(),
            "big",
            signed=True,
        )
        for band in range(BANDS)
    ]


def similarity(a: list[str], b: list[str]) -> tuple[float, float]:
    """Return (ratio, containment) of two word lists: how much they agree in order, and
    how much of the shorter one is in the longer."""
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    common = sum(block.size for block in matcher.get_matching_blocks())
    ratio = 2 * common / (len(a) + len(b)) if a or b else 1.0
    containment = common / min(len(a), len(b)) if a and b else 0.0
    return ratio, containment


def same_wording(a: list[str], b: list[str]) -> float | None:
    """Return how alike two paragraphs' words are if they are the same wording, else None."""
    # Lengths too far apart cannot reach either test: skip the comparison.
    if min(len(a), len(b)) < CONTAINED_RATIO / (2 - CONTAINED_RATIO) * max(len(a), len(b)):
        return None
    # Nor can words too few in common, in any order (a bound on both tests, in linear time).
    common = sum((Counter(a) & Counter(b)).values())
    if 2 * common / (len(a) + len(b)) < min(SAME_WORDING, CONTAINED_RATIO) or (
        2 * common / (len(a) + len(b)) < SAME_WORDING and common / min(len(a), len(b)) < CONTAINED
    ):
        return None
    ratio, containment = similarity(a, b)
    if ratio >= SAME_WORDING or (containment >= CONTAINED and ratio >= CONTAINED_RATIO):
        return round(ratio, 3)
    return None
