"""A plain BM25 baseline over the database's paragraphs, to set the site's ranking against
(issue 20).

What it is, and nothing more:

- every paragraph of the database is a document; its text is normalised as the site
  normalises it (search.engine.analysis.normalize: NFKC, case folding, traditional to
  simplified Chinese), so both systems read the same characters;
- English and digits: runs of letters or digits (`[^\\W_]+` outside Chinese), already
  lower-cased; no stemming;
- Chinese: each run of Chinese characters cut into words by jieba in accurate mode, with
  the project's jieba setup (search.engine.analysis.jieba_tokenizer);
- a query is the OR of its distinct terms, minus a small list of English stop words
  (STOP_WORDS); no phrase, no filter, no symbol handling;
- Okapi BM25 with k1 1.2, b 0.75 and Lucene's idf, log(1 + (N - n + 0.5) / (n + 0.5));
  the top 20, ties broken by database order.

`Baseline.from_database()` reads and indexes the paragraphs once (about 3 s for the
13,291 paragraphs of the loaded corpus); `search(q)` then returns keys (resolution key, language, anchor).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

K1 = 1.2
B = 0.75
TOP = 20

# Words of a question that carry no subject ("how", "does", "say"), and articles and
# prepositions: small on purpose, a baseline does what any BM25 setup would.
_STOP = (
    "a an and are as at be by does do for from how in is it of on or "
    "say says that the this to was what which who why with"
)
STOP_WORDS = frozenset(_STOP.split())

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(f"([{_CJK}]+)|([^\\W_{_CJK}]+)")

Key = tuple[str, str, str]


def tokenize(text: str) -> list[str]:
    """Cut text into the baseline's terms: lower-cased Latin words and digits, jieba's words."""
    from search.engine.analysis import jieba_tokenizer, normalize

    terms = []
    for chinese, other in _RUN.findall(normalize(text).text):
        if chinese:
            terms.extend(w for w in jieba_tokenizer().lcut(chinese) if w.strip())
        else:
            terms.append(other)
    return terms


def query_terms(q: str) -> list[str]:
    """The distinct terms of a query, in order, without the stop words."""
    return list(dict.fromkeys(t for t in tokenize(q) if t not in STOP_WORDS))


@dataclass
class Baseline:
    keys: list[Key]
    lengths: list[int]
    postings: dict[str, list[tuple[int, int]]]  # term -> (paragraph number, frequency)

    @classmethod
    def from_texts(cls, paragraphs: list[tuple[Key, str]]) -> Baseline:
        postings: dict[str, list[tuple[int, int]]] = {}
        lengths = []
        for number, (_, text) in enumerate(paragraphs):
            terms = tokenize(text)
            lengths.append(len(terms))
            for term, count in Counter(terms).items():
                postings.setdefault(term, []).append((number, count))
        return cls([key for key, _ in paragraphs], lengths, postings)

    @classmethod
    def from_database(cls) -> Baseline:
        from search.models import Paragraph

        rows = Paragraph.objects.order_by("id").values_list(
            "version__resolution__key", "version__language", "anchor", "text"
        )
        return cls.from_texts([((key, language, anchor), text) for key, language, anchor, text in rows])

    def scores(self, q: str) -> dict[int, float]:
        n = len(self.keys)
        average = sum(self.lengths) / n if n else 0.0
        scores: dict[int, float] = {}
        for term in query_terms(q):
            found = self.postings.get(term, [])
            idf = math.log(1 + (n - len(found) + 0.5) / (len(found) + 0.5))
            for number, tf in found:
                norm = K1 * (1 - B + B * self.lengths[number] / average)
                scores[number] = scores.get(number, 0.0) + idf * tf * (K1 + 1) / (tf + norm)
        return scores

    def search(self, q: str, top: int = TOP) -> list[Key]:
        """The keys of the `top` best paragraphs for q, best first."""
        scores = self.scores(q)
        ranked = sorted(scores, key=lambda number: (-scores[number], number))
        return [self.keys[number] for number in ranked[:top]]
