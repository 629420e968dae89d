"""The costliest single requests: the CPU time each page takes, in one warm process.

    python -m bench.costly [--comparisons 500] [--lineages 500] [--seed 0] [--worst 10]
                           [--kinds document,lineage] [--documents N] [--repeat N]
                           [--profile 25] [--json]

Django's test client sends each request through the whole stack (middleware, view,
template, gzip) against the database and index of the settings in the environment
(DATABASE_URL / DATABASE_PATH, INDEX_DIR: those of the server), with DEBUG off unless
the environment turns it on, as `make serve` runs. One request at a time, so the
process's CPU time around a request (`time.process_time`) is that request's; the
index's follower thread is not started. The first request of each kind is asked once
before measuring (jieba's dictionary, templates, the index's caches).

Asked: the home page (in English and in Chinese), /healthz, each query of
`bench.targets.QUERIES` as the search page, its htmx partial, the API and the CSV
export; every document page in each of its languages, side by side, and with a query
marking its matches; every draft ↔ resolution comparison and random comparisons of
any two documents sharing a language (`--comparisons` in all); the lineages of the
paragraphs with the most shared wording and random paragraphs (`--lineages` in all).
Each is asked with the results cache emptied first (comparisons, lineages, document
pages): what it costs to build, as for the first visitor after a publish.

Prints, per kind, the requests, errors and CPU mean / p50 / p95 / max, and the `--worst`
costliest requests of each kind with their CPU and wall-clock times, SQL queries and
bytes sent. `--repeat N` asks each request N times and keeps its median: steadier from
one run to the next on a busy machine, for before/after comparisons. `--profile N` asks
the costliest of each kind again under cProfile and prints its N most expensive
functions: the project's own (search/) by cumulative time, then all by cumulative and by
own time. The profiler's overhead inflates the times (most where calls are many and
small: templates); the measured CPU times are those of the table.
"""

from __future__ import annotations

import argparse
import atexit
import cProfile
import io
import json
import os
import pstats
import random
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.report import percentile
from bench.targets import QUERIES, Catalog, Request, compare_path, document_path, lineage_path, search_path

KINDS = (
    "home",
    "search",
    "htmx",
    "api",
    "csv",
    "document",
    "side-by-side",
    "document-query",
    "lineage",
    "compare",
    "compare-any",
    "healthz",
)
HEAVIEST_LINEAGES = 10  # of the --lineages, those of the paragraphs with the most shared wording
HEADERS = {"Accept-Encoding": "gzip"}  # as a browser asks: the gzip middleware's cost counts


@dataclass
class Cost:
    kind: str
    path: str
    cpu_ms: float
    wall_ms: float
    queries: int
    bytes: int
    status: int


def plan(
    targets: Catalog,
    *,
    comparisons: int = 500,
    lineages: int = 500,
    seed: int = 0,
    documents: int | None = None,
    heaviest: list[tuple[str, str, str]] = (),
) -> list[Request]:
    """Every request to measure, in a seeded order of kinds (see the module's docstring)."""
    rng = random.Random(seed)
    requests = [Request("home", "/"), Request("home", "/", (("Accept-Language", "zh-Hans"),))]
    requests.append(Request("healthz", "/healthz"))
    for q in QUERIES:
        requests += [
            Request("search", search_path(q)),
            Request("htmx", search_path(q), (("HX-Request", "true"),)),
            Request("api", "/api/search?" + search_path(q)[2:]),
            Request("csv", "/export.csv?" + search_path(q)[2:]),
        ]
    chosen = targets.documents if documents is None else rng.sample(targets.documents, documents)
    for key, languages in chosen:
        requests += [Request("document", document_path(key, lang=language)) for language in languages]
        requests.append(Request("side-by-side", document_path(key, view="both")))
        requests.append(Request("document-query", document_path(key, q=rng.choice(QUERIES))))
    pairs = [Request("compare", compare_path(*pair)) for pair in targets.drafts][:comparisons]
    by_language: dict[str, list[str]] = {}
    for key, languages in targets.documents:
        for language in languages:
            by_language.setdefault(language, []).append(key)
    pools = sorted(language for language, keys in by_language.items() if len(keys) > 1)
    while pools and len(pairs) < comparisons:
        language = rng.choice(pools)
        first, second = rng.sample(by_language[language], 2)
        pairs.append(Request("compare-any", compare_path(first, second, language)))
    requests += pairs
    paragraphs = list(heaviest)[:lineages]
    paragraphs += rng.sample(targets.paragraphs, min(len(targets.paragraphs), lineages - len(paragraphs)))
    requests += [Request("lineage", lineage_path(*p)) for p in paragraphs]
    return requests


