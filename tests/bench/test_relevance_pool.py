"""The pooled relevance measurement's own tooling (bench.relevance_pool, bench.baseline):
what it counts, on small made-up judgments."""

import math
import tomllib

import pytest

from bench.baseline import Baseline, query_terms, tokenize
from bench.relevance_pool import (
    Judgment,
    PoolQuery,
    agreement,
    cohen_kappa,
    distinct_wordings,
    figures,
    ndcg_at,
    pool_file,
    pooled,
    precision_at,
    wording_figures,
)


def k(anchor: str, key: str = "A/RES/80/1") -> tuple[str, str, str]:
    return key, "en", anchor


def test_it_counts_precision_at_ten_over_ten_even_when_fewer_are_found():
    grades = {k("op1"): 2, k("op2"): 1, k("op3"): 0}
    assert precision_at([k("op1"), k("op2"), k("op3"), k("op4")], grades) == pytest.approx(0.2)
    assert precision_at([], grades) == 0.0


def test_it_looks_only_at_the_first_ten():
    ranking = [k(f"op{n}") for n in range(1, 21)]
    grades = {k("op11"): 2, k("op12"): 2}
    assert precision_at(ranking, grades) == 0.0
    assert ndcg_at(ranking, grades) == 0.0


def test_it_computes_ndcg_with_graded_gains_against_the_ideal_ranking():
    grades = {k("a"): 2, k("b"): 1}
    # found b first, then a: (1 / log2 2 + 3 / log2 3) against the ideal (3 / log2 2 + 1 / log2 3)
    got = ndcg_at([k("b"), k("x"), k("a")], grades)
    assert got == pytest.approx((1 + 3 / 2) / (3 + 1 / math.log2(3)))
    assert ndcg_at([k("a"), k("b")], grades) == pytest.approx(1.0)
    assert ndcg_at([k("x")], {}) == 0.0


def test_the_ideal_counts_relevant_paragraphs_neither_system_ranked_high():
    grades = {k(f"op{n}"): 1 for n in range(12)}
    assert ndcg_at([k("op0")], grades) == pytest.approx(1 / sum(1 / math.log2(r + 2) for r in range(10)))


def test_it_counts_the_same_wording_once_by_text_or_by_shared_pair():
    texts = {
        k("op1"): "Calls upon States to act.",
        k("op1", "A/C.3/80/L.9"): "Calls  upon States\nto act.",  # the draft: the same words
        k("op2"): "Urges States to act at once.",
        k("op2", "A/RES/78/1"): "Urges all States to act at once.",  # a shared-wording pair
        k("op3"): "Decides to remain seized of the matter.",
    }
    shared = {frozenset((k("op2"), k("op2", "A/RES/78/1")))}
    assert distinct_wordings(list(texts), texts, shared) == 3
    assert distinct_wordings(list(texts), texts, set()) == 4
    assert distinct_wordings([], texts, shared) == 0


def test_a_paragraph_is_folded_only_under_a_wording_already_counted():
    texts = {k("a"): "one", k("b"): "two", k("c"): "three"}
    shared = {frozenset((k("a"), k("b"))), frozenset((k("c"), k("b")))}
    # b repeats a; c is near b but not a, and b was never shown on its own
    assert distinct_wordings([k("a"), k("b"), k("c")], texts, shared) == 2
    assert distinct_wordings([k("b"), k("a"), k("c")], texts, shared) == 1


def test_only_the_top_ten_wordings_are_counted():
    texts = {k(f"op{n}"): f"text {n}" for n in range(15)}
    assert distinct_wordings(list(texts), texts, set()) == 10


def test_figures_say_what_was_not_found_and_what_is_unjudged():
    texts = {k("a"): "a", k("b"): "b"}
    judgment = Judgment("a answers", {k("a"): 2})
    f = figures([k("a"), k("b")], judgment, {k("a")}, texts, set())
    assert (f.found, f.precision, f.unjudged, f.distinct) == (True, 0.1, 1, 2)
    assert figures([], judgment, {k("a")}, texts, set()).found is False


