"""Measure search quality against a plain BM25 baseline, on pooled judgments (issue 20).

`python -m bench.relevance_pool --pool` runs every query of relevance_pool.toml on the
site (search_paragraphs, top 20) and on the baseline (bench.baseline, top 20) and writes,
per query, the union of both lists shuffled with a fixed seed to bench/pools/NN.toml:
each paragraph's key, its document's title and its text, never which system found it.
Judges read those files and write bench/judgments.toml: per query a one-line reason and
the grade of each paragraph that answers it (2 what an analyst wants first, 1 an answer;
every other paragraph of the pool is judged 0).

`python -m bench.relevance_pool` prints, per query and per kind of query, for the site
and the baseline side by side: P@10 (share of the first ten graded 1 or 2), nDCG@10
(gain 2^grade - 1, ideal from all the query's grades), whether nothing was found, and
the distinct wordings in the top ten (a paragraph with the same normalised text as a
higher one, or a SharedWording pair with it, is not a new wording). P@10 and nDCG@10 are over the judged
queries only; a top-ten paragraph outside the query's pool is unjudged (counted 0, and
said). bench.relevance has no substring oracle, so there is no literal recall here.
Everything but `main` and the functions that query the site or the database is a plain
function of its inputs.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "relevance_pool.toml"
JUDGMENTS = HERE / "judgments.toml"
POOLS = HERE / "pools"
SEED = 20
DEPTH = 20  # each system's hits pooled
CUT = 10  # the metrics' depth
KINDS = ("keyword", "phrase", "question", "chinese", "symbol")

Key = tuple[str, str, str]  # (resolution key, language, anchor)


@dataclass(frozen=True)
class PoolQuery:
    number: int
    q: str
    kind: str


@dataclass(frozen=True)
class Judgment:
    reason: str
    grades: dict[Key, int]  # the pool's paragraphs that answer; any other is 0


@dataclass(frozen=True)
class Figures:
    found: bool
    precision: float
    ndcg: float
    distinct: int
    unjudged: int
    # The same, counting each wording once: a repeat of a wording ranked higher gains
    # nothing, and the ideal is the judged wordings' (see `wording_figures`).
    wording_precision: float = 0.0
    wording_ndcg: float = 0.0
    ceiling: float = 0.0  # the best wording P@10 there is: judged relevant wordings, up to ten


def key_of(text: str) -> Key:
    key, language, anchor = text.split()
    return key, language, anchor


def key_text(key: Key) -> str:
    return " ".join(key)


def load_queries(path: Path = QUERIES) -> list[PoolQuery]:
    with open(path, "rb") as f:
        entries = tomllib.load(f)["query"]
    return [PoolQuery(n, e["q"], e["kind"]) for n, e in enumerate(entries, 1)]


def load_judgments(path: Path = JUDGMENTS) -> dict[str, Judgment]:
    """The judged queries by their text."""
    if not path.exists():
        return {}
    with open(path, "rb") as f:
        entries = tomllib.load(f).get("judged", [])
    judged = {}
    for e in entries:
        judged[e["q"]] = Judgment(e["reason"], {key_of(k): int(g) for k, g in e.get("grades", {}).items()})
    return judged


# --- pooling -------------------------------------------------------------------


def pooled(q: str, *rankings: list[Key], seed: int = SEED) -> list[Key]:
    """The union of the rankings, in an order that says nothing of where each came from."""
    union = sorted({key for ranking in rankings for key in ranking})
    random.Random(f"{seed}:{q}").shuffle(union)
    return union


def pool_file(query: PoolQuery, pool: list[Key], paragraphs: dict[Key, tuple[str, str]]) -> str:
    """A pool as TOML: the query and, per paragraph, its key, its document's title and text."""
    lines = [
        f"q = {_toml(query.q)}",
        f'kind = "{query.kind}"',
        "",
    ]
    for key in pool:
        title, text = paragraphs[key]
        lines += ["[[paragraph]]", f"key = {_toml(key_text(key))}", f"title = {_toml(title)}"]
        lines += [f"text = {_toml(text)}", ""]
    return "\n".join(lines)


def _toml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


def load_pool(path: Path) -> list[Key]:
    with open(path, "rb") as f:
        return [key_of(p["key"]) for p in tomllib.load(f).get("paragraph", [])]


def pool_path(query: PoolQuery, pools: Path = POOLS) -> Path:
    return pools / f"{query.number:02d}.toml"