def most_shared(n: int) -> list[tuple[str, str, str]]:
    """The paragraphs with the most shared wording: (key, language, anchor), most first."""
    from collections import Counter

    from search.models import Paragraph, SharedWording

    counts: Counter[int] = Counter()
    for first, second in SharedWording.objects.values_list("first_id", "second_id").iterator():
        counts[first] += 1
        counts[second] += 1
    ids = [pid for pid, _ in counts.most_common(n)]
    found = {
        pid: (key, language, anchor)
        for pid, key, language, anchor in Paragraph.objects.filter(pk__in=ids).values_list(
            "pk", "version__resolution__key", "version__language", "anchor"
        )
    }
    return [found[pid] for pid in ids]


def make_client():
    """A test client that answers as the served site does: over HTTPS, to an allowed host."""
    from django.conf import settings
    from django.test import Client

    if "testserver" not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # A view that raises is a 500 counted as an error, as a server would answer it.
    return Client(raise_request_exception=False)


def measure(client, request: Request) -> Cost:
    """Ask one request, its answer built anew; its CPU time (this process's, all threads),
    wall time, SQL queries."""
    from django.core.cache import caches
    from django.db import connection

    caches["results"].clear()

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    headers = HEADERS | dict(request.headers)
    with connection.execute_wrapper(count):
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(request.path, headers=headers, secure=True)
        size = len(response.content)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return Cost(request.kind, request.path, cpu * 1000, wall * 1000, queries, size, response.status_code)


