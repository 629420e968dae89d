"""Figures of the site as it is served: the analyst mix, attackers, fuzzed queries, killed publishes.

Each runs against a server already listening (`make serve`, or `make run`) and prints
its numbers; nothing here is a test that times anything. Targets are drawn from the
database the server reads (`bench.targets`), so the client runs with the server's
settings (DATABASE_URL / DATABASE_PATH, and INDEX_DIR for `kills`).

    python -m bench.serving figures --url http://127.0.0.1:8000 --server-log var/serve.log
    python -m bench.serving load --url http://127.0.0.1:8000 --clients 50 --seconds 60 [--attackers 4]
    python -m bench.serving fuzz --url http://127.0.0.1:8000 --queries 10000 --server-log var/serve.log
    python -m bench.serving kills --url http://127.0.0.1:8000 --rounds 30

`figures` runs the load alone, the load with 4 attackers, the fuzz and `bench.costly`
(CPU time of single requests, in a process of its own) and prints one table of the
issue's goals, then each figure's own table.

`kills` publishes, replaces and SIGKILLs `manage.py ingest_file` at random moments
while threads search, then applies the change log and compares the index with the
database.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import signal
import string
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from bench.report import percentile
from bench.targets import (
    KINDS,
    Catalog,
    Request,
    analyst_kinds,
    analyst_request,
    askable,
    catalog,
    document_path,
    unrelated_pairs,
)

ROOT = Path(__file__).resolve().parent.parent
# What every client sends, as a browser would: the pages come gzipped.
HEADERS = (("Accept-Encoding", "gzip"),)
ANALYST_TIMEOUT = 60.0  # gunicorn's own timeout in `make serve`
ATTACK_TIMEOUT = 300.0  # an unbounded comparison answered late is still counted, not dropped
# The goals (issue 18, "Figures").
P95_GOAL_MS = 500
ATTACK_SLOWDOWN = 1.5
HEALTHZ_P99_GOAL_MS = 200
# A load balancer's probe: /healthz at the probes' address (make serve's PROBE_BIND), one
# every PROBE_EVERY seconds, beside the analysts and attackers.
PROBE_EVERY = 0.25
CPU_GOAL_MS = 1000


def setup_django() -> None:
    """Read the database with the server's settings (DATABASE_URL, DATABASE_PATH)."""
    import django
    from django.apps import apps

    if apps.ready:  # already set up: the test suite
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "search.settings")
    # The client signs nothing; the server's own key is in its environment.
    os.environ.setdefault("SECRET_KEY", "benchmark-client-key-that-signs-nothing")
    django.setup()


def fetch(url: str, timeout: float = 30.0, headers=()) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=dict(headers))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (urllib.error.URLError, OSError) as error:
        return 0, repr(error).encode()


def latency(timings: list[float], statuses: list[int]) -> dict:
    """Requests, errors (anything but 200, 0 for no answer) and percentiles in ms."""
    ms = [t * 1000 for t in timings]
    return {
        "requests": len(ms),
        "errors": sum(1 for s in statuses if s != 200),
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "p99_ms": round(percentile(ms, 99), 1),
        "max_ms": round(max(ms), 1) if ms else float("nan"),
    }


def summarize(samples: list[tuple[str, float, int]]) -> dict:
    """Per kind and over all: samples are (kind, seconds, status)."""
    kinds = [k for k in KINDS if any(s[0] == k for s in samples)]
    kinds += sorted({s[0] for s in samples} - set(kinds))
    summary = {}
    for kind in [*kinds, "all"]:
        chosen = [s for s in samples if kind in ("all", s[0])]
        summary[kind] = latency([s[1] for s in chosen], [s[2] for s in chosen])
    return summary


