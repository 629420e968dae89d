"""Benchmark search on a large corpus recombined from the real one (issue 3).

`run_benchmark` runs each phase in a fresh process (`python -m bench.benchmark PHASE`)
whose DATABASE_PATH and INDEX_DIR point into a work folder: the development database
and index are never touched, and each phase's peak memory is its own.

1. generate: migrate, load corpus/, then add synthetic resolutions whose paragraphs
   recombine real clauses of the same language and paragraph kind, so paragraph
   lengths and term frequencies stay those of the real corpus.
2. rebuild: `rebuild_index()`, timed; index size and peak memory.
3. queries: a fixed query mix through `search_paragraphs` (what the API calls: snippets,
   facets and total included), after warm-up; then 100-paragraph uploads through
   `ingest`, timed until `search_paragraphs` finds them.
4. baseline: the same paragraphs and queries with jieba's stock ChineseAnalyzer and
   Whoosh defaults.

The generator and the report are plain functions of their inputs.
"""

from __future__ import annotations

import json
import math
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RESULT_PREFIX = "BENCH-RESULT "

# (category, query). Rare words occur in 1-4 of the real corpus's 752 paragraphs.
QUERY_MIX = [
    ("common word", "会员国"),
    ("two common words", "会员国 贩运人口"),
    ("phrase", '"打击贩运人口"'),
    ("rare words", "医学协会"),
    ("rare words", "移植旅游"),
    ("rare words", "refugees"),
    ("English", "trafficking in persons"),
    ("English", "traffickers"),  # stemmed: meets trafficking, trafficked
    ("symbol", "71/322"),
    ("filter", "lang:en kind:operative year:2017 trafficking"),
]
CATEGORIES = list(dict.fromkeys(category for category, _ in QUERY_MIX))

# Issue 3's targets: (corpus size, p50 ms, p95 ms, rebuild s, upload s, serving MB, rebuild MB).
TARGETS = {
    100_000: {"p50": 20, "p95": 100, "rebuild": 180, "upload": 2},
    1_000_000: {"p95": 500, "upload": 2, "serving_mb": 400, "rebuild_mb": 2048},
}

# --- the generator (pure) ---------------------------------------------------

ZH_CLAUSE = re.compile(r"[^，；。：！？]+[，；。：！？]*")
EN_BREAK = re.compile(r"(?<=[,;:])\s+|(?<=\.)\s+(?=[A-Z(])")
KIND_LABELS = {
    "preambular": ("pp{}", "PP {}", "序言部分第{}段"),
    "operative": ("op{}", "OP {}", "执行部分第{}段"),
    "annex": ("annex-{}", "annex, para. {}", "附件第{}段"),
}


def split_clauses(text: str, language: str) -> list[str]:
    """Split a paragraph into clauses, each keeping its closing punctuation."""
    if language == "zh":
        return [c for c in ZH_CLAUSE.findall(text) if c.strip()]
    return [c for c in EN_BREAK.split(text) if c.strip()]


@dataclass
class Pool:
    """Clauses of real paragraphs of one language and kind."""

    openers: list[str] = field(default_factory=list)
    middles: list[str] = field(default_factory=list)
    closers: list[str] = field(default_factory=list)
    singles: list[str] = field(default_factory=list)  # paragraphs of one clause
    shapes: list[int] = field(default_factory=list)  # clause counts of real paragraphs


def build_pools(paragraphs) -> dict[tuple[str, str], Pool]:
    """Return clause pools by (language, kind) from (language, kind, text) triples."""
    pools: dict[tuple[str, str], Pool] = {}
    for language, kind, text in paragraphs:
        if kind not in KIND_LABELS:
            continue
        pool = pools.setdefault((language, kind), Pool())
        clauses = split_clauses(text, language)
        pool.shapes.append(len(clauses))
        if len(clauses) == 1:
            pool.singles.append(clauses[0])
            continue
        pool.openers.append(clauses[0])
        pool.middles.extend(clauses[1:-1])
        pool.closers.append(clauses[-1])
    # A kind with few middle clauses (the annex in Chinese) borrows its language's.
    for (language, _), pool in pools.items():
        if len(pool.middles) < 50:
            pool.middles = [c for (lang, _), p in pools.items() if lang == language for c in p.middles]
        if not pool.openers:
            pool.openers = pool.singles
            pool.closers = pool.singles
        if not pool.singles:
            pool.singles = pool.closers
    return pools


