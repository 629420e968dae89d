"""How well mandates are read: `python -m bench.mandates [--half dev|test|all] [--misses]
[--corpus]`.

The labelled sample (`bench/mandates/*.toml`: 230 operative paragraphs, English of every
Main Committee and the plenary, Chinese of the corpus's texts) was labelled by reading,
by the rules of `bench/mandates/README.md`, blind to the reader. Each paragraph belongs
to a half by its document: the reader's rules were chosen on "dev" and are measured on
"test". For each paragraph the sets of actions,
addressees (normalised to entity keys on both sides), deliverables and due dates ("GA
81", "HRC 62", "2030", "annually") are compared; precision and recall are micro-averaged
over the paragraphs. `--misses` prints every paragraph where a set differs; `--corpus`
also times reading every operative paragraph the database holds.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tomllib
from collections import defaultdict
from pathlib import Path

LABELS = Path(__file__).with_name("mandates")
ASPECTS = ("actions", "addressees", "deliverables", "due")


def labelled() -> list[dict]:
    rows = []
    for path in sorted(LABELS.glob("*.toml")):
        with path.open("rb") as handle:
            rows += tomllib.load(handle)["p"]
    return rows


def context_for(row: dict):
    from search.ingest.mandates import context_of
    from search.parsing import session_number

    body = "ECOSOC" if row["doc"].startswith("E/") else "GA"
    return context_of(body, session_number(row["session"]))


def predicted(row: dict) -> dict[str, set[str]]:
    from search.parsing import read_mandates

    context = context_for(row)
    found = read_mandates(row["text"], row["lang"], context, row.get("chapeau", ""))
    return {
        "actions": {m.action for m in found},
        "addressees": {m.addressee for m in found if m.addressee},
        "deliverables": {m.deliverable for m in found if m.deliverable},
        "due": {m.due.label for m in found if m.due.label},
    }


def expected(row: dict) -> dict[str, set[str]]:
    from search.parsing import normalise_addressee

    context = context_for(row)
    return {
        "actions": set(row["actions"]),
        "addressees": {normalise_addressee(a, context) for a in row["addressees"]},
        "deliverables": set(row["deliverables"]),
        "due": set(row["due"]),
    }


def measure(rows: list[dict], misses: bool) -> dict:
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])  # hits, found, labelled
    for row in rows:
        got, want = predicted(row), expected(row)
        for aspect in ASPECTS:
            for group in (row["lang"], "all"):
                tally = counts[(group, aspect)]
                tally[0] += len(got[aspect] & want[aspect])
                tally[1] += len(got[aspect])
                tally[2] += len(want[aspect])
        if misses and got != want:
            print(f"\n{row['doc']} {row['anchor']} [{row['lang']}] {row['text'][:300]}")
            for aspect in ASPECTS:
                if got[aspect] != want[aspect]:
                    print(f"   {aspect}: read {sorted(got[aspect])} labelled {sorted(want[aspect])}")
    return counts


def report(title: str, counts: dict) -> None:
    print(f"\n{title}")
    print(f"{'':6} {'aspect':13} {'precision':>10} {'recall':>8} {'labelled':>9}")
    for (group, aspect), (hits, found, wanted) in sorted(counts.items()):
        precision = hits / found if found else 1.0
        recall = hits / wanted if wanted else 1.0
        print(f"{group:6} {aspect:13} {precision:10.1%} {recall:8.1%} {wanted:9}")


def corpus_time() -> None:
    from search.ingest.mandates import read_stored_mandates

    started, cpu = time.perf_counter(), time.process_time()
    summary = read_stored_mandates(store=False)
    print(
        f"\nthe corpus: {summary.paragraphs:,} operative paragraphs of {summary.versions:,} versions "
        f"read in {time.perf_counter() - started:.2f} s ({time.process_time() - cpu:.2f} s CPU, the "
        f"database's reading included): {summary.mandates:,} mandates"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--half", choices=("dev", "test", "all"), default="all")
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--corpus", action="store_true")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "search.settings")
    import django

    django.setup()
    rows = labelled()
    halves = ("dev", "test") if args.half == "all" else (args.half,)
    for half in halves:
        mine = [r for r in rows if r["half"] == half]
        report(
            f"{half}: {len(mine)} paragraphs ({sum(r['lang'] == 'zh' for r in mine)} Chinese)",
            measure(mine, args.misses),
        )
    if args.corpus:
        corpus_time()
    return 0


if __name__ == "__main__":
    sys.exit(main())
