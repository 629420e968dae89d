"""Turn the benchmark's measurements into figures and a text report (pure functions)."""

from __future__ import annotations

import math
import statistics
import unicodedata

from bench import CATEGORIES, QUERY_MIX

# Issue 3's targets by corpus size: p50 and p95 in ms, rebuild and upload in s, memory in MB.
TARGETS = {
    100_000: {"p50": 20, "p95": 100, "rebuild": 180, "upload": 2},
    1_000_000: {"p95": 500, "upload": 2, "serving_mb": 400, "rebuild_mb": 2048},
}


def percentile(values, p: float) -> float:
    """Return the p-th percentile (nearest rank) of values."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def latency(values) -> dict:
    return {f"p{p}": percentile(values, p) for p in (50, 95, 99)}


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
        "private_mb": q.get("private_mb"),
        "cold_ms": q["cold_ms"],
        "startup_ms": q.get("startup_ms"),
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
        ("serving memory, private", "serving_mb", "MB", "private_mb"),
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
        f"queries: {result['queries_timed']} timed, round-robin over the mix, "
        f"after {result['warmup']} warm-up rounds of the mix; ours through search_paragraphs "
        "(page 1 of 20 hits, snippets, facets, total), baseline QueryParser top 10 + hit.highlights",
        "",
        f"{'figure':<36}{'ours':>12}{'baseline':>12}{'ours/base':>11}",
    ]

    def row(label, key, unit=""):
        ours, theirs = figures.get(key), base.get(key)
        label += f" ({unit})" if unit else ""
        lines.append(f"{label:<36}{_num(ours):>12}{_num(theirs):>12}{_ratio(ours, theirs):>11}")

    row("rebuild rate", "rebuild_rate", "paragraphs/s")
    row("rebuild time", "rebuild_s", "s")
    row("index size", "index_mb", "MB")
    row("rebuild peak RSS", "rebuild_mb", "MB")
    row("serving peak RSS", "serving_mb", "MB")
    row("serving private memory", "private_mb", "MB")
    row("worker start-up (warm_up)", "startup_ms", "ms")
    row("first query, fresh worker", "cold_ms", "ms")
    for p in ("p50", "p95", "p99"):
        row(f"query {p}, all", p, "ms")
    row("upload searchable, worst", "upload_s", "s")
    row("upload searchable, median", "upload_median_s", "s")

    lines += [
        "",
        f"{'latency by category (ms)':<28}{'p50':>9}{'p95':>9}{'p99':>9}"
        "   baseline p50/p95/p99   ours/base p50",
    ]
    for category in CATEGORIES:
        ours = figures["categories"][category]
        theirs = base.get("categories", {}).get(category, {})
        theirs_all = "/".join(_num(theirs.get(p)) for p in ("p50", "p95", "p99"))
        lines.append(
            f"{category:<28}{_num(ours['p50']):>9}{_num(ours['p95']):>9}{_num(ours['p99']):>9}   "
            f"{theirs_all:<22} {_ratio(ours['p50'], theirs.get('p50'))}"
        )

    if "uncached" in figures:
        u = figures["uncached"]
        lines += [
            "",
            "each query asked for the first time (caches of decoded postings and phrases emptied, "
            f"3 rounds of the mix): p50 {_num(u['p50'])} ms, p95 {_num(u['p95'])} ms, "
            f"max {_num(u['p99'])} ms",
        ]
        for category in CATEGORIES:
            c = figures["uncached_categories"].get(category)
            if c:
                lines.append(f"  {category:<26}{_num(c['p50']):>9}{_num(c['p95']):>9}{_num(c['p99']):>9}")

    lines += ["", f"{'query':<48}{'hits ours':>10}{'baseline':>10}{'ours p50 ms':>13}"]
    base_totals = result.get("baseline_queries", {}).get("totals", {})
    for _, query in QUERY_MIX:
        base_total = base_totals.get(query)
        lines.append(
            f"{_pad(query, 48)}{q['totals'][query]:>10,}"
            f"{'-' if base_total is None else f'{base_total:,}':>10}"
            f"{_num(percentile(q['timings'][query], 50)):>13}"
        )

    lines += side_by_side(result)

    trace = result.get("trace")
    if trace:
        lines += [
            "",
            f"agreed language (manage.py trace_wording over all {trace['paragraphs']:,} paragraphs): "
            f"{trace['seconds']:.0f} s, {trace['rate']:.0f} paragraphs/s, "
            f"{trace['pairs']:,} pairs with shared wording, {trace['bands']:,} band rows, "
            f"database +{trace['database_growth_bytes'] / 2**20:.0f} MB, peak {trace['peak_mb']:.0f} MB",
        ]
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


# What the side-by-side phase times (bench.phases.phase_side_by_side), in its order.
SIDE_BY_SIDE = (
    ("first", "asked for the first time since the worker started"),
    ("warm", "the same query again (warm)"),
    ("count_rank", "count and rank only (total and top 20)"),
    ("evicted", "files evicted from the page cache"),
)


def side_by_side(result: dict) -> list[str]:
    """The report's lines on our engine beside tantivy; none when tantivy was not run."""
    side = result.get("side_by_side")
    if not side:
        return []
    lines = [
        "",
        "ours beside tantivy 0.27 (bench/tantivy_side.py): the same paragraphs and tokens, the same "
        "queries, in one process, query by query in turn; ms, ratio ours/tantivy",
        "  full query: ours search_paragraphs; tantivy count + facets (aggregations) + top 20 with snippets",
        "  first time: ours after forget_answers(); tantivy on an index opened afresh (untimed); "
        f"each query of the mix {len(next(iter(side['first']['ours'].values())))} times",
        "  evicted: the same, then posix_fadvise(DONTNEED) on every file of both indexes" + _resident(side),
        "",
        f"{'':<36}{'ours p50':>10}{'ours p95':>10}{'tantivy p50':>13}{'tantivy p95':>13}"
        f"{'p50 ratio':>11}{'p95 ratio':>11}",
    ]
    for key, label in SIDE_BY_SIDE:
        if key not in side:
            continue
        lines.append(label)
        ours, theirs = _by_category(side[key]["ours"]), _by_category(side[key]["tantivy"])
        ours["all"] = [ms for values in side[key]["ours"].values() for ms in values]
        theirs["all"] = [ms for values in side[key]["tantivy"].values() for ms in values]
        for category in ("all", *CATEGORIES):
            o, t = latency(ours[category]), latency(theirs[category])
            lines.append(
                f"  {category:<34}{_num(o['p50']):>10}{_num(o['p95']):>10}{_num(t['p50']):>13}"
                f"{_num(t['p95']):>13}{_ratio(o['p50'], t['p50']):>11}{_ratio(o['p95'], t['p95']):>11}"
            )
    lines += _build_rows(result)
    lines += [
        "",
        "paragraphs found: ours; ours with every word literally (its first tier: what tantivy is asked); "
        "tantivy's",
        f"{'query':<48}{'ours':>10}{'literally':>11}{'tantivy':>10}",
    ]
    for _, query in QUERY_MIX:
        totals = side["totals"][query]
        lines.append(
            f"{_pad(query, 48)}{totals['ours']:>10,}{totals['ours_literal']:>11,}{totals['tantivy']:>10,}"
            + _differs(totals)
        )
    return lines


