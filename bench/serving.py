"""Figures of the site as it is served: concurrent clients, fuzzed queries, killed publishes.

Each runs against a server already listening on 127.0.0.1 (`make run` or `make serve`)
and prints its numbers; nothing here is a test that times anything.

    python -m bench.serving load --url http://127.0.0.1:8000 --clients 50 --seconds 30
    python -m bench.serving fuzz --url http://127.0.0.1:8000 --queries 10000
    python -m bench.serving kills --url http://127.0.0.1:8000 --rounds 30

`kills` publishes, replaces and SIGKILLs `manage.py ingest_file` at random moments
while threads search, then applies the change log and compares the index with the
database: it must run with the same settings (DATABASE_*, INDEX_DIR) as the server.
"""

from __future__ import annotations

import argparse
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

ROOT = Path(__file__).resolve().parent.parent

QUERIES = [
    "贩运人口",
    "会员国 器官",
    '"打击贩运人口"',
    "trafficking in persons",
    "traffickers lang:en",
    "A/RES/71/322",
    "器官 OR 组织 -贩运",
    "organ removal year:2017",
]
PAGES = [
    "/r/A/RES/71/322/",
    "/r/A/RES/72/1/?lang=en&q=trafficking",
    "/r/A/RES/74/176/?view=both",
    # Agreed language (issue 13): a page with its counts, a lineage, its API, a comparison.
    "/r/A/RES/80/221/?lang=en",
    "/lineage/?key=A%2FRES%2F80%2F191&lang=en&anchor=pp1",
    "/api/lineage?key=A%2FRES%2F80%2F221&lang=en&anchor=op27",
    "/compare/?from=A%2FRES%2F78%2F219&to=A%2FRES%2F80%2F221&lang=en",
    "/?q=Myanmar+wording%3Anew",
]


def fetch(url: str, timeout: float = 30.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (urllib.error.URLError, OSError) as error:
        return 0, repr(error).encode()


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def load(url: str, clients: int, seconds: float) -> dict:
    """Many clients at once, each asking searches, API calls and pages in turn, for a while."""
    targets = [f"{url}/?q={urllib.parse.quote(q)}" for q in QUERIES]
    targets += [f"{url}/api/search?q={urllib.parse.quote(q)}&page=2" for q in QUERIES]
    targets += [url + page for page in PAGES]
    timings: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(n: int):
        rng = random.Random(n)
        while time.monotonic() < stop:
            target = rng.choice(targets)
            started = time.monotonic()
            status, _ = fetch(target)
            with lock:
                timings.append(time.monotonic() - started)
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    errors = sum(n for status, n in statuses.items() if status != 200)
    return {
        "requests": len(timings),
        "errors": errors,
        "statuses": statuses,
        "per_second": round(len(timings) / elapsed, 1),
        "p50_ms": round(percentile(timings, 50) * 1000, 1),
        "p95_ms": round(percentile(timings, 95) * 1000, 1),
    }


def fuzz_queries(n: int, seed: int = 0) -> list[str]:
    """Return query strings (already %-encoded) made to hurt: syntax, size, control bytes."""
    rng = random.Random(seed)
    syntax = '"()-:*\\/?&#%+ORANDNOT第号决议' + "".join(chr(c) for c in range(0, 32))
    words = ["贩运", "organ", "lang:", "kind:xx", "year:99999", "symbol:", "body:", "-", "OR", '"']
    out = []
    for i in range(n):
        kind = i % 6
        if kind == 0:
            q = "".join(rng.choice(syntax) for _ in range(rng.randint(1, 40)))
            out.append("q=" + urllib.parse.quote(q))
        elif kind == 1:
            q = " ".join(rng.choice(words) for _ in range(rng.randint(1, 12)))
            out.append(
                "q=" + urllib.parse.quote(q) + f"&page={rng.choice(['0', '-1', 'x', '9999999', '2', ''])}"
            )
        elif kind == 2:  # 100 kB
            out.append("q=" + urllib.parse.quote(rng.choice(string.ascii_letters + "贩运") * 100_000))
        elif kind == 3:  # bytes that are not UTF-8
            out.append("q=" + "".join(f"%{rng.randrange(128, 256):02X}" for _ in range(rng.randint(1, 30))))
        elif kind == 4:
            out.append(
                "q=" + urllib.parse.quote(rng.choice(words)) + "&page=" + urllib.parse.quote("\x00" * 3)
            )
        else:
            chars = [chr(rng.randrange(0x20, 0x3000)) for _ in range(rng.randint(1, 60))]
            out.append("q=" + urllib.parse.quote("".join(chars), safe=""))
    return out


def fuzz(url: str, queries: int) -> dict:
    paths = ["/", "/api/search", "/r/A/RES/71/322/"]
    statuses: dict[int, int] = {}
    failures = []
    for i, query in enumerate(fuzz_queries(queries)):
        status, body = fetch(f"{url}{paths[i % 3]}?{query}")
        statuses[status] = statuses.get(status, 0) + 1
        if status >= 500 or status == 0:
            failures.append((paths[i % 3], query[:80], status))
    return {"requests": queries, "server_errors": len(failures), "statuses": statuses, "first": failures[:5]}


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
    from search.engine.index import apply_changes, get_searcher
    from search.models import Paragraph

    apply_changes()
    searcher = get_searcher()
    indexed = {(f["id"], f["text"]) for f in searcher.all_stored_fields()}
    stored = {(f"{v}:{a}", t) for v, a, t in Paragraph.objects.values_list("version_id", "anchor", "text")}
    if indexed == stored:
        return f"yes ({len(stored)} paragraphs)"
    return f"NO: {len(indexed - stored)} only in the index, {len(stored - indexed)} only in the database"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.serving")
    parser.add_argument("what", choices=["load", "fuzz", "kills", "compare"])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args(argv)
    if args.what == "compare":
        print(compare())
        return
    if args.what == "load":
        result = load(args.url, args.clients, args.seconds)
    elif args.what == "fuzz":
        result = fuzz(args.url, args.queries)
    else:
        result = kills(args.url, args.rounds)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