def make_paragraph(rng: random.Random, pool: Pool, language: str) -> str:
    """Return a paragraph shaped like a real one: opener, middles, closer."""
    clauses = rng.choice(pool.shapes)
    if clauses == 1:
        return rng.choice(pool.singles)
    parts = [rng.choice(pool.openers)]
    parts += [rng.choice(pool.middles) for _ in range(clauses - 2)] if pool.middles else []
    parts.append(rng.choice(pool.closers))
    return ("" if language == "zh" else " ").join(p.strip() if language == "en" else p for p in parts)


def paragraph_layout(rng: random.Random, n: int, annex: bool) -> list[tuple[str, str, str, str]]:
    """Return (kind, anchor, label, label_zh) for a resolution of n paragraphs."""
    n_annex = max(1, round(n * rng.uniform(0.2, 0.5))) if annex and n > 3 else 0
    rest = n - n_annex
    n_pre = max(1, round(rest * rng.uniform(0.3, 0.55))) if rest > 1 else 0
    layout = []
    for kind, count in (("preambular", n_pre), ("operative", rest - n_pre), ("annex", n_annex)):
        anchor, label, label_zh = KIND_LABELS[kind]
        layout += [(kind, anchor.format(i), label.format(i), label_zh.format(i)) for i in range(1, count + 1)]
    return layout


class Symbols:
    """Hand out unused realistic symbols: A/RES/<session>/<n> and E/RES/<year>/<n>."""

    def __init__(self, rng: random.Random, taken):
        taken = {s.upper() for s in taken if s}
        self.ga = [(s, n) for s in range(45, 80) for n in range(1, 401) if f"A/RES/{s}/{n}" not in taken]
        self.ecosoc = [
            (y, n) for y in range(1990, 2025) for n in range(1, 81) if f"E/RES/{y}/{n}" not in taken
        ]
        rng.shuffle(self.ga)
        rng.shuffle(self.ecosoc)
        self.rng = rng

    def next(self) -> dict:
        rng = self.rng
        if self.ga and (rng.random() < 0.8 or not self.ecosoc):
            session, n = self.ga.pop()
            # A session opens in September: most resolutions are adopted in December.
            year = 1945 + session + (rng.random() < 0.25)
            month = 12 if year == 1945 + session else rng.randint(1, 9)
            return {
                "symbol": f"A/RES/{session}/{n}",
                "body": "GA",
                "session": str(session),
                "adopted_on": f"{year}-{month:02d}-{rng.randint(1, 28):02d}",
            }
        if not self.ecosoc:
            raise ValueError("ran out of symbols: the corpus is too large for the generator")
        year, n = self.ecosoc.pop()
        return {
            "symbol": f"E/RES/{year}/{n}",
            "body": "ECOSOC",
            "session": f"{year} substantive",
            "adopted_on": f"{year}-07-{rng.randint(1, 28):02d}",
        }


