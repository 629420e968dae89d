"""bench.tantivy_side: tantivy fed our tokens finds what our engine finds with every word literally."""

import pytest

from bench.phases import literally
from bench.report import side_by_side
from bench.tantivy_side import TantivySearch, build_index, literal_tokens
from search.engine import docsets
from search.engine.index import searching
from search.engine.query import parse_query
from search.engine.searching import find_matches
from search.models import Paragraph

QUERIES = [
    '"打击贩运人口"',  # a phrase: bigrams in a row
    "会员国 贩运人口",  # two Chinese words, each literally
    "2030年",  # a run of one character at the end: that character alone or the first of a pair
    "traffickers",  # stemmed: trafficking, trafficked
    "lang:en kind:operative trafficking",  # filters
    "71/322",  # a symbol typed alone: its own resolution, and where it is cited
]


def ours(q: str) -> set[int]:
    """The paragraphs our engine finds with every word literally (its first tier)."""
    with searching() as searcher:
        match = find_matches(searcher, literally(parse_query(q)))
        pids = docsets.numbers(searcher.reader(), "pid")
        return {int(pids[d]) for d in match.docs}


@pytest.fixture
def few_paragraphs(corpus):
    """Some paragraphs each query finds and, as many, paragraphs that hold some of its
    characters or words but maybe not the query: what a wrong translation would find too."""
    chosen = set(Paragraph.objects.order_by("pk").values_list("pk", flat=True)[:40])
    for q in QUERIES:
        chosen |= set(sorted(ours(q))[:12])
    for near in ("贩运", "人口", "会员", "2030", "年", "traffick", "71", "322"):
        chosen |= set(Paragraph.objects.filter(text__contains=near).values_list("pk", flat=True)[:8])
    return sorted(chosen)


def test_it_finds_the_paragraphs_our_engine_finds_with_every_word_literally(few_paragraphs, tmp_path):
    build_index(tmp_path / "tantivy", few_paragraphs)
    theirs = TantivySearch(tmp_path / "tantivy")
    for q in QUERIES:
        expected = ours(q) & set(few_paragraphs)
        assert expected, q
        assert theirs.pids(q) == expected, q
        assert theirs.count_and_rank(q)[0] == len(expected), q
    # A full query: its total, facets, and hits with a snippet marking the query.
    answer = theirs.search('"打击贩运人口"')
    assert answer["total"] == len(ours('"打击贩运人口"') & set(few_paragraphs))
    assert sum(b["doc_count"] for b in answer["facets"]["language"]["buckets"]) == answer["total"]
    assert all("<b>" in hit["snippet"] for hit in answer["hits"]), answer["hits"]


def test_it_cuts_chinese_into_a_token_a_character():
    assert literal_tokens("会员国在2030年") == (["会员", "员国", "国在", "在", "2030", "年"], False)
    # A query's last run ends with the query: its last pair covers its last character.
    assert literal_tokens("会员国", query=True) == (["会员", "员国"], False)
    assert literal_tokens("2030年", query=True) == (["2030", "年"], True)
    assert literal_tokens("第71号", query=True) == (["第", "71", "号"], True)


def _side(ours_ms: float, theirs_ms: float) -> dict:
    return {
        "ours": {q: [ours_ms, 2 * ours_ms] for q in MIX_QUERIES},
        "tantivy": {q: [theirs_ms, 2 * theirs_ms] for q in MIX_QUERIES},
    }


MIX_QUERIES = [
    "会员国",
    "会员国 贩运人口",
    '"打击贩运人口"',
    "医学协会",
    "移植旅游",
    "refugees",
    "trafficking in persons",
    "traffickers",
    "71/322",
    "lang:en kind:operative year:2017 trafficking",
]