def test_counting_each_wording_once_a_repeat_gains_nothing_and_the_ideal_is_the_wordings():
    texts = {k("a"): "one", k("a", "A/C.3/80/L.1"): "one", k("b"): "two", k("c"): "three"}
    grades = {k("a"): 2, k("a", "A/C.3/80/L.1"): 2, k("b"): 1}
    # The draft repeats a: it gains nothing, and the ideal holds a and b, not a twice.
    precision, ndcg, ceiling = wording_figures([k("a"), k("a", "A/C.3/80/L.1"), k("b")], grades, texts, set())
    assert precision == pytest.approx(0.2) and ceiling == pytest.approx(0.2)
    assert ndcg == pytest.approx((3 + 1 / 2) / (3 + 1 / math.log2(3)))
    # Each wording once, best first: the ideal.
    assert wording_figures([k("a"), k("b"), k("c")], grades, texts, set())[1] == pytest.approx(1.0)
    # Counted on paragraphs alone, the repeat would count as an answer.
    assert precision_at([k("a"), k("a", "A/C.3/80/L.1"), k("b")], grades) == pytest.approx(0.3)


def test_two_judges_agreement_is_counted_on_every_pooled_paragraph_beyond_chance():
    pools = {"q": [k("a"), k("b"), k("c"), k("d")], "other": [k("e")]}
    first = {"q": Judgment("", {k("a"): 2, k("b"): 1}), "other": Judgment("", {k("e"): 2})}
    second = {"q": Judgment("", {k("a"): 2, k("c"): 1})}
    found = agreement(first, second, pools)
    # Only "q" was judged by both; d is 0 for both, b and c disagree.
    assert (found["queries"], found["paragraphs"]) == (1, 4)
    assert found["equal"] == pytest.approx(0.5) and found["equal_relevant"] == pytest.approx(0.5)
    assert cohen_kappa([(1, 1), (0, 0)]) == pytest.approx(1.0)
    assert cohen_kappa([(1, 0), (0, 1)]) == pytest.approx(-1.0)


def test_a_pool_is_the_union_in_a_fixed_order_that_hides_its_source():
    site = [k("op1"), k("op2"), k("op3")]
    base = [k("op3"), k("op4")]
    pool = pooled("q", site, base)
    assert sorted(pool) == [k("op1"), k("op2"), k("op3"), k("op4")]
    assert pooled("q", base, site) == pool  # which system came first changes nothing
    assert pooled("q", site, base) == pool


def test_a_pool_file_holds_key_title_and_text_only():
    key = k("pp2")
    text = pool_file(PoolQuery(1, 'the "q"', "phrase"), [key], {key: ("Title", 'Says "so"\n.')})
    data = tomllib.loads(text)
    assert data["q"] == 'the "q"'
    assert data["paragraph"] == [{"key": "A/RES/80/1 en pp2", "title": "Title", "text": 'Says "so"\n.'}]


def test_the_baseline_reads_english_words_and_jiebas_chinese_words():
    assert tokenize("A/RES/70/1 of 2030年") == ["a", "res", "70", "1", "of", "2030", "年"]
    assert "贩运" in tokenize("打击人口贩运")
    assert query_terms("How can States protect the displaced?") == ["can", "states", "protect", "displaced"]


def test_the_baseline_ranks_by_bm25_over_any_of_the_terms():
    baseline = Baseline.from_texts(
        [
            (k("op1"), "the child"),
            (k("op2"), "child marriage child marriage"),
            (k("op3"), "forced marriage of a young person in a long sentence about other things"),
            (k("op4"), "nothing here"),
        ]
    )
    assert baseline.search("child marriage") == [k("op2"), k("op1"), k("op3")]
    assert baseline.search("the") == []