# --- figures -------------------------------------------------------------------


def precision_at(ranking: list[Key], grades: dict[Key, int], cut: int = CUT) -> float:
    return sum(grades.get(key, 0) > 0 for key in ranking[:cut]) / cut


def ndcg_at(ranking: list[Key], grades: dict[Key, int], cut: int = CUT) -> float:
    """nDCG with gain 2^grade - 1; 0 when nothing is relevant."""
    return ndcg_against(ranking, grades, grades, cut)


def ndcg_against(ranking: list[Key], gains: dict[Key, int], ideal: dict[Key, int], cut: int = CUT) -> float:
    """nDCG of the ranking's gains against the best ordering of `ideal`'s."""

    def dcg(values: list[int]) -> float:
        return sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(values[:cut]))

    best = dcg(sorted(ideal.values(), reverse=True))
    return dcg([gains.get(key, 0) for key in ranking]) / best if best else 0.0


def distinct_wordings(
    ranking: list[Key], texts: dict[Key, str], shared: set[frozenset[Key]], cut: int = CUT
) -> int:
    """How many wordings the first `cut` paragraphs hold (see `new_wordings`)."""
    return sum(new_wordings(ranking[:cut], texts, shared))


def new_wordings(ranking: list[Key], texts: dict[Key, str], shared: set[frozenset[Key]]) -> list[bool]:
    """Read in rank order, whether each paragraph is a new wording: not the same normalised
    text as a wording already counted, nor sharing wording with it (a SharedWording pair),
    as a page showing each wording once would fold it under that hit. Not transitive: a
    chain of near matches can drift."""
    counted: list[Key] = []
    flags = []
    for key in ranking:
        wording = _wording(texts[key])
        new = not any(_wording(texts[c]) == wording or frozenset((c, key)) in shared for c in counted)
        if new:
            counted.append(key)
        flags.append(new)
    return flags


def wording_figures(
    ranking: list[Key], grades: dict[Key, int], texts: dict[Key, str], shared: set[frozenset[Key]]
) -> tuple[float, float, float]:
    """P@10 and nDCG@10 counting each wording once, and the best such P@10 there is.

    A paragraph repeating a wording ranked above it gains nothing (the reader has read
    it); the ideal ranking is the judged paragraphs, best first, each wording once.
    """
    top = ranking[:CUT]
    kept = {
        key: grades.get(key, 0) for key, new in zip(top, new_wordings(top, texts, shared), strict=True) if new
    }
    gains = {key: kept.get(key, 0) for key in top}
    judged = sorted((k for k, g in grades.items() if g > 0), key=lambda k: (-grades[k], k))
    ideal = {k: grades[k] for k, new in zip(judged, new_wordings(judged, texts, shared), strict=True) if new}
    precision = precision_at(top, gains)
    ceiling = min(CUT, len(ideal)) / CUT
    return precision, ndcg_against(top, gains, ideal), ceiling


def _wording(text: str) -> str:
    return " ".join(text.casefold().split())


def figures(
    ranking: list[Key],
    judgment: Judgment | None,
    pool: set[Key],
    texts: dict[Key, str],
    shared: set[frozenset[Key]],
) -> Figures:
    grades = judgment.grades if judgment else {}
    once = wording_figures(ranking, grades, texts, shared)
    return Figures(
        found=bool(ranking),
        precision=precision_at(ranking, grades),
        ndcg=ndcg_at(ranking, grades),
        distinct=distinct_wordings(ranking, texts, shared),
        unjudged=sum(key not in pool for key in ranking[:CUT]) if judgment else 0,
        wording_precision=once[0],
        wording_ndcg=once[1],
        ceiling=once[2],
    )


def agreement(first: dict[str, Judgment], second: dict[str, Judgment], pools: dict[str, list[Key]]) -> dict:
    """How far two judges agree on the paragraphs of the pools both judged: the share of
    equal grades and Cohen's kappa, on the grades 0/1/2 and on relevant or not."""
    pairs = [
        (first[q].grades.get(key, 0), second[q].grades.get(key, 0))
        for q, pool in pools.items()
        if q in first and q in second
        for key in pool
    ]
    binary = [(a > 0, b > 0) for a, b in pairs]
    return {
        "queries": sum(q in first and q in second for q in pools),
        "paragraphs": len(pairs),
        "equal": _share(a == b for a, b in pairs),
        "kappa": cohen_kappa(pairs),
        "equal_relevant": _share(a == b for a, b in binary),
        "kappa_relevant": cohen_kappa(binary),
    }


