"""Measure search quality on real documents: `python -m bench.relevance` (issue 11).

Runs every query of `relevance.toml` against the configured database and index
(DATABASE_PATH, INDEX_DIR) and prints, per query, hit@5 (one of the paragraphs a
reader wants first is in the top five), precision at 5 (the share of the top five
judged relevant) and the top five; then the mean precision and the hits, and the
time of a search (p50, p95) over that corpus.
Everything but `main` is a plain function of its inputs.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

SET = Path(__file__).resolve().with_name("relevance.toml")
TOP = 5

Key = tuple[str, str, str]  # (resolution key, language, anchor)


@dataclass(frozen=True)
class Query:
    q: str
    reason: str
    expected: frozenset[Key]
    relevant: frozenset[Key]  # expected included


@dataclass(frozen=True)
class Outcome:
    query: Query
    top: list[Key]

    @property
    def hit(self) -> bool:
        return any(key in self.query.expected for key in self.top)

    @property
    def precision(self) -> float:
        return sum(key in self.query.relevant for key in self.top) / TOP

    @property
    def best(self) -> float:
        """The precision a perfect ranking would get: fewer than five judged relevant caps it."""
        return min(TOP, len(self.query.relevant)) / TOP


def load_set(path: Path = SET) -> list[Query]:
    """Read the queries and their judged paragraphs."""
    with open(path, "rb") as f:
        data = tomllib.load(f)
    queries = []
    for entry in data["query"]:
        expected = frozenset(_key(p) for p in entry["expected"])
        relevant = expected | {_key(p) for p in entry.get("relevant", [])}
        queries.append(Query(entry["q"], entry["reason"], expected, frozenset(relevant)))
    return queries


def _key(paragraph: str) -> Key:
    key, language, anchor = paragraph.split()
    return key, language, anchor


def top_five(q: str) -> list[Key]:
    from search.engine.searching import search_paragraphs

    hits = search_paragraphs(q, per_page=TOP)["hits"]
    return [(h["resolution"], h["language"], h["anchor"]) for h in hits]


def run_set(queries: list[Query]) -> list[Outcome]:
    return [Outcome(query, top_five(query.q)) for query in queries]


def format_outcomes(outcomes: list[Outcome]) -> str:
    lines = []
    for o in outcomes:
        hit = "yes" if o.hit else "NO"
        lines.append(f"{o.query.q}  hit@5 {hit}  P@5 {o.precision:.1f} (best {o.best:.1f})")
        for rank, key in enumerate(o.top, 1):
            mark = "*" if key in o.query.expected else "+" if key in o.query.relevant else " "
            lines.append(f"  {rank} {mark} {' '.join(key)}")
    hits = sum(o.hit for o in outcomes)
    mean = sum(o.precision for o in outcomes) / len(outcomes) if outcomes else 0.0
    lines.append("")
    lines.append("* expected, + relevant")
    best = sum(o.best for o in outcomes) / len(outcomes) if outcomes else 0.0
    lines.append(
        f"queries: {len(outcomes)}  hit@5: {hits}/{len(outcomes)}  mean P@5: {mean:.2f}  (best {best:.2f})"
    )
    return "\n".join(lines)


def time_queries(queries: list[Query], rounds: int) -> list[float]:
    """Return the milliseconds of each search of the set, `rounds` times over (a page of
    20 hits with its facets and totals, as the results page asks)."""
    from search.engine.searching import search_paragraphs

    times = []
    for _ in range(rounds):
        for query in queries:
            started = time.perf_counter()
            search_paragraphs(query.q)
            times.append((time.perf_counter() - started) * 1000)
    return times


def format_times(times: list[float]) -> str:
    ordered = sorted(times)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    return (
        f"search over this corpus: {len(times)} searches, p50 {at(0.5):.1f} ms, p95 {at(0.95):.1f} ms, "
        f"max {ordered[-1]:.1f} ms"
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=SET, help="the relevance set (TOML)")
    parser.add_argument("--rounds", type=int, default=20, help="times each query is run for the timing")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "search.settings")
    import django

    django.setup()
    queries = load_set(args.set)
    print(format_outcomes(run_set(queries)))
    print(format_times(time_queries(queries, args.rounds)))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
