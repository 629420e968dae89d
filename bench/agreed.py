"""Measure agreed language on the real corpus: `python -m bench.agreed` (issue 13).

Against the configured database (load the corpus first: `make run` or `make prepare`):
1. traces the whole corpus again (`manage.py trace_wording`) and prints the time;
2. precision and recall of "the same or nearly the same wording" on the pairs labelled
   by reading in `lineage_pairs.toml`: all, per language, and on each half (the
   thresholds were chosen on the even pairs: the odd ones are the honest measure);
3. the accuracy of matching drafts to resolutions by content alone (titles ignored),
   and of the links the application holds, against `draft_matches.toml`, checked by
   reading.
Everything but `main` is a plain function of its inputs.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAIRS = HERE / "lineage_pairs.toml"
DRAFTS = HERE / "draft_matches.toml"


@dataclass(frozen=True)
class Pair:
    index: int
    a: tuple[str, str, str]  # resolution key, language, anchor
    b: tuple[str, str, str]
    same: bool


def load_pairs(path: Path = PAIRS) -> list[Pair]:
    with open(path, "rb") as f:
        entries = tomllib.load(f)["pair"]
    return [Pair(i, _ref(e["a"]), _ref(e["b"]), e["same"]) for i, e in enumerate(entries)]


def _ref(text: str) -> tuple[str, str, str]:
    key, language, anchor = text.rsplit(" ", 2)
    return key, language, anchor


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, same: bool, found: bool) -> None:
        if same and found:
            self.tp += 1
        elif same:
            self.fn += 1
        elif found:
            self.fp += 1
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def __str__(self) -> str:
        n = self.tp + self.fp + self.fn + self.tn
        return (
            f"{n} pairs: precision {self.precision:.2f} ({self.tp}/{self.tp + self.fp}), "
            f"recall {self.recall:.2f} ({self.tp}/{self.tp + self.fn})"
        )


def score_pairs(pairs: list[Pair], found: set[tuple[Pair, bool]] | dict[int, bool]) -> dict[str, Counts]:
    """Tally the detector's answers (`found`: pair index → found) by language and half."""
    groups: dict[str, Counts] = {}
    for pair in pairs:
        if pair.index not in found:
            continue
        for name in ("all", pair.a[1], "even (chosen on)" if pair.index % 2 == 0 else "odd (measured on)"):
            groups.setdefault(name, Counts()).add(pair.same, found[pair.index])
    return groups


def detector_answers(pairs: list[Pair]) -> dict[int, bool]:
    """Whether the stored shared wording pairs each labelled pair (missing paragraphs left out)."""
    from django.db.models import Q

    from search.models import Paragraph, SharedWording

    answers = {}
    for pair in pairs:
        ids = []
        for key, language, anchor in (pair.a, pair.b):
            row = Paragraph.objects.filter(
                version__resolution__key=key, version__language=language, anchor=anchor
            ).first()
            ids.append(row.pk if row else None)
        if None in ids:
            continue
        first, second = sorted(ids)
        answers[pair.index] = SharedWording.objects.filter(Q(first_id=first, second_id=second)).exists()
    return answers


def load_drafts(path: Path = DRAFTS) -> list[dict]:
    with open(path, "rb") as f:
        return tomllib.load(f)["draft"]


def draft_accuracy(truth: list[dict]) -> dict[str, tuple[int, int, list[str]]]:
    """For each way of linking, (right, checked, the drafts it got wrong)."""
    from search.ingest.matching import drafts as all_drafts
    from search.ingest.matching import match_by_content, superseded
    from search.models import Resolution

    stored = {d.key: d for d in all_drafts()}
    replaced = superseded(list(stored.values()))
    tallies: dict[str, tuple[int, int, list[str]]] = {}
    for name in ("by content alone", "links held"):
        right, wrong = 0, []
        for entry in truth:
            draft = stored.get(entry["key"])
            if draft is None:
                continue
            expected = entry["became"] if entry.get("latest", True) else ""
            if name == "by content alone":
                match = match_by_content(draft)
                got = match.best.resolution.symbol if match.confident and draft.pk not in replaced else ""
            else:
                became = Resolution.objects.filter(pk=draft.became_id).first()
                got = became.symbol if became else ""
            if got == expected:
                right += 1
            else:
                name_ = entry["symbol"] or entry["key"]
                wrong.append(f"{name_}: {got or 'none'} (by reading: {expected or 'none'})")
        tallies[name] = (right, right + len(wrong), wrong)
    return tallies


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-trace", action="store_true", help="measure what is stored; do not trace again")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "search.settings")
    import django

    django.setup()
    from django.core.management import call_command

    if not args.no_trace:
        out = io.StringIO()
        started = time.perf_counter()
        call_command("trace_wording", stdout=out)
        print(out.getvalue().strip())
        print(f"whole corpus traced in {time.perf_counter() - started:.1f} s (wall, drafts matched included)")
    pairs = load_pairs()
    answers = detector_answers(pairs)
    print(f"\nsame wording, on {len(answers)} of {len(pairs)} hand-labelled pairs found in this database:")
    for name, counts in score_pairs(pairs, answers).items():
        print(f"  {name}: {counts}")
    if DRAFTS.exists():
        print("\ndrafts and the resolution each became, against the pairs checked by reading:")
        for name, (right, checked, wrong) in draft_accuracy(load_drafts()).items():
            print(
                f"  {name}: {right}/{checked} right ({right / checked:.0%})" if checked else f"  {name}: none"
            )
            for line in wrong:
                print(f"    {line}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
