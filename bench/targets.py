"""What the serving figures ask for: drawn from what the database holds, seeded.

`catalog()` reads the documents, paragraphs and draft ↔ resolution pairs once, with the
settings of the server being measured (DATABASE_URL / DATABASE_PATH); the functions
below turn it into requests. The load (`bench.serving`) and the CPU costs
(`bench.costly`) ask the same kinds of request, built here.
"""

from __future__ import annotations

import random
import urllib.parse
from dataclasses import dataclass, field

from bench import QUERY_MIX

# Searches an analyst types: the benchmark's mix, the earlier load's, a filter of issue 13.
QUERIES = list(
    dict.fromkeys(
        [q for _, q in QUERY_MIX]
        + [
            "贩运人口",
            "会员国 器官",
            "trafficking in persons",
            "traffickers lang:en",
            "A/RES/71/322",
            "器官 OR 组织 -贩运",
            "organ removal year:2017",
            "Myanmar wording:new",
            "human rights defenders",
            "climate change",
            "Member States",
        ]
    )
)

# The analyst mix: how many of every 20 requests are of each kind. "htmx" is the search
# page's partial (the same search with HX-Request: true, as the page asks while one
# types or picks a filter); "compare" is a draft and the resolution it became.
MIX = {
    "search": 4,
    "htmx": 4,
    "api": 2,
    "document": 4,
    "lineage": 2,
    "compare": 1,
    "csv": 1,
    "healthz": 2,
}
KINDS = tuple(MIX)
# The resolutions an attacker compares: two of the longest that share a language.
ATTACK_AMONG = 20


@dataclass(frozen=True)
class Request:
    kind: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class Catalog:
    documents: list[tuple[str, tuple[str, ...]]]  # (key, languages it has)
    paragraphs: list[tuple[str, str, str]]  # (key, language, anchor)
    drafts: list[tuple[str, str, str]]  # (draft key, the resolution it became, a shared language)
    # Adopted resolutions' language versions, longest first: (key, language, paragraphs).
    resolutions: list[tuple[str, str, int]]
    symbols: list[str] = field(default_factory=list)
    related: set[frozenset[str]] = field(default_factory=set)  # keys linked by became, annex, report


def catalog() -> Catalog:
    """Read what the server holds (Django must be set up with the server's settings)."""
    from django.db.models import Count

    from search.models import Paragraph, Resolution, Text
    from search.parsing import RESOLUTION

    languages: dict[str, list[str]] = {}
    for key, language in Text.objects.order_by("resolution__key", "language").values_list(
        "resolution__key", "language"
    ):
        languages.setdefault(key, []).append(language)
    works = list(
        Resolution.objects.values_list(
            "key", "symbol", "doc_type", "became__key", "annex_adopted_as__key", "contained_in__key"
        )
    )
    related = {
        frozenset((key, other))
        for key, *_, became, annex, report in works
        for other in (became, annex, report)
        if other
    }
    drafts = []
    for key, _symbol, _type, became, *_ in works:
        shared = [lang for lang in languages.get(key, []) if lang in languages.get(became or "", [])]
        if became and shared:
            drafts.extend((key, became, language) for language in shared)
    sizes = (
        Text.objects.filter(resolution__doc_type=RESOLUTION)
        .annotate(n=Count("paragraphs"))
        .order_by("-n", "resolution__key", "language")
        .values_list("resolution__key", "language", "n")
    )
    return Catalog(
        documents=[(key, tuple(langs)) for key, langs in sorted(languages.items())],
        paragraphs=list(
            Paragraph.objects.order_by("pk").values_list(
                "version__resolution__key", "version__language", "anchor"
            )
        ),
        drafts=sorted(drafts),
        resolutions=list(sizes),
        symbols=sorted(symbol for _key, symbol, *_ in works if symbol),
        related=related,
    )


def query(catalog: Catalog, rng: random.Random) -> str:
    """A search an analyst types: one of QUERIES, or now and then a symbol held here."""
    if catalog.symbols and rng.random() < 0.2:
        return rng.choice(catalog.symbols)
    return rng.choice(QUERIES)


