"""The serving figures' own tooling (bench.serving, bench.targets): what it asks and how it counts."""

import logging
import random
import urllib.parse

import pytest

from bench.serving import (
    changed_tables,
    fingerprints,
    format_figures,
    fuzz,
    load,
    summarize,
    tracebacks,
)
from bench.targets import KINDS, MIX, analyst_kinds, analyst_request, askable, catalog, unrelated_pairs
from search.models import Paragraph, Resolution


def test_it_takes_each_kinds_percentiles_on_known_timings():
    samples = [("search", n / 1000, 200) for n in range(1, 101)]
    samples += [("healthz", 0.005, 200)] * 9 + [("healthz", 0.5, 503)]
    summary = summarize(samples)
    assert list(summary) == ["search", "healthz", "all"]
    assert summary["search"] == {
        "requests": 100,
        "errors": 0,
        "p50_ms": 50.0,
        "p95_ms": 95.0,
        "p99_ms": 99.0,
        "max_ms": 100.0,
    }
    assert (summary["healthz"]["errors"], summary["healthz"]["p50_ms"], summary["healthz"]["p99_ms"]) == (
        1,
        5.0,
        500.0,
    )
    assert (summary["all"]["requests"], summary["all"]["errors"]) == (110, 1)


def _query(path: str) -> dict:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(path).query))


def test_it_asks_every_kind_of_the_mix_of_what_the_database_holds(corpus, confirmed_draft):
    targets = catalog()
    rng = random.Random(3)
    # As many clients as kinds: each asks one kind first, then draws by the weights.
    requests = [analyst_request(next(analyst_kinds(n, rng)), targets, rng) for n in range(len(KINDS))]
    kinds = analyst_kinds(0, rng)
    requests += [analyst_request(next(kinds), targets, rng) for _ in range(400)]
    assert [r.kind for r in requests[: len(KINDS)]] == list(KINDS) == list(MIX)
    assert {r.kind for r in requests} == set(KINDS)
    keys = set(Resolution.objects.values_list("key", flat=True))
    for request in requests:
        if request.kind == "htmx":
            assert request.headers == (("HX-Request", "true"),) and request.path.startswith("/?q=")
        if request.kind == "document":
            key = urllib.parse.unquote(request.path.split("?")[0][len("/r/") : -1])
            assert key in keys
        if request.kind == "lineage":
            asked = _query(request.path)
            assert Paragraph.objects.filter(
                version__resolution__key=asked["key"], version__language=asked["lang"], anchor=asked["anchor"]
            ).exists()
        if request.kind == "compare":  # a draft and the resolution it became
            asked = _query(request.path)
            assert Resolution.objects.get(key=asked["from"]).became.key == asked["to"]


def test_it_pits_attackers_against_resolutions_that_share_nothing_but_a_language(corpus):
    pairs = unrelated_pairs(catalog(), 30, random.Random(0))
    assert len(pairs) == 30
    for request in pairs:
        asked = _query(request.path)
        first, second = Resolution.objects.get(key=asked["from"]), Resolution.objects.get(key=asked["to"])
        assert first != second and first.doc_type == second.doc_type == "resolution"
        assert {first.became, first.annex_adopted_as, first.contained_in}.isdisjoint({second})
        assert {second.became, second.annex_adopted_as, second.contained_in}.isdisjoint({first})
        assert asked["lang"] in set(first.texts.values_list("language", flat=True))
        assert asked["lang"] in set(second.texts.values_list("language", flat=True))


def test_it_loads_a_live_server_and_reports_each_kind(live_corpus, confirmed_draft, live_server):
    result = load(
        live_server.url,
        clients=len(KINDS),
        seconds=2,
        attackers=1,
        targets=catalog(),
        probe_url=live_server.url,
    )
    assert set(result["kinds"]) == {*KINDS, "all"}
    for kind, stats in result["kinds"].items():
        assert stats["requests"] >= 1 and stats["errors"] == 0, kind
        assert 0 < stats["p50_ms"] <= stats["p95_ms"] <= stats["p99_ms"] <= stats["max_ms"]
    assert result["kinds"]["all"]["requests"] == sum(
        s["requests"] for k, s in result["kinds"].items() if k != "all"
    )
    assert result["attack"]["requests"] >= 1 and result["attack"]["errors"] == 0
    # A probe every quarter of a second, for the two seconds.
    assert 4 <= result["probe"]["requests"] <= 9 and result["probe"]["errors"] == 0