def load(
    url: str,
    clients: int = 50,
    seconds: float = 60,
    attackers: int = 0,
    seed: int = 0,
    targets: Catalog | None = None,
    probe_url: str | None = None,
) -> dict:
    """`clients` analysts, each asking the mix of `bench.targets.MIX` one request after
    another, for `seconds`; meanwhile `attackers` clients ask only comparisons of unrelated
    resolutions, and with `probe_url` a prober asks its /healthz every PROBE_EVERY s. Each
    group's latency is reported by kind, the analysts' over all too."""
    targets = targets or catalog()
    asked = askable(targets)
    analysts: list[tuple[str, float, int]] = []
    attacks: list[tuple[str, float, int]] = []
    probes: list[tuple[str, float, int]] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def ask(request: Request, timeout: float, into: list) -> None:
        started = time.monotonic()
        status, _ = fetch(url + request.path, timeout, HEADERS + request.headers)
        with lock:
            into.append((request.kind, time.monotonic() - started, status))

    def analyst(n: int) -> None:
        rng = random.Random(f"{seed}:analyst:{n}")
        kinds = analyst_kinds(n, rng, asked)
        while time.monotonic() < stop:
            ask(analyst_request(next(kinds), targets, rng), ANALYST_TIMEOUT, analysts)

    def attacker(n: int) -> None:
        rng = random.Random(f"{seed}:attacker:{n}")
        while time.monotonic() < stop:
            pairs = unrelated_pairs(targets, 1, rng)
            if not pairs:
                return
            ask(pairs[0], ATTACK_TIMEOUT, attacks)

    def prober() -> None:
        while time.monotonic() < stop:
            started = time.monotonic()
            status, _ = fetch(probe_url + "/healthz", ANALYST_TIMEOUT)
            with lock:
                probes.append(("probe", time.monotonic() - started, status))
            time.sleep(max(0.0, PROBE_EVERY - (time.monotonic() - started)))

    threads = [threading.Thread(target=analyst, args=(n,)) for n in range(clients)]
    threads += [threading.Thread(target=attacker, args=(n,)) for n in range(attackers)]
    threads += [threading.Thread(target=prober)] if probe_url else []
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {
        "clients": clients,
        "attackers": attackers,
        "seconds": round(elapsed, 1),
        "per_second": round(len(analysts) / elapsed, 1),
        "kinds": summarize(analysts),
        "not_asked": [kind for kind in KINDS if kind not in asked],
        "attack": latency([s[1] for s in attacks], [s[2] for s in attacks]) if attackers else None,
        "probe": latency([s[1] for s in probes], [s[2] for s in probes]) if probe_url else None,
    }


def fuzz_values(n: int, seed: int = 0) -> list[str]:
    """Return values (already %-encoded) made to hurt: syntax, size, control bytes, bad UTF-8;
    some carry a `page` of their own."""
    rng = random.Random(seed)
    syntax = '"()-:*\\/?&#%+ORANDNOT第号决议' + "".join(chr(c) for c in range(0, 32))
    words = ["贩运", "organ", "lang:", "kind:xx", "year:99999", "symbol:", "body:", "-", "OR", '"']
    out = []
    for i in range(n):
        kind = i % 6
        if kind == 0:
            out.append(urllib.parse.quote("".join(rng.choice(syntax) for _ in range(rng.randint(1, 40)))))
        elif kind == 1:
            q = " ".join(rng.choice(words) for _ in range(rng.randint(1, 12)))
            out.append(urllib.parse.quote(q) + f"&page={rng.choice(['0', '-1', 'x', '9999999', '2', ''])}")
        elif kind == 2:  # 100 kB
            out.append(urllib.parse.quote(rng.choice(string.ascii_letters + "贩运") * 100_000))
        elif kind == 3:  # bytes that are not UTF-8
            out.append("".join(f"%{rng.randrange(128, 256):02X}" for _ in range(rng.randint(1, 30))))
        elif kind == 4:
            out.append(urllib.parse.quote(rng.choice(words)) + "&page=" + urllib.parse.quote("\x00" * 3))
        else:
            chars = [chr(rng.randrange(0x20, 0x3000)) for _ in range(rng.randint(1, 60))]
            out.append(urllib.parse.quote("".join(chars), safe=""))
    return out


def fuzz_paths(n: int, targets: Catalog, seed: int = 0) -> list[str]:
    """`n` requests with a fuzzed value: a search (page, API, CSV), a document page's query,
    a lineage's anchor and a comparison's second document, in turn."""
    rng = random.Random(seed)
    key, languages = rng.choice(targets.documents)
    prefixes = [
        "/?q=",
        "/api/search?q=",
        "/export.csv?q=",
        document_path(key) + "?q=",
        "/lineage/?" + urllib.parse.urlencode({"key": key, "lang": languages[0]}) + "&anchor=",
        "/compare/?" + urllib.parse.urlencode({"from": key, "lang": languages[0]}) + "&to=",
    ]
    return [prefixes[i % len(prefixes)] + value for i, value in enumerate(fuzz_values(n, seed))]


# The tables whose rows a read-only request must never change.
CHECKED_APPS = ("search", "auth", "admin", "sessions")


