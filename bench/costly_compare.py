"""The CPU time of the costliest single requests: comparisons of two documents and lineages.

    python -m bench.costly_compare --comparisons 500 --lineages 500 --worst 10

Against the configured database (the corpus loaded: `make prepare`) and its settings
(DEBUG, DATABASE_*), in this one process: every request goes through Django's test
client, after a warm-up request of each kind, and its CPU time is `time.process_time()`
around it (the whole view: queries, work, template). Each request is timed with the
results cache emptied first (what the first visitor after a publish pays) and, with
`--cached`, timed again as the next visitor gets it. Nothing is written to the database.

The URLs are drawn at random, with a seed: comparisons of two documents that share a
language, lineages of paragraphs that share their wording with at least one other.
`costly_requests()` is what another benchmark calls; everything else is a plain
function of its inputs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from collections.abc import Callable, Iterable
from urllib.parse import urlencode

# The bad pair of issue 18: two unrelated resolutions of 157 and 228 paragraphs.
UNRELATED = "/compare/?" + urlencode({"from": "A/RES/80/229", "to": "A/RES/78/128", "lang": "en"})


def random_comparisons(n: int, seed: int = 0) -> list[str]:
    """URLs of n comparisons of two documents drawn at random among those with a language in common."""
    from search.models import Text

    languages: dict[str, set[str]] = {}
    for key, language in Text.objects.values_list("resolution__key", "language"):
        languages.setdefault(key, set()).add(language)
    keys = sorted(languages)
    rng = random.Random(seed)
    urls = []
    while len(urls) < n and len(keys) > 1:
        first, second = rng.sample(keys, 2)
        shared = sorted(languages[first] & languages[second])
        if shared:
            query = {"from": first, "to": second, "lang": rng.choice(shared)}
            urls.append("/compare/?" + urlencode(query))
    return urls


def random_lineages(n: int, seed: int = 0) -> list[str]:
    """URLs of n lineage pages (and their API twin, one in four) of paragraphs with shared wording."""
    from search.models import Paragraph, SharedWording

    pairs = SharedWording.objects.values_list("first_id", "second_id")
    shared = sorted({pk for pair in pairs for pk in pair})
    rng = random.Random(seed)
    chosen = [rng.choice(shared) for _ in range(n)] if shared else []
    rows = Paragraph.objects.filter(pk__in=set(chosen)).values_list(
        "pk", "version__resolution__key", "version__language", "anchor"
    )
    where = {pk: (key, language, anchor) for pk, key, language, anchor in rows}
    urls = []
    for pk in chosen:
        key, language, anchor = where[pk]
        path = "/api/lineage?" if rng.random() < 0.25 else "/lineage/?"
        urls.append(path + urlencode({"key": key, "lang": language, "anchor": anchor}))
    return urls


def cpu_of(get: Callable[[str], object], url: str, before: Callable[[], None] = lambda: None) -> float:
    """The CPU time (seconds) of one request, `before` run first and not counted."""
    before()
    started = time.process_time()
    response = get(url)
    spent = time.process_time() - started
    if getattr(response, "status_code", 200) >= 500:
        raise RuntimeError(f"{url}: {response.status_code}")
    return spent


def _client():
    from django.conf import settings
    from django.test import Client

    host = (settings.ALLOWED_HOSTS or ["localhost"])[0].lstrip(".").replace("*", "localhost")
    client = Client(HTTP_HOST=host)
    secure = bool(getattr(settings, "SECURE_SSL_REDIRECT", False))
    return lambda url: client.get(url, secure=secure)


def _empty_caches() -> None:
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        cache.clear()


def timed(urls: Iterable[str], cached: bool = False) -> list[tuple[float, str]]:
    """(CPU seconds, URL) of each URL, its cache emptied first; with `cached`, of the view after."""
    get = _client()
    costs = []
    for url in urls:
        cold = cpu_of(get, url, _empty_caches)
        costs.append((cpu_of(get, url) if cached else cold, url))
    return costs


def summary(costs: list[tuple[float, str]], worst: int) -> dict:
    ordered = sorted(costs, reverse=True)
    return {
        "requests": len(costs),
        "total_cpu_s": round(sum(c for c, _ in costs), 2),
        "worst": [[round(c, 3), url] for c, url in ordered[:worst]],
    }


def costly_requests(comparisons: int = 500, lineages: int = 500, worst: int = 10, seed: int = 0) -> dict:
    """The unrelated pair, then random comparisons and lineages: their worst CPU times, cold and cached."""
    get = _client()
    compare_urls = random_comparisons(comparisons, seed)
    lineage_urls = random_lineages(lineages, seed)
    for url in [UNRELATED, *compare_urls[:1], *lineage_urls[:1]]:  # warm: imports, jieba, templates
        get(url)
    result = {
        "unrelated": {"url": UNRELATED, "cold_cpu_s": round(timed([UNRELATED])[0][0], 3)},
        "comparisons": summary(timed(compare_urls), worst),
        "lineages": summary(timed(lineage_urls), worst),
    }
    result["unrelated"]["cached_cpu_s"] = round(timed([UNRELATED], cached=True)[0][0], 4)
    result["comparisons_cached"] = summary(timed(compare_urls[:50], cached=True), 3)
    result["lineages_cached"] = summary(timed(lineage_urls[:50], cached=True), 3)
    return result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.costly_compare")
    parser.add_argument("--comparisons", type=int, default=500)
    parser.add_argument("--lineages", type=int, default=500)
    parser.add_argument("--worst", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "search.settings")
    import django

    django.setup()
    result = costly_requests(args.comparisons, args.lineages, args.worst, args.seed)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
