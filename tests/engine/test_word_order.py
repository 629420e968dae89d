"""A Chinese query also finds its jieba words in another order within a sentence, ranked
after the paragraphs where it occurs literally."""

import re

import pytest
from conftest import all_hits

from search.engine import docsets, searching
from search.engine.highlight import any_order_spans, highlight
from search.engine.query import parse_query
from search.engine.searching import matching_anchors, search_paragraphs
from search.models import Paragraph

pytestmark = pytest.mark.django_db


def key(hit):
    return hit["resolution"], hit["language"], hit["anchor"]


def marked(hit):
    return re.findall(r"<mark>(.*?)</mark>", hit["snippet"])


def test_it_finds_the_other_word_order_after_every_literal_match(corpus):
    literal = all_hits('"人口贩运"')
    hits = all_hits("人口贩运")

    assert len({key(h) for h in hits}) == len(hits)  # paged tier after tier, none twice
    assert {key(h) for h in hits[: len(literal)]} == {key(h) for h in literal}
    reordered = hits[len(literal) :]
    assert reordered and all("人口贩运" not in marked(h) for h in reordered)
    assert all({"贩运", "人口"} <= set(marked(h)) or "贩运人口" in marked(h) for h in reordered)
    assert any("贩运人口" in marked(h) for h in reordered)
    # The document page marks what the search finds.
    first = reordered[0]
    [anchors] = matching_anchors(parse_query("人口贩运"), [(first["resolution"], "zh")])
    assert first["anchor"] in anchors


def test_a_phrase_in_quotes_keeps_its_word_order(corpus):
    result = search_paragraphs('"人口贩运"', per_page=100)

    assert result["total"] == result["complete"] == len(all_hits('"人口贩运"'))
    assert all(set(marked(h)) == {"人口贩运"} for h in result["hits"])


def test_the_words_must_stand_in_one_sentence():
    words = ["人口", "贩运"]

    assert any_order_spans("打击贩运行为。人口问题", words) == []
    assert any_order_spans("打击贩运行为; 人口问题", words) == []
    assert any_order_spans("Item 1.5 贩运 the 人口. Next", words) == [(9, 11), (16, 18)]
    assert any_order_spans("贩运行为, 人口问题. 人口", words) == [(0, 2), (6, 8)]


def test_it_marks_the_words_of_such_a_match_escaped():
    units = parse_query("人口贩运").units

    assert highlight("<b>贩运</b>的人口", units) == "&lt;b&gt;<mark>贩运</mark>&lt;/b&gt;的<mark>人口</mark>"
    # Where the query occurs literally, only that is marked.
    assert highlight("贩运人口和人口贩运", units) == "贩运人口和<mark>人口贩运</mark>"


def test_it_finds_something_for_words_that_never_stand_together(corpus):
    result = search_paragraphs("贩卖人体器官")

    assert result["partial"] and result["complete"] == 0
    assert all("人体器官" in marked(h) for h in result["hits"][:5])


def test_it_answers_a_chinese_question_with_the_words_in_any_order(corpus):
    result = search_paragraphs("如何保护人口贩运受害者？")

    assert key(result["hits"][0]) == ("E/RES/2013/41", "zh", "op2d")  # the one literal match
    assert result["complete"] >= 5 and not result["partial"]
    assert all("保护" in "".join(marked(h)) and "受害者" in "".join(marked(h)) for h in result["hits"][1:5])


def test_every_candidate_is_checked_as_the_text_reads(corpus):
    """The sentence condition read on the index's positions (sentence marks in the literal
    field) finds exactly the paragraphs whose stored text has every word in one sentence,
    over every candidate: no bound, nothing left out. Some candidates hold every word, but
    in different sentences."""
    counts = []
    searching.forget_answers()
    for query in ["人口贩运", "保护受害者", "打击贩运", "会员国人权", "决定秘书长"]:
        unit = parse_query(query).units[0]
        assert len(set(unit.any_order)) >= 2
        with searching.searching() as searcher:
            reader = searcher.reader()
            literal = searching.unit_docs(searcher, unit)
            words = set(unit.any_order)
            candidates = docsets.intersect([docsets.term_docs(reader, "content", w) for w in words])
            candidates = docsets.difference(candidates, literal)
            pids = docsets.numbers(reader, "pid")
            texts = dict(Paragraph.objects.filter(pk__in=pids[candidates].tolist()).values_list("pk", "text"))
            expected = [
                d for d in candidates.tolist() if any_order_spans(texts[int(pids[d])], unit.any_order)
            ]
            assert searching._any_order(searcher, unit).tolist() == expected, query
        counts.append((query, len(candidates), len(expected)))
    assert all(found for _, _, found in counts[:3]), counts
    assert any(found < candidates for _, candidates, found in counts), counts