def _differs(totals: dict) -> str:
    if totals["ours_literal"] != totals["tantivy"]:
        return "  DIFFERS"
    if totals["ours"] > totals["ours_literal"]:
        return "  (ours also: the words in another order, or most of them)"
    return ""


def _resident(side: dict) -> str:
    resident = side.get("resident_after_eviction")
    if not resident:
        return ""
    ours, theirs = (n / 2**20 for n in resident)
    return f" (still cached, what each process keeps: ours {_num(ours)} MB, tantivy {_num(theirs)} MB)"


def _build_rows(result: dict) -> list[str]:
    ours, theirs = result["rebuild"], result["tantivy_build"]
    lines = ["", f"{'':<36}{'ours':>10}{'tantivy':>13}{'ratio':>11}"]
    rows = [
        ("index on disk (MB)", ours["size_bytes"] / 2**20, theirs["size_bytes"] / 2**20),
        ("  of which stored fields (MB)", None, theirs["store_bytes"] / 2**20),
        ("build, wall (s)", ours["seconds"], theirs["seconds"]),
        ("build, CPU of every process (s)", ours.get("cpu_seconds"), theirs["cpu_seconds"]),
        ("  tantivy's writer alone, wall (s)", None, theirs["writer_seconds"]),
    ]
    for label, o, t in rows:
        lines.append(f"{label:<36}{_num(o):>10}{_num(t):>13}{_ratio(o, t):>11}")
    return lines


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