def fingerprints() -> dict[str, tuple[int, str]]:
    """Each table's row count and a digest of all its rows, in primary key order."""
    from django.apps import apps

    found = {}
    for label in CHECKED_APPS:
        for model in apps.get_app_config(label).get_models():
            if not model._meta.proxy:
                found[model._meta.db_table] = fingerprint(model)
    return found


def fingerprint(model) -> tuple[int, str]:
    """A table's row count and a digest of all its rows, in primary key order."""
    names = [f.attname for f in model._meta.concrete_fields]
    digest, rows = hashlib.sha256(), 0
    for row in model.objects.order_by("pk").values_list(*names).iterator(chunk_size=2000):
        # PostgreSQL gives bytea as memoryview, whose repr is its address.
        digest.update(repr([bytes(v) if isinstance(v, memoryview) else v for v in row]).encode())
        rows += 1
    return rows, digest.hexdigest()[:16]


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(table for table in before.keys() | after.keys() if before.get(table) != after.get(table))


def log_size(path: str | None) -> int:
    return os.path.getsize(path) if path and os.path.exists(path) else 0


def tracebacks(text: str) -> list[str]:
    """The last line of each Python traceback in a log (what was raised)."""
    found = []
    for block in text.split("Traceback (most recent call last):")[1:]:
        lines = [line for line in block.splitlines() if line.strip()]
        raised = next((line for line in lines if not line.startswith((" ", "\t"))), "?")
        found.append(raised.strip())
    return found


def fuzz(url: str, queries: int, server_log: str | None = None, seed: int = 0, targets=None) -> dict:
    """Fuzzed queries; then the server errors, the tracebacks the server logged meanwhile
    (in `server_log`, its stderr) and the tables whose rows changed."""
    targets = targets or catalog()
    before, offset = fingerprints(), log_size(server_log)
    statuses: dict[int, int] = {}
    failures = []
    for path in fuzz_paths(queries, targets, seed):
        status, _ = fetch(url + path)
        statuses[status] = statuses.get(status, 0) + 1
        if status >= 500 or status == 0:
            failures.append((path[:100], status))
    logged = None
    if server_log:
        time.sleep(0.5)  # what the last request logged reaches the file
        with open(server_log, "rb") as log:
            log.seek(offset)
            logged = tracebacks(log.read().decode("utf-8", "replace"))
    return {
        "requests": queries,
        "server_errors": len(failures),
        "statuses": dict(sorted(statuses.items())),
        "first": failures[:5],
        "tracebacks": None if logged is None else len(logged),
        "raised": sorted(set(logged or []))[:5],
        "rows_changed": changed_tables(before, fingerprints()),
    }


