"""Does the bounded comparison pair paragraphs as the exhaustive one did? (issue 18)

    python -m bench.compare_pairing --reference 598655a [--limit N]

Against the configured database (the corpus loaded and traced: `make prepare`). The
exhaustive comparison is search/web/comparing.py as it was at the `--reference`
commit (read with `git show`, every deleted paragraph measured against every added
one); the bounded one is today's. Compared on every draft and the resolution it became
(Resolution.became), in each language both have, and on every two documents that share
wording: at least a fifth (--min-share) of the shorter one's paragraphs have the same or
nearly the same wording in the other (SharedWording), earlier document first. Prints the pairs of
documents whose pairing differs, each differing row with both methods' verdicts, the
ratio the exhaustive method saw and the share of word pairs the bounded one did; and
which of those differences the exhaustive method makes too once it keeps the bounded
one's rule that paragraphs sharing fewer than SHARED_PAIRS of their word pairs are
not alike (unrelated English paragraphs reach a ratio of 0.5 on the spaces and
punctuation between their words alone).

The reference costs seconds a pair of documents: its pairings are kept in
var/compare_reference.json (keyed by the versions' paragraph ids), so a second run only
runs today's method.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import types
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STORE = ROOT / "var" / "compare_reference.json"


def reference_module(commit: str) -> types.ModuleType:
    """search/web/comparing.py as it was at `commit`, as a module of its own."""
    show = ["git", "show", f"{commit}:search/web/comparing.py"]
    source = subprocess.run(show, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    module = types.ModuleType("reference_comparing")
    module.__file__ = f"{commit}:search/web/comparing.py"
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, module.__file__, "exec"), module.__dict__)
    return module


def with_the_rule(reference: types.ModuleType) -> types.ModuleType:
    """The exhaustive comparison that, as the bounded one, never pairs two paragraphs that
    share fewer than SHARED_PAIRS of their word pairs: a difference it explains is that rule's."""
    from search.web.comparing import SHARED_PAIRS, _Para

    ruled = types.ModuleType("reference_comparing_ruled")
    ruled.__dict__.update(reference.__dict__)
    exhaustive = reference._most_alike

    def share(a: str, b: str, language: str) -> float:
        x, y = (_Para(0, None, text, language).word_pairs for text in (a, b))
        return 2 * len(x & y) / (len(x) + len(y)) if x or y else 0.0

    def most_alike(text: str, others: list[str], language: str) -> tuple[float, int]:
        kept = [k for k, other in enumerate(others) if share(text, other, language) >= SHARED_PAIRS]
        best, index = exhaustive(text, [others[k] for k in kept], language)
        return (best, kept[index]) if index >= 0 else (best, -1)

    # The functions that call _most_alike look it up in their module's globals: this one's.
    for name in ("compare", "_find_moves", "_pair_changed"):
        function = getattr(reference, name)
        setattr(ruled, name, types.FunctionType(function.__code__, ruled.__dict__, name))
    ruled._most_alike = most_alike
    return ruled


def document_pairs(min_share: float = 0.2) -> list[tuple[int, int, str]]:
    """(first Text id, second Text id, why): drafts and what they became, then documents sharing wording."""
    from search.models import Paragraph, Resolution, SharedWording, Text

    texts = {(r, lang): pk for pk, r, lang in Text.objects.values_list("pk", "resolution_id", "language")}
    pairs: dict[tuple[int, int], str] = {}
    for draft, became in Resolution.objects.exclude(became=None).values_list("pk", "became_id"):
        for language in ("en", "zh"):
            if (draft, language) in texts and (became, language) in texts:
                pairs[texts[draft, language], texts[became, language]] = "became"
    where = dict(Paragraph.objects.values_list("pk", "version_id"))
    sizes = Counter(where.values())
    dates = {pk: _date(pk) for pk in texts.values()}
    shared: Counter = Counter()
    for a, b in SharedWording.objects.values_list("first_id", "second_id"):
        shared[frozenset((where[a], where[b]))] += 1
    for versions, n in sorted(shared.items(), key=lambda item: sorted(item[0])):
        first, second = sorted(versions, key=lambda v: (dates[v], v))
        if n >= min_share * min(sizes[first], sizes[second]) and (second, first) not in pairs:
            pairs.setdefault((first, second), "shared wording")
    return [(a, b, why) for (a, b), why in pairs.items()]


def _date(version: int):
    import datetime

    from search.models import Text

    text = Text.objects.select_related("resolution").get(pk=version)
    return text.resolution.adopted_on or text.issued_on or datetime.date.max


def rows_of_reference(pairs) -> list[list]:
    """The exhaustive method's rows: [status, left anchor, right anchor, moved to, moved from]."""
    anchor = lambda p: p.anchor if p is not None else None  # noqa: E731
    return [[p.status, *(anchor(x) for x in (p.left, p.right, p.moved_to, p.moved_from))] for p in pairs]