def test_it_leaves_out_a_kind_it_has_nothing_to_ask_of(corpus):
    targets = catalog()
    assert targets.drafts == []  # the corpus's only draft shares no language with its resolution
    assert askable(targets) == [kind for kind in KINDS if kind != "compare"]
    kinds = analyst_kinds(0, random.Random(0), askable(targets))
    assert "compare" not in {next(kinds) for _ in range(500)}


def test_it_counts_the_tracebacks_in_a_server_log():
    log = (
        "2025 INFO search.engine: applied 3 changes\n"
        "2025 ERROR django.request: Internal Server Error: /\n"
        "Traceback (most recent call last):\n"
        '  File "x.py", line 1, in f\n'
        "    raise ValueError('x')\n"
        "ValueError: x\n"
        "[2025] [ERROR] Exception in worker process\n"
        "Traceback (most recent call last):\n"
        '  File "y.py", line 2, in g\n'
        "KeyError: 'y'\n"
    )
    assert tracebacks(log) == ["ValueError: x", "KeyError: 'y'"]
    assert tracebacks("2025 INFO search.engine: applied 3 changes\n") == []


def test_it_sees_a_changed_row_and_only_its_table(corpus):
    before = fingerprints()
    assert changed_tables(before, fingerprints()) == []
    paragraph = Paragraph.objects.order_by("pk").first()
    Paragraph.objects.filter(pk=paragraph.pk).update(text=paragraph.text + " ")
    assert changed_tables(before, fingerprints()) == ["search_paragraph"]
    assert before["search_paragraph"][0] == Paragraph.objects.count()


@pytest.fixture
def server_log(tmp_path):
    """What the live server logs of its errors (django.request, with tracebacks), in a file."""
    path = tmp_path / "server.log"
    handler = logging.FileHandler(path)
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield path
    logger.removeHandler(handler)
    handler.close()


def test_it_fuzzes_a_live_server_and_reads_its_log_and_tables(live_corpus, live_server, server_log):
    result = fuzz(live_server.url, 60, str(server_log), targets=catalog())
    assert (result["requests"], result["server_errors"], result["tracebacks"]) == (60, 0, 0)
    assert result["rows_changed"] == []
    assert sum(result["statuses"].values()) == 60 and 200 in result["statuses"]


def _stats(p95: float, errors: int = 0) -> dict:
    return {"requests": 100, "errors": errors, "p50_ms": p95 / 2, "p95_ms": p95, "p99_ms": p95, "max_ms": p95}


def test_it_prints_which_goals_are_met():
    def kinds(p95, healthz):
        return {"search": _stats(p95), "healthz": _stats(healthz), "all": _stats(p95)}

    results = {
        "alone": {"clients": 50, "attackers": 0, "seconds": 60, "per_second": 30.0, "kinds": kinds(400, 10)},
        "attacked": {
            "clients": 50,
            "attackers": 4,
            "seconds": 60,
            "per_second": 20.0,
            "kinds": kinds(700, 300),
            "attack": _stats(9000, errors=2),
        },
        "fuzz": {
            "requests": 10,
            "server_errors": 0,
            "statuses": {200: 10},
            "tracebacks": 0,
            "raised": [],
            "rows_changed": [],
        },
        "costly": {
            "kinds": {
                "document": {
                    "requests": 2,
                    "errors": 0,
                    "mean_ms": 600.0,
                    "p50_ms": 50.0,
                    "p95_ms": 60.0,
                    "max_ms": 1200.0,
                    "total_s": 1.3,
                    "worst": [],
                }
            }
        },
    }
    table = format_figures(results)
    assert "| analyst mix | p95 ≤ 500 ms | 400 ms | yes |" in table
    assert "| with attackers | analysts' p95 ≤ 1.5× alone | 1.75× | **no** |" in table
    assert "| with attackers | /healthz p99 ≤ 200 ms | 300 ms (public address) | **no** |" in table
    assert "| costliest request | ≤ 1000 ms of CPU | 1,200 ms (document) | **no** |" in table
    assert "| fuzz | 0 rows changed | none | yes |" in table
    assert "| attackers' comparisons | 100 | 2 | 4,500 | 9,000 | 9,000 | 9,000 |" in table

    # With a probe at the probes' address, the goal is what that probe measured.
    results["attacked"]["probe"] = _stats(80)
    table = format_figures(results)
    assert "| with attackers | /healthz p99 ≤ 200 ms | 80 ms (probes' address) | yes |" in table
    assert "| probe: /healthz at the probes' address | 100 | 0 | 40 | 80 | 80 | 80 |" in table
