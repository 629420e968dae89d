"""The benchmark's phases, each run in its own process: `python -m bench.phases PHASE`.

A phase prints its measurements as one JSON line after RESULT_PREFIX. Django is set up
on the work folder's database and index before a phase runs, so Django and the engine
are imported inside the phase functions.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench import QUERY_MIX
from bench.corpus import (
    Symbols,
    build_pools,
    make_paragraph,
    paragraph_layout,
    plan_resolutions,
    write_resolutions,
)

RESULT_PREFIX = "BENCH-RESULT "
BATCH = 200  # resolutions written in one transaction


def progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def private_mb() -> float | None:
    """This process's own memory now (RssAnon): its RSS less the pages of mapped files,
    which are the page cache's and shared (the index's postings). None off Linux."""
    try:
        lines = Path("/proc/self/status").read_text().splitlines()
    except OSError:
        return None
    found = [line.split()[1] for line in lines if line.startswith("RssAnon:")]
    return int(found[0]) / 1024 if found else None


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def phase_generate(paragraphs: int, seed: int) -> dict:
    import io
    from unittest import mock

    from django.core.management import call_command
    from django.db import transaction

    from search.models import Paragraph, Resolution, Text

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    # The rebuild that follows indexes everything: loading need not index as it goes.
    with mock.patch("search.ingest.store.record_changes", lambda ids: None):
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
    for start in range(0, len(plan), BATCH):
        with transaction.atomic():
            write_resolutions(rng, symbols, pools, titles, plan[start : start + BATCH])
        progress(f"generated {min(start + BATCH, len(plan)):,} of {len(plan):,} resolutions")

    return {
        "paragraphs": Paragraph.objects.count(),
        "zh": Paragraph.objects.filter(version__language="zh").count(),
        "en": Paragraph.objects.filter(version__language="en").count(),
        "resolutions": Resolution.objects.count(),
        "real_paragraphs": len(real),
        "seconds": time.perf_counter() - started,
    }


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (a rebuild's writers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def phase_rebuild() -> dict:
    from search.engine.index import index_root, rebuild_index

    started, cpu = time.perf_counter(), cpu_seconds()
    count = rebuild_index()
    seconds = time.perf_counter() - started
    return {
        "paragraphs": count,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds() - cpu,
        "rate": count / seconds,
        "size_bytes": folder_size((index_root() / "current").resolve()),
        # The rebuild writes with several processes: count the largest of them too.
        "peak_mb": max(peak_rss_mb(), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
    }


def phase_trace() -> dict:
    """Trace the whole corpus's shared wording and citations (issue 13): time and room."""
    import io

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from search.models import Paragraph, SharedWording, WordingBand

    database = Path(settings.DATABASES["default"]["NAME"])
    before = sum(p.stat().st_size for p in database.parent.glob(database.name + "*"))
    started = time.perf_counter()
    call_command("trace_wording", stdout=io.StringIO())
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM")  # the file's size is what the rows take, not free pages
    after = sum(p.stat().st_size for p in database.parent.glob(database.name + "*"))
    count = Paragraph.objects.count()
    return {
        "paragraphs": count,
        "seconds": seconds,
        "rate": count / seconds,
        "pairs": SharedWording.objects.count(),
        "bands": WordingBand.objects.count(),
        "database_growth_bytes": after - before,
        "peak_mb": peak_rss_mb(),
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
    from search.engine.searching import forget_answers, search_paragraphs
    from search.warmup import warm_up

    # What a web worker does before it serves (search/warmup.py: jieba's dictionary, the
    # index opened, two searches), then its first query, the mix's first.
    started = time.perf_counter()
    warm_up()
    startup_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    first = search_paragraphs(QUERY_MIX[0][1])
    cold_ms = (time.perf_counter() - started) * 1000
    if not first["hits"]:
        raise RuntimeError(f"{QUERY_MIX[0][1]} found nothing: the index is empty or broken")
    # First: each query as if never asked before (the per-process caches of decoded
    # postings and phrases emptied), three times over the mix.
    uncached = {q: [] for _, q in QUERY_MIX}
    for _ in range(3):
        for _, q in QUERY_MIX:
            forget_answers()
            started = time.perf_counter()
            search_paragraphs(q)
            uncached[q].append((time.perf_counter() - started) * 1000)
    timings = _time_mix(search_paragraphs, queries, warmup)
    totals = {q: search_paragraphs(q)["total"] for _, q in QUERY_MIX}
    serving_mb = peak_rss_mb()
    private = private_mb()  # after every query: the caches are as full as they get
    return {
        "startup_ms": startup_ms,
        "cold_ms": cold_ms,
        "timings": timings,
        "uncached": uncached,
        "totals": totals,
        "peak_mb": serving_mb,
        "private_mb": private,
    }


def phase_uploads(uploads: int) -> list[dict]:
    """Time uploads in a process whose searcher is open, as a web worker's is."""
    from search.engine.searching import search_paragraphs

    search_paragraphs(QUERY_MIX[0][1])
    return [_upload(n) for n in range(uploads)]


def _upload(n: int) -> dict:
    """Ingest a new 100-paragraph Chinese text; time until search finds it."""
    from search.engine.searching import search_paragraphs
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


def _tantivy_index(workdir: Path) -> Path:
    return workdir / "tantivy-index"


def phase_tantivy_build(workdir: Path) -> dict:
    """Index the database's paragraphs with tantivy, our analysis on as many cores as our
    rebuild takes (bench.tantivy_side)."""
    from bench.tantivy_side import build_index
    from search.engine.index import index_procs

    built = build_index(_tantivy_index(workdir), procs=index_procs())
    return built | {"peak_mb": peak_rss_mb()}


FIRST_ROUNDS = 3  # rounds of the mix asked for the first time, and with the files evicted


def phase_side_by_side(workdir: Path, queries: int, warmup: int) -> dict:
    """Time our engine and tantivy in this one process, query by query in turn (who goes
    first alternating), on the same mix: asked for the first time, again (warm), count and
    rank only, and with both indexes' files evicted from the page cache."""
    from bench.tantivy_side import TantivySearch, evict
    from search.engine.index import index_root
    from search.engine.searching import forget_answers, search_paragraphs

    theirs = TantivySearch(_tantivy_index(workdir))
    indexes = [(index_root() / "current").resolve(), theirs.path]
    mix = [q for _, q in QUERY_MIX]
    for _ in range(warmup):
        for q in mix:
            search_paragraphs(q)
            theirs.search(q)

    def reopened():
        theirs.open()

    def evicted_ours():
        evict(indexes)
        forget_answers()

    def evicted_theirs():
        # Opened first: opening reads every file in, and a page it has mapped stays.
        theirs.open()
        evict(indexes)

    def nothing():
        pass

    firsts = mix * FIRST_ROUNDS
    rounds = [mix[i % len(mix)] for i in range(queries)]
    result = {
        "first": _interleaved(firsts, (forget_answers, search_paragraphs), (reopened, theirs.search)),
        "warm": _interleaved(rounds, (nothing, search_paragraphs), (nothing, theirs.search)),
        "count_rank": _interleaved(rounds, (nothing, ours_count_and_rank), (nothing, theirs.count_and_rank)),
        "evicted": _interleaved(firsts, (evicted_ours, search_paragraphs), (evicted_theirs, theirs.search)),
        "totals": {q: _totals(theirs, q) for q in mix},
        "resident_after_eviction": _resident_after_eviction(indexes, evicted_ours, evicted_theirs),
        "peak_mb": peak_rss_mb(),
    }
    return result


def _resident_after_eviction(indexes: list[Path], *prepares) -> list[int] | None:
    """Bytes of each index still in the page cache once each side is prepared for an
    evicted query (what its process keeps mapped); None without util-linux's fincore."""
    if not shutil.which("fincore"):
        return None
    resident = []
    for path, prepare in zip(indexes, prepares, strict=True):
        prepare()
        files = [str(f) for f in path.rglob("*") if f.is_file()]
        out = subprocess.run(["fincore", "-b", "-n", "-o", "RES", *files], capture_output=True, text=True)
        resident.append(sum(int(n) for n in out.stdout.split()))
    return resident


def _interleaved(order: list[str], ours, theirs) -> dict:
    """Per query, the ms of each side: (prepare, run) pairs, prepare untimed; ours first on
    even turns, tantivy first on odd ones."""
    timings = {"ours": {q: [] for q in order}, "tantivy": {q: [] for q in order}}
    for turn, q in enumerate(order):
        sides = [("ours", *ours), ("tantivy", *theirs)]
        for name, prepare, run in sides if turn % 2 == 0 else sides[::-1]:
            prepare()
            started = time.perf_counter()
            run(q)
            timings[name][q].append((time.perf_counter() - started) * 1000)
    return timings


def ours_count_and_rank(q: str) -> tuple[int, list[int]]:
    """Our total and top 20 as search_paragraphs ranks them (one paragraph a wording), with
    no stored field, facet or snippet."""
    from search.engine.index import searching
    from search.engine.query import parse_query
    from search.engine.searching import _one_per_wording, _ranked, find_matches

    parsed = parse_query(q)
    with searching() as searcher:
        match = find_matches(searcher, parsed)
        if match is None:
            return 0, []
        total = len(match.docs)
        return total, _ranked(searcher, parsed, _one_per_wording(searcher.reader(), match), 20)


def literally(parsed):
    """The query with every word typed as if in quotes: only its first tier, every word literally."""
    import copy
    import dataclasses

    exact = copy.copy(parsed)
    exact.groups = [[dataclasses.replace(u, exact=True) for u in group] for group in parsed.groups]
    return exact


def _totals(theirs, q: str) -> dict:
    from search.engine.index import searching
    from search.engine.query import parse_query
    from search.engine.searching import find_matches, search_paragraphs

    with searching() as searcher:
        match = find_matches(searcher, literally(parse_query(q)))
    return {
        "ours": search_paragraphs(q)["total"],
        "ours_literal": 0 if match is None else len(match.docs),
        "tantivy": theirs.count_and_rank(q)[0],
    }


def phase_profile(query: str, runs: int) -> dict:
    """Profile search_paragraphs(query) after a warm-up; print the top of the profile."""
    import cProfile
    import pstats

    from search.engine.searching import search_paragraphs

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


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.phases")
    parser.add_argument(
        "phase",
        choices=[
            "generate",
            "rebuild",
            "queries",
            "baseline-build",
            "baseline-queries",
            "uploads",
            "trace",
            "profile",
            "tantivy-build",
            "side-by-side",
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
        "trace": phase_trace,
        "baseline-build": lambda: phase_baseline_build(args.workdir),
        "baseline-queries": lambda: phase_baseline_queries(args.workdir, args.queries, args.warmup),
        "profile": lambda: phase_profile(args.query, args.runs),
        "tantivy-build": lambda: phase_tantivy_build(args.workdir),
        "side-by-side": lambda: phase_side_by_side(args.workdir, args.queries, args.warmup),
    }
    result = phases[args.phase]()
    print(RESULT_PREFIX + json.dumps(result, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