def rows_of(comparison) -> list[list]:
    anchor = lambda side: side.anchor if side is not None else None  # noqa: E731
    return [
        [p.status, anchor(p.left), anchor(p.right), anchor(p.moved_to), anchor(p.moved_from)]
        for p in comparison.pairs
    ]


def stamp(version: int) -> str:
    from django.db.models import Count, Max

    from search.models import Paragraph

    found = Paragraph.objects.filter(version=version).aggregate(last=Max("pk"), n=Count("pk"))
    return f"{version}.{found['last']}.{found['n']}"


def explain(first, second, old: list[list], new: list[list]) -> list[str]:
    """Each row one method has and the other has not, with the ratio and the shared word pairs."""
    from difflib import SequenceMatcher

    from search.engine.wording import diff_tokens, plain, shingles, words

    texts = {("L", p.anchor): p.text for p in first.paragraphs.all()}
    texts |= {("R", p.anchor): p.text for p in second.paragraphs.all()}
    language = first.language

    def measures(left: str, right: str) -> str:
        a, b = texts["L", left], texts["R", right]
        ta, tb = (tuple(diff_tokens(plain(t), language)) for t in (a, b))
        ratio = SequenceMatcher(None, ta, tb, autojunk=False).ratio()
        wa, wb = (shingles(words(t, language)) for t in (a, b))
        share = 2 * len(wa & wb) / (len(wa) + len(wb)) if wa or wb else 0.0
        return f"ratio {ratio:.3f}, word pairs shared {share:.3f}"

    lines = []
    olds, news = {tuple(r) for r in old}, {tuple(r) for r in new}
    for tag, rows in (("only before", olds - news), ("only now", news - olds)):
        for status, left, right, moved_to, moved_from in sorted(rows, key=str):
            line = f"    {tag}: {status} {left or '-'} -> {right or moved_to or '-'}"
            pair = (left, right or moved_to) if left and (right or moved_to) else None
            if moved_from and right:
                pair = (moved_from, right)
            if pair:
                line += f" ({measures(*pair)})"
            lines.append(line)
    return lines


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.compare_pairing")
    parser.add_argument("--reference", required=True, help="the commit of the exhaustive comparison")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pairs of documents")
    parser.add_argument(
        "--min-share",
        type=float,
        default=0.2,
        help="documents sharing wording in at least this share of the shorter one's paragraphs "
        "(0: every two sharing one paragraph, 3,645 pairs, hours of the exhaustive method)",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "search.settings")
    import django

    django.setup()
    from search.models import Text
    from search.web import comparing

    methods = {"exhaustive": reference_module(args.reference)}
    methods["exhaustive with the rule"] = with_the_rule(methods["exhaustive"])
    stored = json.loads(STORE.read_text()) if STORE.exists() else {}
    pairs = document_pairs(args.min_share)[: args.limit or None]
    print(f"{len(pairs)} pairs of documents: {dict(Counter(why for _, _, why in pairs))}", flush=True)
    differ, cpu_old, cpu_new = [], 0.0, 0.0
    for n, (a, b, why) in enumerate(pairs, 1):
        first, second = Text.objects.select_related("resolution").get(pk=a), Text.objects.get(pk=b)
        before = {}
        for name, module in methods.items():
            key = f"{args.reference}:{stamp(a)}:{stamp(b)}"
            key += "" if name == "exhaustive" else f":{name} {comparing.SHARED_PAIRS}"
            if key not in stored:
                started = time.process_time()
                stored[key] = rows_of_reference(module.compare(first, second))
                cpu_old += time.process_time() - started
            before[name] = stored[key]
        if n % 10 == 0:
            _save(stored)
        started = time.process_time()
        new = rows_of(comparing.compare(first, second))
        cpu_new += time.process_time() - started
        if new != before["exhaustive"]:
            differ.append((first, second, why, before, new))
    _save(stored)
    print(f"CPU: the exhaustive method {cpu_old:.1f} s (new runs only), the bounded one {cpu_new:.1f} s")
    same = len(pairs) - len(differ)
    print(f"{same} of {len(pairs)} pairs of documents paired as the exhaustive method does")
    ruled = [d for d in differ if d[4] == d[3]["exhaustive with the rule"]]
    print(
        f"{len(ruled)} pair as the exhaustive method does once it keeps the rule that two paragraphs "
        f"sharing fewer than {comparing.SHARED_PAIRS} of their word pairs are not alike:"
    )
    for first, second, why, before, new in ruled:
        print(f"{first.resolution} -> {second.resolution} [{first.language}] ({why}):")
        print("\n".join(explain(first, second, before["exhaustive"], new)))
    other = [d for d in differ if d[4] != d[3]["exhaustive with the rule"]]
    print(f"{len(other)} pair otherwise (the candidates or the budget):")
    for first, second, why, before, new in other:
        print(f"{first.resolution} -> {second.resolution} [{first.language}] ({why}):")
        print("\n".join(explain(first, second, before["exhaustive with the rule"], new)))


def _save(stored: dict) -> None:
    STORE.parent.mkdir(exist_ok=True)
    STORE.write_text(json.dumps(stored))


if __name__ == "__main__":
    main()