SIDE_BY_SIDE = """
ours beside tantivy 0.27 (bench/tantivy_side.py): the same paragraphs and tokens, the same queries, \
in one process, query by query in turn; ms, ratio ours/tantivy
  full query: ours search_paragraphs; tantivy count + facets (aggregations) + top 20 with snippets
  first time: ours after forget_answers(); tantivy on an index opened afresh (untimed); \
each query of the mix 2 times
  evicted: the same, then posix_fadvise(DONTNEED) on every file of both indexes \
(still cached, what each process keeps: ours 1.00 MB, tantivy 0.50 MB)

                                      ours p50  ours p95  tantivy p50  tantivy p95  p50 ratio  p95 ratio
asked for the first time since the worker started
  all                                     40.0      80.0         2.00         4.00     20.00x     20.00x
  common word                             40.0      80.0         2.00         4.00     20.00x     20.00x
  two common words                        40.0      80.0         2.00         4.00     20.00x     20.00x
  phrase                                  40.0      80.0         2.00         4.00     20.00x     20.00x
  rare words                              40.0      80.0         2.00         4.00     20.00x     20.00x
  English                                 40.0      80.0         2.00         4.00     20.00x     20.00x
  symbol                                  40.0      80.0         2.00         4.00     20.00x     20.00x
  filter                                  40.0      80.0         2.00         4.00     20.00x     20.00x
the same query again (warm)
  all                                     10.0      20.0         1.00         2.00     10.00x     10.00x
  common word                             10.0      20.0         1.00         2.00     10.00x     10.00x
  two common words                        10.0      20.0         1.00         2.00     10.00x     10.00x
  phrase                                  10.0      20.0         1.00         2.00     10.00x     10.00x
  rare words                              10.0      20.0         1.00         2.00     10.00x     10.00x
  English                                 10.0      20.0         1.00         2.00     10.00x     10.00x
  symbol                                  10.0      20.0         1.00         2.00     10.00x     10.00x
  filter                                  10.0      20.0         1.00         2.00     10.00x     10.00x
count and rank only (total and top 20)
  all                                     3.00      6.00         0.50         1.00      6.00x      6.00x
  common word                             3.00      6.00         0.50         1.00      6.00x      6.00x
  two common words                        3.00      6.00         0.50         1.00      6.00x      6.00x
  phrase                                  3.00      6.00         0.50         1.00      6.00x      6.00x
  rare words                              3.00      6.00         0.50         1.00      6.00x      6.00x
  English                                 3.00      6.00         0.50         1.00      6.00x      6.00x
  symbol                                  3.00      6.00         0.50         1.00      6.00x      6.00x
  filter                                  3.00      6.00         0.50         1.00      6.00x      6.00x

                                          ours      tantivy      ratio
index on disk (MB)                         400          100      4.00x
  of which stored fields (MB)                -         50.0          -
build, wall (s)                            160         40.0      4.00x
build, CPU of every process (s)            300         60.0      5.00x
  tantivy's writer alone, wall (s)           -         5.00          -

paragraphs found: ours; ours with every word literally (its first tier: what tantivy is asked); tantivy's
query                                                 ours  literally   tantivy
会员国                                               1,000      1,000     1,000
会员国 贩运人口                                        500        400       400  \
(ours also: the words in another order, or most of them)
"打击贩运人口"                                         300        300       300
医学协会                                                 1          1         1
移植旅游                                                 1          1         1
refugees                                                 1          1         1
trafficking in persons                                   1          1         1
traffickers                                              1          1         1
71/322                                                 104        104       103  DIFFERS
lang:en kind:operative year:2017 trafficking             1          1         1"""


def test_it_reports_both_engines_side_by_side_with_the_ratio_per_category():
    totals = {q: {"ours": 1, "ours_literal": 1, "tantivy": 1} for q in MIX_QUERIES}
    totals["会员国"] = {"ours": 1000, "ours_literal": 1000, "tantivy": 1000}
    totals["会员国 贩运人口"] = {"ours": 500, "ours_literal": 400, "tantivy": 400}
    totals['"打击贩运人口"'] = {"ours": 300, "ours_literal": 300, "tantivy": 300}
    totals["71/322"] = {"ours": 104, "ours_literal": 104, "tantivy": 103}
    result = {
        "rebuild": {"seconds": 160.0, "cpu_seconds": 300.0, "size_bytes": 400 * 2**20},
        "tantivy_build": {
            "seconds": 40.0,
            "cpu_seconds": 60.0,
            "writer_seconds": 5.0,
            "size_bytes": 100 * 2**20,
            "store_bytes": 50 * 2**20,
        },
        "side_by_side": {
            "first": _side(40.0, 2.0),
            "warm": _side(10.0, 1.0),
            "count_rank": _side(3.0, 0.5),
            "totals": totals,
            "resident_after_eviction": [2**20, 2**19],
        },
    }
    assert "\n".join(side_by_side(result)) == SIDE_BY_SIDE
    assert side_by_side({"rebuild": result["rebuild"]}) == []  # run with --no-tantivy
