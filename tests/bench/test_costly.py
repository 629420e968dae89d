"""bench.costly: the CPU time of single requests, measured in this process."""

import time
import urllib.parse

from bench.costly import KINDS, Cost, make_client, most_shared, plan, run, summarize
from bench.targets import Request, catalog
from search.models import Resolution, SharedWording, Text


def test_it_plans_every_document_in_each_language_side_by_side_and_with_a_query(corpus, confirmed_draft):
    targets = catalog()
    requests = plan(targets, comparisons=5, lineages=7, seed=2)
    kinds = [r.kind for r in requests]
    assert kinds.count("document") == Text.objects.count()
    documents = Resolution.objects.filter(texts__isnull=False).distinct().count()
    assert kinds.count("side-by-side") == kinds.count("document-query") == documents
    # The drafts and the resolutions they became first, then any two sharing a language.
    compared = [_query(r.path) for r in requests if r.kind.startswith("compare")]
    assert len(compared) == 5
    # The draft shares Chinese with A/RES/71/322 (the corpus's own draft shares none with its resolution).
    assert [r.kind for r in requests if r.kind.startswith("compare")] == ["compare"] + ["compare-any"] * 4
    assert compared[0] == {"from": confirmed_draft.key, "to": "A/RES/71/322", "lang": "zh"}
    for pair in compared[1:]:
        for key in (pair["from"], pair["to"]):
            assert Text.objects.filter(resolution__key=key, language=pair["lang"]).exists()
    assert kinds.count("lineage") == 7
    assert plan(targets, comparisons=5, lineages=7, seed=2) == requests
    assert plan(targets, comparisons=5, lineages=7, seed=3) != requests


def _query(path: str) -> dict:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(path).query))


def test_it_measures_the_cpu_time_of_each_request_on_a_few_documents(corpus, confirmed_draft):
    requests = plan(catalog(), comparisons=2, lineages=2, documents=3, seed=1)
    costs = run(make_client(), requests)
    assert [c.path for c in costs] == [r.path for r in requests]
    assert {c.kind for c in costs} == set(KINDS)
    for cost in costs:
        assert cost.status == 200, cost.path
        assert cost.cpu_ms > 0 and cost.wall_ms > 0 and cost.bytes > 0, cost.path
    documents = [c for c in costs if c.kind == "document"]
    assert all(c.queries >= 3 for c in documents)  # at least the document, its texts, its paragraphs
    summary = summarize(costs, worst=2)["kinds"]
    assert list(summary) == list(KINDS)
    assert summary["document"]["requests"] == len(documents)
    assert summary["document"]["max_ms"] == round(max(c.cpu_ms for c in documents), 1)


def test_it_lists_the_costliest_first_with_percentiles():
    costs = [Cost("lineage", f"/lineage/{n}", float(n), 2.0 * n, 3, 100, 200) for n in range(1, 21)]
    costs.append(Cost("healthz", "/healthz", 1.0, 1.0, 3, 10, 503))
    summary = summarize(costs, worst=3)["kinds"]
    assert list(summary) == ["lineage", "healthz"]
    lineage = summary["lineage"]
    assert (lineage["requests"], lineage["errors"], lineage["p50_ms"], lineage["p95_ms"]) == (
        20,
        0,
        10.0,
        19.0,
    )
    assert [c["path"] for c in lineage["worst"]] == ["/lineage/20", "/lineage/19", "/lineage/18"]
    assert (lineage["total_s"], lineage["mean_ms"]) == (0.2, 10.5)
    assert summary["healthz"]["errors"] == 1


def test_it_finds_the_paragraphs_with_the_most_shared_wording(corpus):
    from search.models import Paragraph

    SharedWording.objects.all().delete()
    paragraphs = list(Paragraph.objects.order_by("pk")[:4])
    for other in paragraphs[1:]:
        SharedWording.objects.create(first=paragraphs[0], second=other, similarity=0.9)
    SharedWording.objects.create(first=paragraphs[1], second=paragraphs[2], similarity=0.9)
    found = most_shared(2)
    named = [(p.version.resolution.key, p.version.language, p.anchor) for p in paragraphs]
    assert found[0] == named[0]
    assert found[1] in (named[1], named[2])


class BurningClient:
    """Answers each request after burning the next of `milliseconds` of CPU; its body's
    length says which answer it was."""

    def __init__(self, milliseconds):
        self.milliseconds = list(milliseconds)
        self.answered = 0

    def get(self, path, headers, secure):
        until = time.process_time() + self.milliseconds.pop(0) / 1000
        while time.process_time() < until:
            pass
        self.answered += 1
        return type("Response", (), {"content": b"x" * self.answered, "status_code": 200})()


def test_it_keeps_the_median_of_a_repeated_request():
    # A warm-up, then three measurements: 30, 10 and 20 ms of CPU.
    client = BurningClient([0, 30, 10, 20])
    [cost] = run(client, [Request("home", "/")], repeat=3)
    assert cost.bytes == 4  # the fourth answer: the 20 ms one
    assert 15 < cost.cpu_ms < 30