def run(client, requests: list[Request], repeat: int = 1) -> list[Cost]:
    """Warm up with the first request of each kind, then measure every one (`repeat`
    times: its median)."""
    first = {}
    for request in requests:
        first.setdefault(request.kind, request)
    for request in first.values():
        measure(client, request)
    costs = []
    for request in requests:
        asked = sorted((measure(client, request) for _ in range(repeat)), key=lambda c: c.cpu_ms)
        costs.append(asked[len(asked) // 2])
    return costs


def summarize(costs: list[Cost], worst: int = 10) -> dict:
    """Per kind: requests, errors, CPU p50 / p95 / max in ms, and the `worst` costliest."""
    kinds = [k for k in KINDS if any(c.kind == k for c in costs)]
    summary = {}
    for kind in kinds:
        chosen = [c for c in costs if c.kind == kind]
        cpu = [c.cpu_ms for c in chosen]
        summary[kind] = {
            "requests": len(chosen),
            "errors": sum(1 for c in chosen if c.status != 200),
            "mean_ms": round(sum(cpu) / len(cpu), 1),
            "p50_ms": round(percentile(cpu, 50), 1),
            "p95_ms": round(percentile(cpu, 95), 1),
            "max_ms": round(max(cpu), 1),
            "total_s": round(sum(cpu) / 1000, 1),
            "worst": [
                {**asdict(c), "cpu_ms": round(c.cpu_ms, 1), "wall_ms": round(c.wall_ms, 1)}
                for c in sorted(chosen, key=lambda c: -c.cpu_ms)[:worst]
            ],
        }
    return {"kinds": summary}


def format_costs(result: dict) -> str:
    """The table per kind, then each kind's costliest requests."""
    lines = [
        "| kind | requests | errors | CPU mean ms | CPU p50 ms | CPU p95 ms | CPU max ms | CPU total s |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for kind, s in result["kinds"].items():
        lines.append(
            f"| {kind} | {s['requests']:,} | {s['errors']:,} | {s['mean_ms']:,.1f} | {s['p50_ms']:,.1f} "
            f"| {s['p95_ms']:,.1f} | {s['max_ms']:,.1f} | {s['total_s']:,.1f} |"
        )
    for kind, s in result["kinds"].items():
        lines += ["", f"Costliest {kind} requests:", ""]
        lines += ["| CPU ms | wall ms | SQL | KB | status | request |", "|--:|--:|--:|--:|--:|---|"]
        lines += [
            f"| {c['cpu_ms']:,.1f} | {c['wall_ms']:,.1f} | {c['queries']} | {c['bytes'] / 1024:,.1f} "
            f"| {c['status']} | `{c['path']}` |"
            for c in s["worst"]
        ]
    return "\n".join(lines)


def profile(client, request: Request, top: int) -> str:
    """Ask a request again under cProfile; its `top` functions by cumulative and by own time."""
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    cost = measure(client, request)
    profiler.disable()
    out = io.StringIO()
    out.write(f"\n### {request.kind}: {request.path} ({cost.cpu_ms:,.0f} ms CPU under the profiler)\n")
    stats = pstats.Stats(profiler, stream=out)
    # The project's own functions first (search/), then everything, by cumulative and own time.
    stats.sort_stats("cumulative").print_stats(f"{os.sep}search{os.sep}", top)
    stats.strip_dirs()
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def setup() -> None:
    """Django with the environment's settings, DEBUG off unless asked, static files named."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "search.settings")
    # Nothing here is signed for anyone: a key of its own when none is given (as `make bench`).
    os.environ.setdefault("SECRET_KEY", "costly-benchmark-key-that-signs-nothing")
    django.setup()
    from django.conf import settings

    settings.INDEX_FOLLOW = False  # no thread applying the change log: its CPU is no request's
    backend = settings.STORAGES["staticfiles"]["BACKEND"]
    root = settings.STATIC_ROOT
    if "Manifest" in backend and not (root and (Path(root) / "staticfiles.json").exists()):
        # Pages name static files by their hash: collect them, as `make serve` does, aside.
        from django.core.management import call_command
        from django.test.utils import override_settings

        aside = tempfile.mkdtemp(prefix="costly-static-")
        atexit.register(shutil.rmtree, aside, ignore_errors=True)  # each run left its copy in /tmp
        override_settings(STATIC_ROOT=aside).enable()
        call_command("collectstatic", "--noinput", verbosity=0)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.costly")
    parser.add_argument("--comparisons", type=int, default=500)
    parser.add_argument("--lineages", type=int, default=500)
    parser.add_argument("--documents", type=int, default=0, help="a sample of this many (0: every one)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--worst", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=1, help="ask each request N times, keep its median")
    parser.add_argument("--kinds", default="", help=f"comma-separated, of {', '.join(KINDS)} (default all)")
    parser.add_argument(
        "--profile", type=int, default=0, help="profile the costliest of each kind: N functions"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    kinds = [k for k in args.kinds.split(",") if k] or list(KINDS)
    if unknown := set(kinds) - set(KINDS):
        parser.error(f"no such kind: {', '.join(sorted(unknown))}; kinds are {', '.join(KINDS)}")
    setup()
    from django.conf import settings

    from bench.targets import catalog

    targets = catalog()
    heaviest = most_shared(HEAVIEST_LINEAGES) if "lineage" in kinds else []
    requests = plan(
        targets,
        comparisons=args.comparisons,
        lineages=args.lineages,
        seed=args.seed,
        documents=args.documents or None,
        heaviest=heaviest,
    )
    requests = [r for r in requests if r.kind in kinds]
    client = make_client()
    started = time.perf_counter()
    costs = run(client, requests, max(1, args.repeat))
    result = summarize(costs, args.worst)
    result["seconds"] = round(time.perf_counter() - started, 1)
    result["settings"] = {"debug": settings.DEBUG, "database": settings.DATABASES["default"]["ENGINE"]}
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return
    if settings.DEBUG:
        print("DEBUG is on: Django records every SQL query, which costs more than when served.\n")
    print(format_costs(result))
    if args.profile:
        for kind, s in result["kinds"].items():
            worst = s["worst"][0]
            request = next(r for r in requests if r.kind == kind and r.path == worst["path"])
            sys.stdout.write(profile(client, request, args.profile))


if __name__ == "__main__":
    main()