def _share(flags) -> float:
    flags = list(flags)
    return sum(flags) / len(flags) if flags else float("nan")


def cohen_kappa(pairs: list[tuple]) -> float:
    """Agreement beyond chance: (observed - expected) / (1 - expected)."""
    if not pairs:
        return float("nan")
    observed = _share(a == b for a, b in pairs)
    labels = {label for pair in pairs for label in pair}
    n = len(pairs)
    expected = sum(
        (sum(a == label for a, _ in pairs) / n) * (sum(b == label for _, b in pairs) / n) for label in labels
    )
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


@dataclass(frozen=True)
class Row:
    query: PoolQuery
    judged: bool
    site: Figures
    baseline: Figures


def summary(rows: list[Row]) -> dict[str, float]:
    """Means over rows: P@10 and nDCG@10 over the judged ones, the rest over all."""
    judged = [r for r in rows if r.judged]

    def mean(values) -> float:
        values = list(values)
        return sum(values) / len(values) if values else float("nan")

    return {
        "queries": len(rows),
        "judged": len(judged),
        "site_p10": mean(r.site.precision for r in judged),
        "base_p10": mean(r.baseline.precision for r in judged),
        "site_ndcg": mean(r.site.ndcg for r in judged),
        "base_ndcg": mean(r.baseline.ndcg for r in judged),
        "site_empty": sum(not r.site.found for r in rows),
        "base_empty": sum(not r.baseline.found for r in rows),
        "site_distinct": mean(r.site.distinct for r in rows if r.site.found),
        "base_distinct": mean(r.baseline.distinct for r in rows if r.baseline.found),
        "site_wp10": mean(r.site.wording_precision for r in judged),
        "base_wp10": mean(r.baseline.wording_precision for r in judged),
        "site_wndcg": mean(r.site.wording_ndcg for r in judged),
        "base_wndcg": mean(r.baseline.wording_ndcg for r in judged),
        "ceiling": mean(r.site.ceiling for r in judged),
    }


def format_rows(rows: list[Row]) -> str:
    head = f"{'kind':8} {'query':52} | site P@10 nDCG dist | base P@10 nDCG dist"
    lines = [head, "-" * len(head)]
    for r in rows:
        query = f"{r.query.kind:8} {_cut(r.query.q, 52):52}"
        lines.append(f"{query} | {_cells(r, r.site)} | {_cells(r, r.baseline)}")
    lines.append("")
    lines.append("per kind: P@10, nDCG@10 over the judged queries; empty: queries with no hit;")
    lines.append("dist: mean distinct wordings in the top 10 of the queries with hits")
    head = f"{'kind':8} {'n':>3} {'judged':>6} | site P@10 nDCG empty dist | base P@10 nDCG empty dist"
    lines += [head, "-" * len(head)]
    for kind in (*KINDS, "all"):
        chosen = [r for r in rows if kind in ("all", r.query.kind)]
        if not chosen:
            continue
        s = summary(chosen)
        lines.append(f"{kind:8} {s['queries']:3d} {s['judged']:6d} | {_side(s, 'site')} | {_side(s, 'base')}")
    lines += ["", "counting each wording once (a repeat of a wording ranked above gains nothing; the ideal"]
    lines.append(
        "is the judged wordings'); best: the highest such P@10 there is, ten relevant wordings or fewer"
    )
    head = f"{'kind':8} {'best':>4} | site P@10 nDCG | base P@10 nDCG"
    lines += [head, "-" * len(head)]
    for kind in (*KINDS, "all"):
        chosen = [r for r in rows if kind in ("all", r.query.kind)]
        if chosen:
            s = summary(chosen)
            site, base = (f"     {s[f'{x}_wp10']:.2f} {s[f'{x}_wndcg']:.2f}" for x in ("site", "base"))
            lines.append(f"{kind:8} {s['ceiling']:.2f} | {site} | {base}")
    return "\n".join(lines)


def _side(s: dict[str, float], side: str) -> str:
    distinct = s[f"{side}_distinct"]
    shown = "   -" if math.isnan(distinct) else f"{distinct:4.1f}"
    return f"     {s[f'{side}_p10']:.2f} {s[f'{side}_ndcg']:.2f} {s[f'{side}_empty']:5d} {shown}"