def costs(comparisons: int, lineages: int, seed: int) -> dict:
    """`bench.costly` in a process of its own, with this one's settings."""
    command = [sys.executable, "-m", "bench.costly", "--json", "--seed", str(seed)]
    command += ["--comparisons", str(comparisons), "--lineages", str(lineages)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def figures(
    url: str,
    *,
    clients: int,
    seconds: float,
    attackers: int,
    queries: int,
    server_log: str | None,
    comparisons: int,
    lineages: int,
    seed: int,
    probe_url: str | None = None,
) -> dict:
    """Every figure of issue 18 against one server, one after another."""
    targets = catalog()
    alone = load(url, clients, seconds, seed=seed, targets=targets, probe_url=probe_url)
    attacked = load(
        url, clients, seconds, attackers=attackers, seed=seed, targets=targets, probe_url=probe_url
    )
    fuzzed = fuzz(url, queries, server_log, seed, targets)
    return {
        "alone": alone,
        "attacked": attacked,
        "fuzz": fuzzed,
        "costly": costs(comparisons, lineages, seed),
    }


def _ms(value) -> str:
    return "–" if value != value else f"{value:,.0f}"  # NaN: no request of that kind


def format_load(result: dict) -> str:
    """The latency table of one load: a row per kind, then the analysts over all."""
    lines = [
        f"{result['clients']} analysts"
        + (f" + {result['attackers']} attackers" if result["attackers"] else "")
        + f", {result['seconds']} s: {result['per_second']} analyst requests/s"
        + (
            f" (not asked, nothing to ask: {', '.join(result['not_asked'])})"
            if result.get("not_asked")
            else ""
        ),
        "",
        "| kind | requests | errors | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    rows = list(result["kinds"].items())
    if result.get("attack"):
        rows.append(("attackers' comparisons", result["attack"]))
    if result.get("probe"):
        rows.append(("probe: /healthz at the probes' address", result["probe"]))
    for kind, s in rows:
        name = "**all analysts**" if kind == "all" else kind
        lines.append(
            f"| {name} | {s['requests']:,} | {s['errors']:,} | {_ms(s['p50_ms'])} | {_ms(s['p95_ms'])} "
            f"| {_ms(s['p99_ms'])} | {_ms(s['max_ms'])} |"
        )
    return "\n".join(lines)


def format_fuzz(result: dict) -> str:
    traced = "not read (no --server-log)" if result["tracebacks"] is None else f"{result['tracebacks']:,}"
    statuses = ", ".join(f"{n:,} × {status}" for status, n in result["statuses"].items())
    return (
        f"{result['requests']:,} fuzzed queries: {result['server_errors']:,} server errors, "
        f"{traced} tracebacks logged, tables changed: {', '.join(result['rows_changed']) or 'none'} "
        f"({statuses})"
    )


def goals(results: dict) -> list[tuple[str, str, str, bool]]:
    """(figure, goal, measured, met) for each goal of the issue that these results measure."""
    alone, attacked = results["alone"]["kinds"]["all"], results["attacked"]["kinds"]["all"]
    # What a load balancer sees: the probes' address when there is one, else the public one.
    probed = results["attacked"].get("probe")
    healthz = (probed or results["attacked"]["kinds"].get("healthz", {})).get("p99_ms", float("nan"))
    where = "probes' address" if probed else "public address"
    slowdown = attacked["p95_ms"] / alone["p95_ms"] if alone["p95_ms"] else float("nan")
    worst = max(
        ((kind, s["max_ms"]) for kind, s in results["costly"]["kinds"].items()),
        key=lambda item: item[1],
        default=("–", float("nan")),
    )
    fuzzed = results["fuzz"]
    return [
        ("analyst mix", "0 errors", f"{alone['errors']:,}", alone["errors"] == 0),
        (
            "analyst mix",
            f"p95 ≤ {P95_GOAL_MS} ms",
            f"{_ms(alone['p95_ms'])} ms",
            alone["p95_ms"] <= P95_GOAL_MS,
        ),
        ("with attackers", "0 errors", f"{attacked['errors']:,}", attacked["errors"] == 0),
        (
            "with attackers",
            f"analysts' p95 ≤ {ATTACK_SLOWDOWN}× alone",
            f"{slowdown:.2f}×",
            slowdown <= ATTACK_SLOWDOWN,
        ),
        (
            "with attackers",
            f"/healthz p99 ≤ {HEALTHZ_P99_GOAL_MS} ms",
            f"{_ms(healthz)} ms ({where})",
            healthz <= HEALTHZ_P99_GOAL_MS,
        ),
        (
            "costliest request",
            f"≤ {CPU_GOAL_MS} ms of CPU",
            f"{_ms(worst[1])} ms ({worst[0]})",
            worst[1] <= CPU_GOAL_MS,
        ),
        ("fuzz", "0 server errors", f"{fuzzed['server_errors']:,}", fuzzed["server_errors"] == 0),
        ("fuzz", "0 tracebacks", str(fuzzed["tracebacks"]), fuzzed["tracebacks"] == 0),
        ("fuzz", "0 rows changed", ", ".join(fuzzed["rows_changed"]) or "none", not fuzzed["rows_changed"]),
    ]


def format_figures(results: dict) -> str:
    from bench.costly import format_costs

    lines = ["| figure | goal | measured | met |", "|---|---|---|---|"]
    lines += [f"| {f} | {g} | {m} | {'yes' if ok else '**no**'} |" for f, g, m, ok in goals(results)]
    return "\n\n".join(
        [
            "\n".join(lines),
            "Analyst mix:\n\n" + format_load(results["alone"]),
            "With attackers:\n\n" + format_load(results["attacked"]),
            "CPU time of single requests (bench.costly):\n\n" + format_costs(results["costly"]),
            format_fuzz(results["fuzz"]),
        ]
    )


def kills(url: str, rounds: int, seed: int = 0) -> dict:
    """Publish, replace and kill ingest_file at random moments while threads search.

    Every publish writes one of two versions of a test document whose paragraphs carry
    the round's marker word; searches for earlier markers must never find a paragraph
    once its replacement is committed. Afterwards the change log is applied and the
    index must hold exactly the database's paragraphs.
    """
    rng = random.Random(seed)
    folder = Path(tempfile.mkdtemp(prefix="kills-"))
    python = sys.executable
    stop = threading.Event()
    seen_errors: list[str] = []
    searches = [0]

    def searcher():
        while not stop.is_set():
            status, body = fetch(f"{url}/api/search?q=zqkill")
            searches[0] += 1
            if status != 200:
                seen_errors.append(f"search answered {status}")
                continue
            hits = json.loads(body)["hits"]
            anchors = [h["anchor"] for h in hits]
            if len(anchors) != len(set(anchors)):
                seen_errors.append(f"a paragraph twice: {anchors}")
            # The database holds one round's text at any moment: hits of two rounds in
            # one answer would show a paragraph it no longer held.
            rounds = {m for h in hits for m in re.findall(r"zqkill(\d+)", h["snippet"])}
            if len(rounds) > 1:
                seen_errors.append(f"paragraphs of rounds {sorted(rounds)} in one answer")

    threads = [threading.Thread(target=searcher) for _ in range(4)]
    for thread in threads:
        thread.start()
    killed = published = 0
    failures: list = []
    for n in range(rounds):
        paragraphs = rng.randint(3, 40)
        lines = ["The General Assembly,", "Recalling its earlier resolutions,"]
        lines += [f"{i}. Decides zqkill{n} zqkill item {i} of round {n};" for i in range(1, paragraphs + 1)]
        path = folder / f"round{n}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        command = [python, "manage.py", "ingest_file", str(path), "--language", "en", "--key", "kills-test"]
        command += ["--replace"]  # a later round replaces the earlier one
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if rng.random() < 0.6:
            time.sleep(rng.uniform(0.05, 2.0))
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                killed += 1
        _, err = process.communicate()
        if process.returncode == 0:
            published += 1
        elif process.returncode != -signal.SIGKILL:
            failures.append(err.decode(errors="replace").strip().splitlines()[-1:])
    time.sleep(2.5)  # the servers' followers apply within a second
    stop.set()
    for thread in threads:
        thread.join()
    check = subprocess.run(
        [python, "-m", "bench.serving", "compare"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return {
        "rounds": rounds,
        "killed": killed,
        "completed": published,
        "failed": failures,
        "searches": searches[0],
        "search_errors": seen_errors[:5],
        "index_equals_database": check.stdout.strip(),
    }


def compare() -> str:
    """Apply the change log, then compare the index's paragraphs with the database's."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "search.settings")
    django.setup()
    from search.engine import docsets
    from search.engine.index import apply_changes, get_searcher, text_digest
    from search.models import Paragraph

    apply_changes()
    searcher = get_searcher()
    digests = docsets.numbers(searcher.reader(), "digest")  # the index keeps each text's digest
    live = docsets.live_docs(searcher.reader()).tolist()
    indexed = {(searcher.stored_fields(d)["id"], int(digests[d])) for d in live}
    rows = Paragraph.objects.values_list("version_id", "anchor", "text")
    stored = {(f"{v}:{a}", text_digest(t)) for v, a, t in rows}
    if indexed == stored:
        return f"yes ({len(stored)} paragraphs)"
    return f"NO: {len(indexed - stored)} only in the index, {len(stored - indexed)} only in the database"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.serving")
    parser.add_argument("what", choices=["figures", "load", "fuzz", "kills", "compare"])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--probe-url", help="the probes' address (make serve's PROBE_BIND), for /healthz")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--attackers", type=int, default=None, help="load: 0; figures: 4")
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--server-log", help="the server's stderr, to count the tracebacks it logs")
    parser.add_argument("--comparisons", type=int, default=500)
    parser.add_argument("--lineages", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args(argv)
    if args.what == "compare":
        print(compare())
        return
    if args.what == "kills":
        print(json.dumps(kills(args.url, args.rounds), ensure_ascii=False, indent=1))
        return
    setup_django()
    if args.what == "figures":
        result = figures(
            args.url,
            clients=args.clients,
            seconds=args.seconds,
            attackers=4 if args.attackers is None else args.attackers,
            queries=args.queries,
            server_log=args.server_log,
            comparisons=args.comparisons,
            lineages=args.lineages,
            seed=args.seed,
            probe_url=args.probe_url,
        )
        text = format_figures(result)
    elif args.what == "load":
        result = load(
            args.url, args.clients, args.seconds, args.attackers or 0, args.seed, probe_url=args.probe_url
        )
        text = format_load(result)
    else:
        result = fuzz(args.url, args.queries, args.server_log, args.seed)
        text = format_fuzz(result)
    print(json.dumps(result, ensure_ascii=False, indent=1) if args.json else text)


if __name__ == "__main__":
    main()