def document_path(key: str, **params) -> str:
    path = "/r/" + urllib.parse.quote(key, safe="/") + "/"
    return path + ("?" + urllib.parse.urlencode(params) if params else "")


def lineage_path(key: str, language: str, anchor: str) -> str:
    return "/lineage/?" + urllib.parse.urlencode({"key": key, "lang": language, "anchor": anchor})


def compare_path(first: str, second: str, language: str) -> str:
    return "/compare/?" + urllib.parse.urlencode({"from": first, "to": second, "lang": language})


def search_path(q: str, **params) -> str:
    return "/?" + urllib.parse.urlencode({"q": q, **params})


def analyst_request(kind: str, catalog: Catalog, rng: random.Random) -> Request:
    """One request of this kind, its target drawn with `rng`."""
    if kind == "search":
        return Request(kind, search_path(query(catalog, rng)))
    if kind == "htmx":
        return Request(kind, search_path(query(catalog, rng)), (("HX-Request", "true"),))
    if kind == "api":
        params = {"q": query(catalog, rng), "page": rng.choice([1, 1, 2, 3])}
        return Request(kind, "/api/search?" + urllib.parse.urlencode(params))
    if kind == "document":
        key, languages = rng.choice(catalog.documents)
        params = {"view": "both"} if rng.random() < 0.25 else {"lang": rng.choice(languages)}
        if rng.random() < 0.5:  # arrived from a search: its matches are marked
            params["q"] = query(catalog, rng)
        return Request(kind, document_path(key, **params))
    if kind == "lineage":
        return Request(kind, lineage_path(*rng.choice(catalog.paragraphs)))
    if kind == "compare":
        draft, adopted, language = rng.choice(catalog.drafts)
        return Request(kind, compare_path(draft, adopted, language))
    if kind == "csv":
        return Request(kind, "/export.csv?" + urllib.parse.urlencode({"q": query(catalog, rng)}))
    if kind == "healthz":
        return Request(kind, "/healthz")
    raise ValueError(f"no such kind of request: {kind}")


def askable(catalog: Catalog) -> list[str]:
    """The kinds of the mix this database has targets for (a corpus whose drafts share no
    language with the resolutions they became has no draft ↔ resolution comparison)."""
    missing = {
        "document": not catalog.documents,
        "lineage": not catalog.paragraphs,
        "compare": not catalog.drafts,
    }
    return [kind for kind in KINDS if not missing.get(kind)]


def analyst_kinds(n: int, rng: random.Random, kinds=KINDS):
    """The kinds client `n` asks, in turn: first kinds[n], so that as many clients as kinds
    ask every kind at least once however short the run, then drawn by the MIX weights."""
    kinds = list(kinds)
    yield kinds[n % len(kinds)]
    weights = [MIX[kind] for kind in kinds]
    while True:
        yield rng.choices(kinds, weights)[0]


def unrelated_pairs(catalog: Catalog, n: int, rng: random.Random, among: int = ATTACK_AMONG) -> list[Request]:
    """`n` comparisons of two adopted resolutions that share a language and nothing else
    (neither became, annexes nor contains the other): among the `among` longest, as an
    attacker who wants the costliest answer would pick them."""
    by_language: dict[str, list[str]] = {}
    for key, language, _paragraphs in catalog.resolutions:
        if len(by_language.setdefault(language, [])) < among:
            by_language[language].append(key)
    pools = {language: keys for language, keys in by_language.items() if len(keys) >= 2}
    if not pools:
        return []
    requests: list[Request] = []
    for _attempt in range(100 * n):  # a few pools of related pairs only must not spin
        if len(requests) == n:
            break
        language = rng.choice(sorted(pools))
        first, second = rng.sample(pools[language], 2)
        if frozenset((first, second)) not in catalog.related:
            requests.append(Request("attack", compare_path(first, second, language)))
    return requests