def _cells(row: Row, f: Figures) -> str:
    if not f.found:
        return "  (nothing found)   "
    unjudged = f" ({f.unjudged} unjudged)" if f.unjudged else ""
    if not row.judged:
        return f"        -    - {f.distinct:4d}"
    return f"     {f.precision:.2f} {f.ndcg:.2f} {f.distinct:4d}{unjudged}"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# --- the site and the database -------------------------------------------------


def site_top(q: str) -> list[Key]:
    from search.engine.searching import search_paragraphs

    hits = search_paragraphs(q, per_page=DEPTH)["hits"]
    return [(h["resolution"], h["language"], h["anchor"]) for h in hits]


def paragraphs_of(keys: set[Key]) -> dict[Key, tuple[int, str, str]]:
    """Each paragraph's id, its document's title and its text."""
    from search.models import Paragraph

    wanted = {k[0] for k in keys}
    rows = Paragraph.objects.filter(version__resolution__key__in=wanted).values_list(
        "id", "version__resolution__key", "version__language", "anchor", "version__title", "text"
    )
    return {(r, lang, a): (pid, title, text) for pid, r, lang, a, title, text in rows if (r, lang, a) in keys}


def shared_pairs(found: dict[Key, tuple[int, str, str]]) -> set[frozenset[Key]]:
    from search.models import SharedWording

    by_id = {pid: key for key, (pid, _, _) in found.items()}
    partners = SharedWording.objects.partners(by_id)
    return {
        frozenset((by_id[a], by_id[b])) for a, bs in partners.items() for b in bs if {a, b} <= by_id.keys()
    }


def rankings(queries: list[PoolQuery]) -> dict[int, tuple[list[Key], list[Key]]]:
    from bench.baseline import Baseline

    baseline = Baseline.from_database()
    return {query.number: (site_top(query.q), baseline.search(query.q, DEPTH)) for query in queries}


def write_pools(queries: list[PoolQuery], pools: Path = POOLS) -> None:
    ranked = rankings(queries)
    found = paragraphs_of({key for pair in ranked.values() for ranking in pair for key in ranking})
    pools.mkdir(exist_ok=True)
    for query in queries:
        pool = pooled(query.q, *ranked[query.number])
        paragraphs = {key: found[key][1:] for key in pool}
        pool_path(query, pools).write_text(pool_file(query, pool, paragraphs) + "\n", encoding="utf-8")
        print(f"{pool_path(query, pools).name}: {len(pool):2d} paragraphs  {query.q}")


def measure(queries: list[PoolQuery], judgments: dict[str, Judgment], pools: Path = POOLS) -> list[Row]:
    ranked = rankings(queries)
    judged = {key for judgment in judgments.values() for key in judgment.grades}
    found = paragraphs_of({key for pair in ranked.values() for ranking in pair for key in ranking} | judged)
    texts = {key: text for key, (_, _, text) in found.items()}
    shared = shared_pairs(found)
    rows = []
    for query in queries:
        path = pool_path(query, pools)
        pool = set(load_pool(path)) if path.exists() else set()
        judgment = judgments.get(query.q)
        site, base = ranked[query.number]
        rows.append(
            Row(
                query,
                judgment is not None,
                figures(site, judgment, pool, texts, shared),
                figures(base, judgment, pool, texts, shared),
            )
        )
    return rows


def format_agreement(first: Path, second: Path) -> str:
    queries = load_queries()
    pools = {q.q: load_pool(pool_path(q)) for q in queries if pool_path(q).exists()}
    a = agreement(load_judgments(first), load_judgments(second), pools)
    return (
        f"{a['queries']} queries judged by both, {a['paragraphs']} pooled paragraphs: "
        f"grades 0/1/2 equal {a['equal']:.0%} (Cohen's kappa {a['kappa']:.2f}); "
        f"relevant or not equal {a['equal_relevant']:.0%} (kappa {a['kappa_relevant']:.2f})"
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pool", action="store_true", help="write the blind pools to bench/pools/")
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--judgments", type=Path, default=JUDGMENTS)
    parser.add_argument("--agreement", type=Path, help="a second judge's judgments: how far the two agree")
    args = parser.parse_args(argv)
    if args.agreement:
        print(format_agreement(args.judgments, args.agreement))
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "search.settings")
    import django

    django.setup()
    queries = load_queries(args.queries)
    if args.pool:
        write_pools(queries)
    else:
        print(format_rows(measure(queries, load_judgments(args.judgments))))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
