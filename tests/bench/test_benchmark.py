import io
import random
import re

from django.core.management import call_command

from bench.benchmark import (
    CATEGORIES,
    QUERY_MIX,
    build_pools,
    make_paragraph,
    paragraph_layout,
    percentile,
    plan_resolutions,
    split_clauses,
)

NUMBER = r"[\d,]+(?:\.\d+)?"
FIGURES = [
    "rebuild rate (paragraphs/s)",
    "rebuild time (s)",
    "index size (MB)",
    "rebuild peak RSS (MB)",
    "serving peak RSS (MB)",
    "first query, cold process (ms)",
    "query p50, all (ms)",
    "query p95, all (ms)",
    "query p99, all (ms)",
]


def test_it_splits_paragraphs_into_clauses_that_keep_their_punctuation():
    assert split_clauses("促请会员国采取行动，防止贩运人口；并请秘书长报告。", "zh") == [
        "促请会员国采取行动，",
        "防止贩运人口；",
        "并请秘书长报告。",
    ]
    assert split_clauses("Urges Member States, in particular, to act; Requests more. Also this", "en") == [
        "Urges Member States,",
        "in particular,",
        "to act;",
        "Requests more.",
        "Also this",
    ]


def test_it_recombines_real_clauses_of_the_same_language_and_kind():
    real = [
        ("zh", "operative", "促请会员国采取行动，防止贩运人口；"),
        ("zh", "operative", "请秘书长提交报告，说明执行情况，并提出建议；"),
        ("zh", "preambular", "回顾其以往决议，"),
    ]
    pools = build_pools(real)
    clauses = {c for _, _, text in real[:2] for c in split_clauses(text, "zh")}
    rng = random.Random(1)
    for _ in range(20):
        paragraph = make_paragraph(rng, pools[("zh", "operative")], "zh")
        assert set(split_clauses(paragraph, "zh")) <= clauses
    assert make_paragraph(rng, pools[("zh", "preambular")], "zh") == "回顾其以往决议，"


def test_it_plans_exactly_the_paragraphs_asked_in_resolutions_of_20_to_80():
    plan = plan_resolutions(random.Random(0), 10_001)
    assert sum(zh + en for zh, en, _ in plan) == 10_001
    assert all(20 <= zh <= 80 and zh == en for zh, en, _ in plan[:-1])
    anchors = [a for _, a, _, _ in paragraph_layout(random.Random(0), 60, annex=True)]
    assert len(set(anchors)) == 60 and anchors[0] == "pp1" and anchors[-1].startswith("annex-")


def test_it_takes_percentiles_by_nearest_rank():
    values = list(range(1, 101))
    assert (percentile(values, 50), percentile(values, 95), percentile(values, 99)) == (50, 95, 99)


def test_it_runs_a_tiny_benchmark_and_reports_every_figure(tmp_path):
    out = io.StringIO()
    call_command(
        "benchmark",
        "--paragraphs",
        "1500",
        "--queries",
        str(len(QUERY_MIX)),
        "--warmup",
        "1",
        "--uploads",
        "1",
        "--workdir",
        str(tmp_path),
        stdout=out,
    )
    report = out.getvalue()

    assert re.search(r"corpus: 1,500 paragraphs \(zh [\d,]+, en [\d,]+\)", report)
    for figure in FIGURES:  # ours, baseline and the ratio, all measured
        assert re.search(rf"^{re.escape(figure)}\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}x$", report, re.M), figure
    assert re.search(rf"^upload searchable, worst \(s\)\s+{NUMBER}\s", report, re.M)
    for category in CATEGORIES:
        assert re.search(
            rf"^{category}\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}/{NUMBER}/{NUMBER}\s+{NUMBER}x$",
            report,
            re.M,
        ), category
    for _, query in QUERY_MIX:
        assert re.search(rf"^{re.escape(query)}\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}$", report, re.M), query
    assert re.search(r"^  query p50 .* measured\s+\S+\s+(met|MISSED)$", report, re.M)
    # Its own database and index, never the development ones.
    assert (tmp_path / "bench.sqlite3").is_file() and (tmp_path / "index" / "current").is_dir()
    assert (tmp_path / "result.json").is_file()