def plan_resolutions(rng: random.Random, paragraphs: int) -> list[tuple[int, int, bool]]:
    """Split a number of paragraphs into resolutions: (zh count, en count, has annex)."""
    plan = []
    left = paragraphs
    while left > 0:
        n = rng.randint(20, 80)
        zh, en = (n, n) if 2 * n <= left else (math.ceil(left / 2), left // 2)
        plan.append((zh, en, rng.random() < 0.15))
        left -= zh + en
    return plan


# --- measuring (pure helpers) -----------------------------------------------


def percentile(values, p: float) -> float:
    """Return the p-th percentile (nearest rank) of values."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def latency(values) -> dict:
    return {f"p{p}": percentile(values, p) for p in (50, 95, 99)}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


# --- phases (each runs in its own process, Django set up on the work folder) -


def phase_generate(paragraphs: int, seed: int) -> dict:
    import io
    from unittest import mock

    from django.core.management import call_command
    from django.db import transaction

    from search.models import Paragraph, Resolution, Text

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    # The rebuild that follows indexes everything: loading need not index as it goes.
    with mock.patch("search.ingest.store.index_versions", lambda ids: None):
        call_command("load_corpus", stdout=io.StringIO())
    real = list(Paragraph.objects.values_list("version__language", "kind", "text"))
    titles = {lang: [] for lang in ("zh", "en")}
    for lang, title, doc_type in Text.objects.values_list("language", "title", "resolution__doc_type"):
        if title and doc_type != "report":
            titles[lang].append(title)
    pools = build_pools(real)
    rng = random.Random(seed)
    symbols = Symbols(rng, Resolution.objects.values_list("symbol", flat=True))
    plan = plan_resolutions(rng, paragraphs - len(real))

    for start in range(0, len(plan), 200):
        with transaction.atomic():
            batch = plan[start : start + 200]
            metas = [symbols.next() for _ in batch]
            resolutions = Resolution.objects.bulk_create(
                Resolution(
                    key=m["symbol"],
                    symbol=m["symbol"],
                    doc_type="resolution",
                    body=m["body"],
                    session=m["session"],
                    agenda_item=str(rng.randint(1, 140)),
                    adopted_on=m["adopted_on"],
                )
                for m in metas
            )
            texts, counts = [], []
            for resolution, (zh, en, annex) in zip(resolutions, batch):
                layout = paragraph_layout(rng, max(zh, en), annex)
                for language, count in (("zh", zh), ("en", en)):
                    if count:
                        texts.append(
                            Text(resolution=resolution, language=language, title=rng.choice(titles[language]))
                        )
                        counts.append(layout[:count])
            texts = Text.objects.bulk_create(texts)
            rows = [
                Paragraph(
                    version=text,
                    order=order,
                    anchor=anchor,
                    kind=kind,
                    label=label,
                    label_zh=label_zh,
                    number=str(order),
                    text=make_paragraph(rng, pools[(text.language, kind)], text.language),
                )
                for text, layout in zip(texts, counts)
                for order, (kind, anchor, label, label_zh) in enumerate(layout, 1)
            ]
            Paragraph.objects.bulk_create(rows, batch_size=2000)
        _progress(f"generated {min(start + 200, len(plan)):,} of {len(plan):,} resolutions")

    return {
        "paragraphs": Paragraph.objects.count(),
        "zh": Paragraph.objects.filter(version__language="zh").count(),
        "en": Paragraph.objects.filter(version__language="en").count(),
        "resolutions": Resolution.objects.count(),
        "real_paragraphs": len(real),
        "seconds": time.perf_counter() - started,
    }


def phase_rebuild() -> dict:
    from search.engine.index import index_root, rebuild_index

    started = time.perf_counter()
    count = rebuild_index()
    seconds = time.perf_counter() - started
    return {
        "paragraphs": count,
        "seconds": seconds,
        "rate": count / seconds,
        "size_bytes": folder_size((index_root() / "current").resolve()),
        # The rebuild writes with several processes: count the largest of them too.
        "peak_mb": max(peak_rss_mb(), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
    }


def _time_mix(search, queries: int, warmup: int) -> dict:
    """Run the mix round-robin `queries` times after `warmup` rounds; per-query ms."""
    for _ in range(warmup):
        for _, q in QUERY_MIX:
            search(q)
    timings = {q: [] for _, q in QUERY_MIX}
    for i in range(queries):
        q = QUERY_MIX[i % len(QUERY_MIX)][1]
        started = time.perf_counter()
        search(q)
        timings[q].append((time.perf_counter() - started) * 1000)
    return timings


def phase_queries(queries: int, warmup: int) -> dict:
    from search.engine.query import search_paragraphs

    started = time.perf_counter()
    first = search_paragraphs(QUERY_MIX[0][1])  # opens the searcher, loads jieba
    cold_ms = (time.perf_counter() - started) * 1000
    if not first["hits"]:
        raise RuntimeError(f"{QUERY_MIX[0][1]} found nothing: the index is empty or broken")
    # First: each query as if never asked before (the per-process caches of decoded
    # postings and phrases emptied), three times over the mix.
    uncached = {q: [] for _, q in QUERY_MIX}
    for _ in range(3):
        for _, q in QUERY_MIX:
            clear_caches()
            started = time.perf_counter()
            search_paragraphs(q)
            uncached[q].append((time.perf_counter() - started) * 1000)
    timings = _time_mix(search_paragraphs, queries, warmup)
    totals = {q: search_paragraphs(q)["total"] for _, q in QUERY_MIX}
    serving_mb = peak_rss_mb()
    return {
        "cold_ms": cold_ms,
        "timings": timings,
        "uncached": uncached,
        "totals": totals,
        "peak_mb": serving_mb,
    }


def clear_caches() -> None:
    from search.engine import docsets, query

    for cache in (docsets.POSTINGS, query._PHRASES):
        with cache.lock:
            cache.items.clear()
            cache.used = 0


def phase_uploads(uploads: int) -> list[dict]:
    """Time uploads in a process whose searcher is open, as a web worker's is."""
    from search.engine.query import search_paragraphs

    search_paragraphs(QUERY_MIX[0][1])
    return [_upload(n) for n in range(uploads)]


def _upload(n: int) -> dict:
    """Ingest a new 100-paragraph Chinese text; time until search finds it."""
    from search.engine.query import search_paragraphs
    from search.ingest.store import ingest
    from search.models import Paragraph
    from search.parsing import ParsedDocument, ParsedParagraph

    real = Paragraph.objects.filter(version__source__isnull=False).values_list(
        "version__language", "kind", "text"
    )
    pools = build_pools(real)
    rng = random.Random(1000 + n)
    marker = f"benchupload{n}x{time.time_ns()}"
    paragraphs = []
    for order, (kind, anchor, label, label_zh) in enumerate(paragraph_layout(rng, 100, False), 1):
        text = make_paragraph(rng, pools[("zh", kind)], "zh")
        if order == 50:
            text += marker
        paragraphs.append(
            ParsedParagraph(anchor=anchor, kind=kind, label=label, label_zh=label_zh, text=text)
        )
    symbol = f"A/RES/80/{900 + n}"
    parsed = ParsedDocument(language="zh", title="基准上传", symbol=symbol, paragraphs=paragraphs)
    data = "\n\n".join(p.text for p in paragraphs).encode()

    started = time.perf_counter()
    ingest(parsed, data, f"bench-{n}.txt", key=symbol, symbol=symbol, language="zh", body="GA")
    stored = time.perf_counter()  # rows committed and index updated (on commit)
    while not search_paragraphs(marker)["total"]:
        if time.perf_counter() - started > 300:
            raise RuntimeError("an uploaded paragraph was not searchable after 300 s")
        time.sleep(0.01)
    found = time.perf_counter()
    return {"seconds": found - started, "ingest_seconds": stored - started}


def _baseline_index(workdir: Path) -> Path:
    return workdir / "baseline-index"


def phase_baseline_build(workdir: Path) -> dict:
    from jieba.analyse import ChineseAnalyzer  # only here: it loads tables we never use
    from whoosh import index as whoosh_index
    from whoosh.fields import TEXT, Schema

    from search.models import Paragraph

    path = _baseline_index(workdir)
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    started = time.perf_counter()
    ix = whoosh_index.create_in(str(path), Schema(content=TEXT(stored=True, analyzer=ChineseAnalyzer())))
    writer = ix.writer()
    count = 0
    for text in Paragraph.objects.order_by("pk").values_list("text", flat=True).iterator(chunk_size=2000):
        writer.add_document(content=text)
        count += 1
    writer.commit()
    seconds = time.perf_counter() - started
    return {
        "paragraphs": count,
        "seconds": seconds,
        "rate": count / seconds,
        "size_bytes": folder_size(path),
        "peak_mb": peak_rss_mb(),
    }


def phase_baseline_queries(workdir: Path, queries: int, warmup: int) -> dict:
    from jieba.analyse import ChineseAnalyzer  # noqa: F401 - unpickling the schema needs it
    from whoosh import index as whoosh_index
    from whoosh.qparser import QueryParser

    started = time.perf_counter()
    ix = whoosh_index.open_dir(str(_baseline_index(workdir)))
    searcher = ix.searcher()
    parser = QueryParser("content", ix.schema)

    def search(q):
        results = searcher.search(parser.parse(q), limit=10)
        for hit in results:
            hit.highlights("content")
        return results

    search(QUERY_MIX[0][1])
    cold_ms = (time.perf_counter() - started) * 1000
    timings = _time_mix(search, queries, warmup)
    totals = {q: len(search(q)) for _, q in QUERY_MIX}
    return {"cold_ms": cold_ms, "timings": timings, "totals": totals, "peak_mb": peak_rss_mb()}


def phase_profile(query: str, runs: int) -> dict:
    """Profile search_paragraphs(query) after a warm-up; print the top of the profile."""
    import cProfile
    import pstats

    from search.engine.query import search_paragraphs

    search_paragraphs(query)
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(runs):
        search_paragraphs(query)
    profile.disable()
    stats = pstats.Stats(profile, stream=sys.stderr).strip_dirs()
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(20)
    return {"runs": runs}


# --- driving the phases -----------------------------------------------------


def _progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def _run_phase(workdir: Path, phase: str, *args: str) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="search.settings",
        DATABASE_PATH=str(workdir / "bench.sqlite3"),
        INDEX_DIR=str(workdir / "index"),
    )
    proc = subprocess.run(
        [sys.executable, "-m", "bench.benchmark", phase, "--workdir", str(workdir), *args],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if proc.returncode or not lines:
        raise RuntimeError(f"benchmark phase {phase} failed (exit {proc.returncode})")
    return json.loads(lines[-1][len(RESULT_PREFIX) :])


def run_benchmark(
    paragraphs: int,
    queries: int = 300,
    baseline: bool = True,
    workdir: Path | None = None,
    warmup: int = 2,
    uploads: int = 3,
    seed: int = 0,
) -> dict:
    """Run every phase in its own process and return the measurements."""
    temporary = workdir is None
    workdir = Path(workdir or tempfile.mkdtemp(prefix="un-search-bench-")).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    for stale in ("bench.sqlite3", "bench.sqlite3-wal", "bench.sqlite3-shm", "index"):
        path = workdir / stale
        shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
    try:
        result = {
            "paragraphs_asked": paragraphs,
            "queries_timed": queries,
            "warmup": warmup,
            "workdir": str(workdir),
        }
        _progress(f"generating {paragraphs:,} paragraphs in {workdir}")
        result["corpus"] = _run_phase(
            workdir, "generate", "--paragraphs", str(paragraphs), "--seed", str(seed)
        )
        _progress("rebuilding the index")
        result["rebuild"] = _run_phase(workdir, "rebuild")
        _progress(f"{result['rebuild']['rate']:.0f} paragraphs/s; running {queries} queries")
        result["queries"] = _run_phase(workdir, "queries", "--queries", str(queries), "--warmup", str(warmup))
        if baseline:
            _progress("baseline: building with jieba's ChineseAnalyzer and Whoosh defaults")
            result["baseline_rebuild"] = _run_phase(workdir, "baseline-build")
            _progress("baseline: running the queries")
            result["baseline_queries"] = _run_phase(
                workdir, "baseline-queries", "--queries", str(queries), "--warmup", str(warmup)
            )
        # Last, so that every index above holds the same paragraphs.
        _progress(f"timing {uploads} uploads of 100 paragraphs")
        result["uploads"] = _run_phase(workdir, "uploads", "--uploads", str(uploads))
        return result
    finally:
        if temporary:
            shutil.rmtree(workdir, ignore_errors=True)


# --- the report (pure) ------------------------------------------------------


def _by_category(timings: dict) -> dict[str, list[float]]:
    out = {c: [] for c in CATEGORIES}
    for category, q in QUERY_MIX:
        out[category] += timings[q]
    return out


def _num(value: float) -> str:
    if value is None or value != value:
        return "-"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _pad(text: str, width: int) -> str:
    """Left-justify text to a terminal width: a Chinese character takes two columns."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - columns)


def _ratio(ours, base) -> str:
    return f"{ours / base:.2f}x" if ours is not None and base else "-"


def target_row(paragraphs: int) -> int:
    """Return the corpus size of issue 3's target row that applies."""
    return 1_000_000 if paragraphs > 300_000 else 100_000


def summarize(result: dict) -> dict:
    """Return the headline figures, ours and baseline's, by name."""
    q = result["queries"]
    every = [ms for values in q["timings"].values() for ms in values]
    uploads = [u["seconds"] for u in result["uploads"]]
    figures = {
        "paragraphs": result["corpus"]["paragraphs"],
        "rebuild_rate": result["rebuild"]["rate"],
        "rebuild_s": result["rebuild"]["seconds"],
        "index_mb": result["rebuild"]["size_bytes"] / 2**20,
        "rebuild_mb": result["rebuild"]["peak_mb"],
        "serving_mb": q["peak_mb"],
        "cold_ms": q["cold_ms"],
        **latency(every),
        "upload_s": max(uploads) if uploads else None,
        "upload_median_s": statistics.median(uploads) if uploads else None,
        "categories": {c: latency(v) for c, v in _by_category(q["timings"]).items()},
    }
    if q.get("uncached"):
        every_uncached = [ms for values in q["uncached"].values() for ms in values]
        figures["uncached"] = latency(every_uncached)
        figures["uncached_categories"] = {c: latency(v) for c, v in _by_category(q["uncached"]).items()}
    if "baseline_queries" in result:
        b, br = result["baseline_queries"], result["baseline_rebuild"]
        every = [ms for values in b["timings"].values() for ms in values]
        figures["baseline"] = {
            "rebuild_rate": br["rate"],
            "rebuild_s": br["seconds"],
            "index_mb": br["size_bytes"] / 2**20,
            "rebuild_mb": br["peak_mb"],
            "serving_mb": b["peak_mb"],
            "cold_ms": b["cold_ms"],
            **latency(every),
            "categories": {c: latency(v) for c, v in _by_category(b["timings"]).items()},
        }
    return figures


def targets(figures: dict) -> list[tuple[str, str, float, bool]]:
    """Return (name, target, measured, met) for issue 3's row that applies."""
    row = TARGETS[target_row(figures["paragraphs"])]
    checks = [
        ("query p50", "p50", "ms", "p50"),
        ("query p95", "p95", "ms", "p95"),
        ("full rebuild", "rebuild", "s", "rebuild_s"),
        ("100-paragraph upload searchable", "upload", "s", "upload_s"),
        ("serving peak RSS", "serving_mb", "MB", "serving_mb"),
        ("rebuild peak RSS", "rebuild_mb", "MB", "rebuild_mb"),
    ]
    out = []
    for name, key, unit, measured in checks:
        if key in row:
            value = figures[measured]
            out.append((name, f"<= {row[key]:,} {unit}", value, value is not None and value <= row[key]))
    return out


def format_report(result: dict) -> str:
    """Return the benchmark's report as text: one figure per line, ours against the baseline."""
    figures = summarize(result)
    corpus = result["corpus"]
    base = figures.get("baseline", {})
    q = result["queries"]
    lines = [
        f"corpus: {corpus['paragraphs']:,} paragraphs (zh {corpus['zh']:,}, en {corpus['en']:,}) "
        f"in {corpus['resolutions']:,} resolutions, recombined from {corpus['real_paragraphs']:,} real ones "
        f"(generated in {corpus['seconds']:.1f} s)",
        f"queries: {result['queries_timed']} timed, round-robin over the mix, after {result['warmup']} warm-up rounds of the mix; ours through search_paragraphs "
        "(page 1 of 20 hits, snippets, facets, total), baseline QueryParser top 10 + hit.highlights",
        "",
        f"{'figure':<36}{'ours':>12}{'baseline':>12}{'ours/base':>11}",
    ]

    def row(label, key, unit=""):
        ours, theirs = figures.get(key), base.get(key)
        lines.append(
            f"{label + (f' ({unit})' if unit else ''):<36}{_num(ours):>12}{_num(theirs):>12}{_ratio(ours, theirs):>11}"
        )

    row("rebuild rate", "rebuild_rate", "paragraphs/s")
    row("rebuild time", "rebuild_s", "s")
    row("index size", "index_mb", "MB")
    row("rebuild peak RSS", "rebuild_mb", "MB")
    row("serving peak RSS", "serving_mb", "MB")
    row("first query, cold process", "cold_ms", "ms")
    for p in ("p50", "p95", "p99"):
        row(f"query {p}, all", p, "ms")
    row("upload searchable, worst", "upload_s", "s")
    row("upload searchable, median", "upload_median_s", "s")

    lines += [
        "",
        f"{'latency by category (ms)':<28}{'p50':>9}{'p95':>9}{'p99':>9}   baseline p50/p95/p99   ours/base p50",
    ]
    for category in CATEGORIES:
        ours = figures["categories"][category]
        theirs = base.get("categories", {}).get(category, {})
        lines.append(
            f"{category:<28}{_num(ours['p50']):>9}{_num(ours['p95']):>9}{_num(ours['p99']):>9}   "
            f"{'/'.join(_num(theirs.get(p)) for p in ('p50', 'p95', 'p99')):<22} {_ratio(ours['p50'], theirs.get('p50'))}"
        )

    if "uncached" in figures:
        u = figures["uncached"]
        lines += [
            "",
            "each query asked for the first time (caches of decoded postings and phrases emptied, "
            f"3 rounds of the mix): p50 {_num(u['p50'])} ms, p95 {_num(u['p95'])} ms, max {_num(u['p99'])} ms",
        ]
        for category in CATEGORIES:
            c = figures["uncached_categories"].get(category)
            if c:
                lines.append(f"  {category:<26}{_num(c['p50']):>9}{_num(c['p95']):>9}{_num(c['p99']):>9}")

    lines += ["", f"{'query':<48}{'hits ours':>10}{'baseline':>10}{'ours p50 ms':>13}"]
    base_totals = result.get("baseline_queries", {}).get("totals", {})
    for category, query in QUERY_MIX:
        base_total = base_totals.get(query)
        lines.append(
            f"{_pad(query, 48)}{q['totals'][query]:>10,}{'-' if base_total is None else f'{base_total:,}':>10}"
            f"{_num(percentile(q['timings'][query], 50)):>13}"
        )

    uploads = result["uploads"]
    if uploads:
        lines += [
            "",
            "uploads (100 zh paragraphs via ingest, until search_paragraphs finds them): "
            + ", ".join(f"{u['seconds']:.2f} s (ingest+index {u['ingest_seconds']:.2f} s)" for u in uploads),
        ]

    row_size = target_row(figures["paragraphs"])
    lines += [
        "",
        f"targets (issue 3, {row_size:,}-paragraph row; this corpus has {figures['paragraphs']:,}):",
    ]
    for name, target, value, met in targets(figures):
        lines.append(f"  {name:<34}{target:>12}  measured {_num(value):>9}  {'met' if met else 'MISSED'}")
    return "\n".join(lines)


# --- the phase processes ----------------------------------------------------


def main(argv=None) -> None:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.benchmark")
    parser.add_argument(
        "phase",
        choices=[
            "generate",
            "rebuild",
            "queries",
            "baseline-build",
            "baseline-queries",
            "uploads",
            "profile",
        ],
    )
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--paragraphs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--uploads", type=int, default=3)
    parser.add_argument("--query", default=QUERY_MIX[0][1], help="profile: the query to profile")
    parser.add_argument("--runs", type=int, default=10, help="profile: how many runs")
    args = parser.parse_args(argv)

    # Never the development database or index: the driver sets these for us; a
    # phase run by hand gets them from --workdir.
    os.environ.setdefault("DATABASE_PATH", str(args.workdir / "bench.sqlite3"))
    os.environ.setdefault("INDEX_DIR", str(args.workdir / "index"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "search.settings")
    import django

    django.setup()
    phases = {
        "generate": lambda: phase_generate(args.paragraphs, args.seed),
        "rebuild": phase_rebuild,
        "queries": lambda: phase_queries(args.queries, args.warmup),
        "uploads": lambda: phase_uploads(args.uploads),
        "baseline-build": lambda: phase_baseline_build(args.workdir),
        "baseline-queries": lambda: phase_baseline_queries(args.workdir, args.queries, args.warmup),
        "profile": lambda: phase_profile(args.query, args.runs),
    }
    result = phases[args.phase]()
    print(RESULT_PREFIX + json.dumps(result, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
